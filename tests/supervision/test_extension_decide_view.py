"""Deciding a deadline extension, /extensions/<id>/decide/: office staff review, the leader in
charge approves where the office's rule asks for it, and only an approved request moves the
deadline, the lights and the reminders."""

import datetime

import pytest
from django.utils import timezone

from duban.audit.models import AuditEvent
from duban.organisations.models import Person
from duban.supervision import extensions, reminders
from duban.supervision.models import DeadlineExtension, Notification
from duban.targets.models import Target, TransitionError
from tests.qingxi import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(qx_extension_asked):
    return qx_extension_asked


def decide(client, extension, decision="approve", comment=""):
    return client.post(
        f"/extensions/{extension.pk}/decide/", {"decision": decision, "comment": comment}
    )


def test_office_then_leader_approve_and_the_deadline_moves(
    client, asked, qx_office, qx_leader, qx_bureau, qx_target
):
    old = qx_target.deadline
    client.force_login(qx_office)
    assert decide(client, asked, comment="理由充分").status_code == 302
    asked.refresh_from_db()
    assert asked.state == "awaiting_leader" and asked.needs_leader
    qx_target.refresh_from_db()
    assert qx_target.deadline == old  # not yet: the leader decides
    assert Notification.objects.filter(user=qx_leader, kind="extension").exists()

    client.force_login(qx_leader)
    html = client.get(f"/targets/{qx_target.pk}/").content.decode()
    assert f"/extensions/{asked.pk}/decide/" in html
    assert decide(client, asked, comment="同意").status_code == 302
    asked.refresh_from_db()
    assert asked.state == "approved" and asked.decided_at is not None
    qx_target.refresh_from_db()
    assert qx_target.deadline == asked.requested_deadline
    assert qx_target.extension_count == 1
    notice = Notification.objects.get(user=qx_bureau, kind="extension_decided")
    assert "已批准" in notice.message

    trail = AuditEvent.objects.for_target(qx_target.pk)
    summaries = [e.summary for e in trail]
    assert "督查员审核同意，报分管领导审批" in summaries
    assert "分管领导同意延期" in summaries
    moved = trail.get(object_type__model="target", summary__startswith="延期")
    assert moved.before["完成时限（日期）"] == old.isoformat()
    assert moved.after["完成时限（日期）"] == asked.requested_deadline.isoformat()
    assert moved.after["延期次数"] == 1
    html = client.get(f"/targets/{qx_target.pk}/").content.decode()
    assert asked.requested_deadline.strftime("%Y年%m月%d日") in html
    assert "已延期1次" in html


def test_without_the_leader_rule_the_office_decides(client, settings, asked, qx_office, qx_target):
    settings.DUBAN_EXTENSION_LEADER_APPROVAL = False
    client.force_login(qx_office)
    assert decide(client, asked).status_code == 302
    asked.refresh_from_db()
    qx_target.refresh_from_db()
    assert asked.state == "approved" and not asked.needs_leader
    assert qx_target.deadline == asked.requested_deadline


def test_a_target_without_a_leader_is_decided_by_the_office(
    client, make_qx_target, qx_bureau, qx_office
):
    target = make_qx_target(leader=False)
    extension = extensions.request_extension(
        qx_bureau,
        target,
        requested_deadline=target.deadline + datetime.timedelta(days=10),
        reason="等待省厅批复",
    )
    client.force_login(qx_office)
    assert decide(client, extension).status_code == 302
    target.refresh_from_db()
    assert target.deadline == extension.requested_deadline


