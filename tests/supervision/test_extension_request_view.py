"""The lead unit's request for a later deadline (延期申请), /targets/<id>/extension/: who may
ask, when, with what; every refusal writes nothing."""

import datetime

import pytest
from django.utils import timezone

from duban.audit.models import AuditEvent
from duban.supervision.models import DeadlineExtension, Notification
from duban.targets.models import Target
from tests.qingxi import *  # noqa: F403

pytestmark = pytest.mark.django_db


def later(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def ask(client, target, **data):
    values = {"requested_deadline": later(60), "reason": "孵化器选址需重新论证，需延后一个月"}
    values.update(data)
    return client.post(f"/targets/{target.pk}/extension/", values)


def test_the_lead_unit_asks_and_the_office_is_told(client, qx_bureau, qx_office, qx_target):
    client.force_login(qx_bureau)
    page = client.get(f"/targets/{qx_target.pk}/extension/")
    assert page.status_code == 200 and "申请延期" in page.content.decode()
    old = qx_target.deadline
    response = ask(client, qx_target)
    assert response.status_code == 302
    extension = DeadlineExtension.objects.get(target=qx_target)
    assert extension.state == "pending"
    assert extension.old_deadline == old
    assert extension.requested_deadline.isoformat() == later(60)
    assert extension.requested_by == qx_bureau
    qx_target.refresh_from_db()
    assert qx_target.deadline == old and qx_target.extension_count == 0  # not until approved
    event = AuditEvent.objects.get(
        target_id=qx_target.pk, action="create", object_type__model="deadlineextension"
    )
    assert event.after["申请延至"] == later(60)
    assert event.after["原完成时限"] == old.isoformat()
    assert event.after["延期理由"].startswith("孵化器选址")
    notice = Notification.objects.get(user=qx_office, kind="extension")
    assert "延期申请" in notice.message and "市科技局" in notice.message


def test_the_target_page_offers_the_request_to_the_lead_unit_only(
    client, qx_bureau, qx_finance, qx_office, qx_target
):
    for user, offered in ((qx_bureau, True), (qx_finance, False), (qx_office, False)):
        client.force_login(user)
        html = client.get(f"/targets/{qx_target.pk}/").content.decode()
        assert (f"/targets/{qx_target.pk}/extension/" in html) is offered


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": ""}, "请填写延期理由"),
        ({"reason": "   "}, "请填写延期理由"),
        ({"requested_deadline": ""}, "请填写申请延至"),
        ({"requested_deadline": "下个月"}, "请输入有效的日期"),
    ],
)
def test_missing_fields_are_refused(client, qx_bureau, qx_target, data, message):
    client.force_login(qx_bureau)
    response = ask(client, qx_target, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DeadlineExtension.objects.exists()


def test_a_date_not_later_than_the_deadline_is_refused(client, qx_bureau, qx_target):
    client.force_login(qx_bureau)
    response = ask(client, qx_target, requested_deadline=qx_target.deadline.isoformat())
    assert response.status_code == 400
    assert "须晚于现在的完成时限" in response.content.decode()
    assert not DeadlineExtension.objects.exists()


def test_a_date_years_away_is_refused(client, qx_bureau, qx_target):
    client.force_login(qx_bureau)
    far = timezone.localdate().replace(year=timezone.localdate().year + 6, day=1)
    response = ask(client, qx_target, requested_deadline=far.isoformat())
    assert response.status_code == 400
    assert "申请延至的日期不能晚于" in response.content.decode()
    assert not DeadlineExtension.objects.exists()


def test_after_the_deadline_no_request(client, qx_bureau, make_qx_target):
    target = make_qx_target(days=-1)
    client.force_login(qx_bureau)
    response = ask(client, target)
    assert response.status_code == 409
    assert "已过，不能再申请延期" in response.content.decode()
    assert not DeadlineExtension.objects.exists()
    page = client.get(f"/targets/{target.pk}/extension/")
    assert page.status_code == 409 and "已过，不能再申请延期" in page.content.decode()
    assert (
        f"/targets/{target.pk}/extension/"
        not in client.get(f"/targets/{target.pk}/").content.decode()
    )


def test_on_the_deadline_day_a_request_is_still_in_time(client, qx_bureau, make_qx_target):
    target = make_qx_target(days=0)
    client.force_login(qx_bureau)
    assert ask(client, target).status_code == 302


def test_a_second_request_while_one_is_pending_is_refused(client, qx_bureau, qx_target):
    client.force_login(qx_bureau)
    assert ask(client, qx_target).status_code == 302
    response = ask(client, qx_target, requested_deadline=later(90))
    assert response.status_code == 409
    assert "已有待审批的延期申请" in response.content.decode()
    assert DeadlineExtension.objects.count() == 1


def test_the_database_keeps_one_open_request(qx_target, qx_bureau):
    DeadlineExtension.objects.create(
        target=qx_target,
        old_deadline=qx_target.deadline,
        requested_deadline=qx_target.deadline + datetime.timedelta(days=9),
        reason="一",
    )
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        DeadlineExtension.objects.create(
            target=qx_target,
            old_deadline=qx_target.deadline,
            requested_deadline=qx_target.deadline + datetime.timedelta(days=19),
            reason="二",
            state="awaiting_leader",
        )


@pytest.mark.parametrize("user", ["qx_office", "qx_leader", "qx_finance"])
def test_only_the_lead_unit_may_ask(client, qx_target, user, request):
    client.force_login(request.getfixturevalue(user))
    response = ask(client, qx_target)
    assert response.status_code == 403
    assert "只有牵头单位可以申请延期" in response.content.decode()
    assert client.get(f"/targets/{qx_target.pk}/extension/").status_code == 403
    assert not DeadlineExtension.objects.exists()


def test_another_units_target_is_not_found(client, qx_yuntai, qx_target):
    client.force_login(qx_yuntai)
    response = ask(client, qx_target)
    assert response.status_code == 404
    assert not DeadlineExtension.objects.exists()


@pytest.mark.parametrize(
    ("state", "label"),
    [(Target.State.CLOSED, "已办结"), (Target.State.APPROVED, "待交办")],
)
def test_a_target_not_being_handled_cannot_be_extended(
    client, qx_bureau, make_qx_target, state, label
):
    target = make_qx_target(state=state)
    client.force_login(qx_bureau)
    response = ask(client, target)
    assert response.status_code == 409
    assert label in response.content.decode()
    assert not DeadlineExtension.objects.exists()


def test_a_target_without_a_date_needs_no_extension(client, qx_bureau, make_qx_target):
    target = make_qx_target(days=None, deadline_text="持续推进")
    client.force_login(qx_bureau)
    response = ask(client, target)
    assert response.status_code == 409
    assert "没有确定的完成日期" in response.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client, qx_target):
    response = ask(client, qx_target)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not DeadlineExtension.objects.exists()
