"""Withdrawing a deadline extension (撤回), /extensions/<id>/withdraw/: only the reporters of
the unit that asked, only while it is undecided; the target stays as it was, the trail and
the office hear of it, and two clicks withdraw once."""

import datetime

import pytest
from django.utils import timezone

from duban.audit.models import AuditEvent
from duban.organisations.models import Person
from duban.supervision import extensions
from duban.supervision.models import DeadlineExtension, Notification
from duban.targets.models import TransitionError
from tests.qingxi import *  # noqa: F403
from tests.qingxi import account

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(qx_extension_asked):
    return qx_extension_asked


@pytest.fixture
def bureau_colleague(qx):
    """A second reporter of the bureau, the unit that asked."""
    return account("sun_kj", role=Person.Role.UNIT, organisation=qx["bureau"], name="孙敏")


def withdraw(client, extension):
    return client.post(f"/extensions/{extension.pk}/withdraw/")


def test_the_unit_withdraws_its_pending_request_and_nothing_else_changes(
    client, asked, qx_bureau, qx_office, qx_target
):
    deadline = qx_target.deadline
    client.force_login(qx_bureau)
    page = client.get(f"/targets/{qx_target.pk}/").content.decode()
    assert f"/extensions/{asked.pk}/withdraw/" in page and "撤回申请" in page
    response = withdraw(client, asked)
    assert response.status_code == 302
    asked.refresh_from_db()
    qx_target.refresh_from_db()
    assert asked.state == "withdrawn" and asked.decided_at is not None
    assert qx_target.deadline == deadline and qx_target.extension_count == 0
    event = AuditEvent.objects.get(summary="申请单位撤回延期申请")
    assert event.target_id == qx_target.pk
    assert event.before == {"审批状态": "待审核"}
    assert event.after == {"审批状态": "已撤回", "撤回人": "周科技局填报员（市科技局）"}
    notice = Notification.objects.get(user=qx_office, key=f"extension-withdrawn:{asked.pk}")
    assert "撤回" in notice.message and "完成时限不变" in notice.message
    # The page says so, offers no button any more, and the unit may ask again.
    page = client.get(f"/targets/{qx_target.pk}/").content.decode()
    assert "已撤回" in page and f"/extensions/{asked.pk}/withdraw/" not in page
    assert "申请延期" in page


def test_a_colleague_of_the_same_unit_may_withdraw_it(client, asked, bureau_colleague):
    client.force_login(bureau_colleague)
    assert withdraw(client, asked).status_code == 302
    asked.refresh_from_db()
    assert asked.state == "withdrawn"


def test_one_waiting_for_the_leader_may_be_withdrawn_and_the_leader_hears(
    client, asked, qx_office, qx_bureau, qx_leader
):
    extensions.decide_extension(qx_office, asked, approve=True)
    asked.refresh_from_db()
    assert asked.state == "awaiting_leader"
    client.force_login(qx_bureau)
    assert withdraw(client, asked).status_code == 302
    asked.refresh_from_db()
    assert asked.state == "withdrawn"
    assert Notification.objects.filter(
        user=qx_leader, key=f"extension-withdrawn:{asked.pk}"
    ).exists()
    # The leader can no longer decide it.
    with pytest.raises(TransitionError, match="已由申请单位撤回"):
        extensions.decide_extension(qx_leader, asked, approve=True)


def test_two_clicks_withdraw_once(client, asked, qx_bureau, qx_office):
    client.force_login(qx_bureau)
    assert withdraw(client, asked).status_code == 302
    again = withdraw(client, asked)
    assert again.status_code == 409
    assert "该延期申请已撤回，无需再次撤回" in again.content.decode()
    assert AuditEvent.objects.filter(summary="申请单位撤回延期申请").count() == 1
    assert Notification.objects.filter(key=f"extension-withdrawn:{asked.pk}").count() == 1
    assert DeadlineExtension.objects.get().state == "withdrawn"


@pytest.mark.parametrize("approve", [True, False])
def test_a_decided_request_cannot_be_withdrawn(
    client, settings, asked, qx_office, qx_bureau, qx_target, approve
):
    settings.DUBAN_EXTENSION_LEADER_APPROVAL = False
    extensions.decide_extension(qx_office, asked, approve=approve, comment="理由不足")
    asked.refresh_from_db()
    qx_target.refresh_from_db()
    deadline = qx_target.deadline
    client.force_login(qx_bureau)
    response = withdraw(client, asked)
    assert response.status_code == 409
    label = "已批准" if approve else "未批准"
    assert f"该延期申请已审批（{label}），不能撤回" in response.content.decode()
    asked.refresh_from_db()
    qx_target.refresh_from_db()
    assert asked.state == ("approved" if approve else "refused")
    assert qx_target.deadline == deadline
    assert not AuditEvent.objects.filter(summary="申请单位撤回延期申请").exists()


@pytest.mark.parametrize("who", ["qx_office", "qx_leader", "qx_finance"])
def test_nobody_else_may_withdraw_it(client, request, asked, who):
    """Office staff, the leader, and the co-unit (which sees the target) are refused."""
    client.force_login(request.getfixturevalue(who))
    response = withdraw(client, asked)
    assert response.status_code == 403
    assert "只有提出申请的单位可以撤回延期申请" in response.content.decode()
    asked.refresh_from_db()
    assert asked.state == "pending"
    assert not AuditEvent.objects.filter(summary="申请单位撤回延期申请").exists()


def test_another_units_reporter_does_not_find_it(client, asked, qx_yuntai):
    client.force_login(qx_yuntai)
    assert withdraw(client, asked).status_code == 404
    asked.refresh_from_db()
    assert asked.state == "pending"


def test_withdrawing_is_a_post(client, asked, qx_bureau):
    client.force_login(qx_bureau)
    assert client.get(f"/extensions/{asked.pk}/withdraw/").status_code == 405


def test_the_state_withdrawn_from_is_the_one_in_force_not_the_one_read(
    asked, qx_office, qx_bureau, qx_leader, settings
):
    """The unit read the request while 待审核; the office sent it on to the leader before the
    unit clicked: the trail says 待领导审批 and the leader hears of the withdrawal."""
    stale = DeadlineExtension.objects.get(pk=asked.pk)
    extensions.decide_extension(qx_office, asked, approve=True)
    extensions.withdraw_extension(qx_bureau, stale)
    event = AuditEvent.objects.get(summary="申请单位撤回延期申请")
    assert event.before == {"审批状态": "待领导审批"}
    assert Notification.objects.filter(user=qx_leader, key=f"extension-withdrawn:{asked.pk}")
    # Decided in between: refused, nothing written.
    settings.DUBAN_EXTENSION_LEADER_APPROVAL = False
    again = extensions.request_extension(
        qx_bureau,
        asked.target,
        requested_deadline=timezone.localdate() + datetime.timedelta(days=60),
        reason="再议",
    )
    stale = DeadlineExtension.objects.get(pk=again.pk)
    extensions.decide_extension(qx_office, again, approve=False, comment="请按期完成")
    with pytest.raises(TransitionError, match="已审批（未批准），不能撤回"):
        extensions.withdraw_extension(qx_bureau, stale)
    assert AuditEvent.objects.filter(summary="申请单位撤回延期申请").count() == 1