def test_the_office_records_the_decision_of_a_leader_without_an_account(
    client, make_qx_target, qx, qx_bureau, qx_office
):
    paper_leader = Person.objects.create(name="赵副市长", role=Person.Role.LEADER)
    target = make_qx_target(leader=paper_leader)
    extension = extensions.request_extension(
        qx_bureau,
        target,
        requested_deadline=target.deadline + datetime.timedelta(days=10),
        reason="等待省厅批复",
    )
    client.force_login(qx_office)
    decide(client, extension)
    extension.refresh_from_db()
    assert extension.state == "awaiting_leader"
    assert decide(client, extension).status_code == 302
    extension.refresh_from_db()
    assert extension.state == "approved"
    assert AuditEvent.objects.filter(
        target_id=target.pk, summary__contains="由督查员代为登记"
    ).exists()


def test_the_office_may_not_decide_for_a_leader_with_an_account(
    client, asked, qx_office, qx_target
):
    client.force_login(qx_office)
    decide(client, asked)
    response = decide(client, asked)
    assert response.status_code == 403
    assert "只有该目标的分管领导可以审批" in response.content.decode()
    asked.refresh_from_db()
    assert asked.state == "awaiting_leader"


@pytest.mark.parametrize("stage", ["office", "leader"])
def test_a_refusal_leaves_everything_as_it_was(
    client, asked, qx_office, qx_leader, qx_bureau, qx_target, stage
):
    before = Target.objects.filter(pk=qx_target.pk).values().get()
    client.force_login(qx_office)
    if stage == "leader":
        decide(client, asked)
        client.force_login(qx_leader)
    assert decide(client, asked, "refuse", "理由不充分，请按原时限推进").status_code == 302
    asked.refresh_from_db()
    assert asked.state == "refused"
    after = Target.objects.filter(pk=qx_target.pk).values().get()
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"
    }
    assert not AuditEvent.objects.filter(
        object_type__model="target", target_id=qx_target.pk, summary__startswith="延期"
    ).exists()
    notice = Notification.objects.get(user=qx_bureau, kind="extension_decided")
    assert "未批准" in notice.message and "理由不充分" in notice.message
    # The unit may ask again, with better reasons.
    client.force_login(qx_bureau)
    assert client.get(f"/targets/{qx_target.pk}/extension/").status_code == 200


def test_a_refusal_needs_a_reason(client, asked, qx_office):
    client.force_login(qx_office)
    response = decide(client, asked, "refuse", "")
    assert response.status_code == 400
    assert "不同意延期时请填写理由" in response.content.decode()
    asked.refresh_from_db()
    assert asked.state == "pending"


def test_a_decision_must_be_chosen(client, asked, qx_office):
    client.force_login(qx_office)
    response = client.post(f"/extensions/{asked.pk}/decide/", {"decision": "maybe"})
    assert response.status_code == 400
    assert "请选择审批结果" in response.content.decode()
    asked.refresh_from_db()
    assert asked.state == "pending"


@pytest.mark.parametrize("user", ["qx_bureau", "qx_finance"])
def test_a_unit_user_may_not_decide(client, asked, user, request):
    client.force_login(request.getfixturevalue(user))
    response = decide(client, asked)
    assert response.status_code == 403
    assert "只有督查员可以审核延期申请" in response.content.decode()
    asked.refresh_from_db()
    assert asked.state == "pending"


def test_the_leader_may_not_take_the_offices_review(client, asked, qx_leader):
    client.force_login(qx_leader)
    assert decide(client, asked).status_code == 403
    asked.refresh_from_db()
    assert asked.state == "pending"


def test_another_leader_does_not_find_the_request(
    client, asked, qx_office, qx_other_leader, qx_yuntai
):
    client.force_login(qx_office)
    decide(client, asked)
    for outsider in (qx_other_leader, qx_yuntai):
        client.force_login(outsider)
        assert decide(client, asked).status_code == 404
    asked.refresh_from_db()
    assert asked.state == "awaiting_leader"


def test_an_unknown_request_is_not_found(client, qx_office):
    client.force_login(qx_office)
    assert client.post("/extensions/999999/decide/", {"decision": "approve"}).status_code == 404


def test_a_decided_request_is_not_decided_again(client, settings, asked, qx_office, qx_target):
    settings.DUBAN_EXTENSION_LEADER_APPROVAL = False
    client.force_login(qx_office)
    decide(client, asked)
    response = decide(client, asked, "refuse", "改变主意")
    assert response.status_code == 409
    assert "已审批（已批准）" in response.content.decode()
    qx_target.refresh_from_db()
    assert qx_target.extension_count == 1


def test_two_clicks_on_approve_make_one_decision(settings, asked, qx_office, qx_target):
    settings.DUBAN_EXTENSION_LEADER_APPROVAL = False
    stale = DeadlineExtension.objects.get(pk=asked.pk)  # as the second click read it
    extensions.decide_extension(qx_office, asked, approve=True)
    with pytest.raises(TransitionError, match="已由他人审批"):
        extensions.decide_extension(qx_office, stale, approve=True)
    qx_target.refresh_from_db()
    assert qx_target.extension_count == 1
    assert AuditEvent.objects.filter(target_id=qx_target.pk, summary="督查员同意延期").count() == 1


def test_a_target_closed_meanwhile_is_not_extended(client, settings, asked, qx_office, qx_target):
    settings.DUBAN_EXTENSION_LEADER_APPROVAL = False
    Target.objects.filter(pk=qx_target.pk).update(state=Target.State.CLOSED)
    client.force_login(qx_office)
    response = decide(client, asked)
    assert response.status_code == 409
    assert "目标已办结" in response.content.decode()
    asked.refresh_from_db()
    assert asked.state == "pending"


def test_the_light_follows_the_approved_date(settings, make_qx_target, qx_bureau, qx_office):
    settings.DUBAN_EXTENSION_LEADER_APPROVAL = False
    target = make_qx_target(days=2)
    assert Target.objects.with_lights().get(pk=target.pk).light == "yellow"
    extension = extensions.request_extension(
        qx_bureau,
        target,
        requested_deadline=target.deadline + datetime.timedelta(days=60),
        reason="设备到货延迟",
    )
    extensions.decide_extension(qx_office, extension, approve=True)
    assert Target.objects.with_lights().get(pk=target.pk).light == "green"
    target.refresh_from_db()
    assert target.light() == "green"


def test_reminders_follow_the_approved_date(settings, make_qx_target, qx_bureau, qx_office):
    settings.DUBAN_EXTENSION_LEADER_APPROVAL = False
    target = make_qx_target(days=3)
    today = timezone.localdate()
    result = reminders.run(today, email=False)
    assert result.given["due_soon"] == 1
    extension = extensions.request_extension(
        qx_bureau, target, requested_deadline=today + datetime.timedelta(days=40), reason="延期"
    )
    extensions.decide_extension(qx_office, extension, approve=True)
    assert reminders.run(today, email=False).given["due_soon"] == 0
    # Due soon again before the new date: a new reminder, about the new date.
    near_new = today + datetime.timedelta(days=36)
    assert reminders.run(near_new, email=False).given["due_soon"] == 1
    keys = list(
        Notification.objects.filter(target=target, kind="due_soon").values_list("key", flat=True)
    )
    assert any(extension.requested_deadline.isoformat() in k for k in keys)


def test_sub_targets_sharing_the_deadline_follow(settings, make_qx_target, qx_bureau, qx_office):
    settings.DUBAN_EXTENSION_LEADER_APPROVAL = False
    parent = make_qx_target()
    same = make_qx_target(parent=parent, number="一是")
    own = make_qx_target(parent=parent, number="二是", days=10)
    extension = extensions.request_extension(
        qx_bureau,
        parent,
        requested_deadline=parent.deadline + datetime.timedelta(days=30),
        reason="统筹推进",
    )
    extensions.decide_extension(qx_office, extension, approve=True)
    same.refresh_from_db()
    own.refresh_from_db()
    assert same.deadline == extension.requested_deadline
    assert own.deadline == timezone.localdate() + datetime.timedelta(days=10)
