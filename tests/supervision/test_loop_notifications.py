"""Notifications that close the loop: the office hears of every report submitted or sent again,
the lead unit of every report accepted or returned and of its target closed; in the app and by
e-mail to a real SMTP server on loopback, each event once, to the right people and only them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from duban.organisations.models import Person
from duban.supervision import actions
from duban.supervision.models import Notification
from duban.targets.models import ProgressReport, Target

from ..conftest import _user, login
from .test_remind import free_port, loopback_smtp, use_smtp


@pytest.fixture
def smtp(settings):
    with loopback_smtp(settings) as inbox:
        yield inbox


@pytest.fixture
def people(city, office_user, bureau_user, finance_user, leader_user):
    """Two office staff members, one gone; two bureau reporters, one gone; finance (co-unit)
    and a leader. Everyone has an address."""
    colleague = _user(
        "office2", role=Person.Role.OFFICE, organisation=city["bureau"], name="督查员乙"
    )
    retired = _user(
        "office3", role=Person.Role.OFFICE, organisation=city["bureau"], name="督查员丙"
    )
    Person.objects.filter(user=retired).update(is_active=False)
    second = _user("bureau2", role=Person.Role.UNIT, organisation=city["bureau"], name="科技局二")
    locked = _user("bureau3", role=Person.Role.UNIT, organisation=city["bureau"], name="科技局三")
    locked.is_active = False
    locked.save()
    users = {
        "office": office_user,
        "office2": colleague,
        "office3": retired,
        "bureau": bureau_user,
        "bureau2": second,
        "bureau3": locked,
        "finance": finance_user,
        "leader": leader_user,
    }
    for name, user in users.items():
        Person.objects.filter(user=user).update(email=f"{name}@baisha.example")
    return users


@pytest.fixture
def target(make_target, city, people, leader):
    target = make_target(
        year=timezone.localdate().year,
        number="12",
        title="孵化器建设",
        text="建设科技企业孵化器3家",
    )
    target.approve()
    target.assign(
        lead_unit=city["bureau"], co_units=[city["finance"]], leader=leader, deadline_text="年内"
    )
    target.acknowledge()
    return target


def period_now() -> str:
    today = timezone.localdate()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def period_label_now() -> str:
    today = timezone.localdate()
    return f"{today.year}年第{'一二三四'[(today.month - 1) // 3]}季度"


def recipients(kind) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def inbox(smtp) -> list[tuple[str, str]]:
    """(recipient, subject) of every message received so far, and forget them."""
    received = sorted((m.envelope_to[0].split("@")[0], m.subject) for m in smtp.messages)
    smtp.messages.clear()
    return received


def report_form(**fields):
    return {
        "period": period_now(),
        "progress": "已完成孵化器选址，签订入驻协议5家",
        "is_complete": "no",
        "reason": "土地手续在办理",
        "next_steps": "下季度开工",
        **fields,
    }


def test_each_step_notifies_the_next_ones_in_app_and_by_email_once(
    client, smtp, people, target, django_capture_on_commit_callbacks
):
    office, bureau = people["office"], people["bureau"]

    # The unit submits on the report page: the active office staff hear of it.
    with django_capture_on_commit_callbacks(execute=True):
        response = login(client, bureau).post(f"/targets/{target.pk}/report/", report_form())
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert recipients("submitted") == ["office", "office2"]
    note = Notification.objects.filter(kind="submitted").first()
    assert note.target == target and note.key == f"submitted:{report.pk}"
    assert note.message == (
        f"报送待审核：市科技局报送了“12. 孵化器建设”{period_label_now()}进展，请审核。"
    )
    assert note.get_kind_display() == "报送待审核"
    assert inbox(smtp) == [
        ("office", "【督办审核】“12. 孵化器建设”进展报送待审核"),
        ("office2", "【督办审核】“12. 孵化器建设”进展报送待审核"),
    ]
    assert Notification.objects.count() == 2

    # The office returns it: the lead unit's active reporters hear of it, with the reason.
    with django_capture_on_commit_callbacks(execute=True):
        response = login(client, office).post(
            f"/reports/{report.pk}/review/", {"decision": "return", "comment": "请补充佐证材料"}
        )
    assert response.status_code == 302
    assert recipients("returned") == ["bureau", "bureau2"]
    assert "请补充佐证材料" in Notification.objects.filter(kind="returned").first().message
    assert inbox(smtp) == [
        ("bureau", "【督办提醒】“12. 孵化器建设”报送被退回"),
        ("bureau2", "【督办提醒】“12. 孵化器建设”报送被退回"),
    ]

    # The unit sends it again: the office hears it is back, and that it was returned before.
    report.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(client, bureau).post(
            f"/targets/{target.pk}/report/",
            # Complete: closing after it asks no confirmation (test_close_confirmation.py).
            report_form(
                progress="已补充佐证材料", is_complete="yes", reason="", version=report.version
            ),
        )
    assert response.status_code == 302
    assert recipients("resubmitted") == ["office", "office2"]
    back = Notification.objects.filter(kind="resubmitted").first()
    assert back.message.startswith("重新报送：市科技局修改后重新报送了“12. 孵化器建设”")
    assert "退回），请审核。" in back.message and period_label_now() in back.message
    assert back.get_kind_display() == "重新报送"
    assert inbox(smtp) == [
        ("office", "【督办审核】“12. 孵化器建设”进展重新报送待审核"),
        ("office2", "【督办审核】“12. 孵化器建设”进展重新报送待审核"),
    ]

    # The office accepts it: the lead unit hears of it (the co-unit and the leader do not).
    with django_capture_on_commit_callbacks(execute=True):
        login(client, office).post(
            f"/reports/{report.pk}/review/", {"decision": "accept", "comment": "材料齐全"}
        )
    assert recipients("accepted") == ["bureau", "bureau2"]
    accepted = Notification.objects.filter(kind="accepted").first()
    assert accepted.message == (
        f"报送已通过：“12. 孵化器建设”{period_label_now()}进展已审核通过。意见：材料齐全"
    )
    assert accepted.get_kind_display() == "报送已通过"
    assert inbox(smtp) == [
        ("bureau", "【督办提醒】“12. 孵化器建设”进展报送已通过"),
        ("bureau2", "【督办提醒】“12. 孵化器建设”进展报送已通过"),
    ]

    # The office closes the target: the lead unit hears of it.
    with django_capture_on_commit_callbacks(execute=True):
        response = login(client, office).post(
            f"/targets/{target.pk}/close/", {"note": "3家孵化器均已投入运营"}
        )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.state == Target.State.CLOSED
    assert recipients("closed") == ["bureau", "bureau2"]
    closed = Notification.objects.filter(kind="closed").first()
    assert (
        closed.message == "目标已办结：“12. 孵化器建设”已办结销号。办结说明：3家孵化器均已投入运营"
    )
    assert closed.get_kind_display() == "目标已办结"
    assert inbox(smtp) == [
        ("bureau", "【督办提醒】“12. 孵化器建设”已办结"),
        ("bureau2", "【督办提醒】“12. 孵化器建设”已办结"),
    ]

    # Ten notifications in all, each e-mailed; nobody else heard anything.
    assert Notification.objects.count() == 10
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert not Notification.objects.filter(
        user__username__in=["office3", "bureau3", "finance", "leader"]
    ).exists()


def test_every_return_and_resubmission_is_an_event_of_its_own(
    smtp, people, target, django_capture_on_commit_callbacks
):
    office, bureau = people["office"], people["bureau"]
    with django_capture_on_commit_callbacks(execute=True):
        report = actions.save_report(
            bureau, target, period=period_now(), progress="进展", is_complete=True
        )
    for round_ in (1, 2):
        with django_capture_on_commit_callbacks(execute=True):
            actions.return_report(office, report, f"第{round_}次退回")
        report.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            actions.save_report(
                bureau,
                target,
                period=report.period,
                progress=f"第{round_}次修改",
                is_complete=True,
                report=report,
                expected_version=report.version,
            )
    assert recipients("submitted") == ["office", "office2"]
    assert recipients("returned") == ["bureau", "bureau", "bureau2", "bureau2"]
    assert recipients("resubmitted") == ["office", "office", "office2", "office2"]
    assert len(smtp.messages) == Notification.objects.count() == 10


def test_the_same_event_never_notifies_twice(
    smtp, people, target, django_capture_on_commit_callbacks
):
    """Telling of a step again (a retried request, a second call) gives nothing new."""
    bureau = people["bureau"]
    report = actions.save_report(
        bureau, target, period=period_now(), progress="进展", is_complete=True, submit=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        report.submit(bureau)
        actions._notify_submitted(bureau, report, resubmitted=False)
        actions._notify_submitted(bureau, report, resubmitted=False)
    assert recipients("submitted") == ["office", "office2"]
    assert len(smtp.messages) == 2


def test_a_draft_notifies_nobody_and_the_office_acting_is_not_told_of_its_own_step(
    smtp, people, target, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.save_report(
            people["bureau"],
            target,
            period=period_now(),
            progress="草稿",
            is_complete=None,
            submit=False,
        )
    assert not Notification.objects.exists() and not smtp.messages
    # An office member who submits for the unit (e.g. a reply by file) tells the others only.
    report = ProgressReport.objects.get()
    report.progress, report.is_complete = "代为报送", True
    report.save()
    with django_capture_on_commit_callbacks(execute=True):
        report.submit(people["office"])
        actions._notify_submitted(people["office"], report, resubmitted=False)
    assert recipients("submitted") == ["office2"]


def test_a_refused_step_notifies_nobody(smtp, people, target, django_capture_on_commit_callbacks):
    report = actions.save_report(
        people["bureau"], target, period=period_now(), progress="进展", is_complete=True
    )
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        actions.return_report(people["office"], report, "   ")  # a return needs its reason
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        actions.accept(people["bureau"], report)  # a unit may not accept
    assert not Notification.objects.exists() and not smtp.messages


def test_a_step_taken_while_smtp_is_down_keeps_its_notification_for_remind(
    settings, people, target, django_capture_on_commit_callbacks
):
    use_smtp(settings, free_port())
    with django_capture_on_commit_callbacks(execute=True):
        actions.save_report(
            people["bureau"], target, period=period_now(), progress="进展", is_complete=True
        )
    notes = list(Notification.objects.filter(kind="submitted"))
    assert len(notes) == 2
    assert all(n.emailed_at is None and "Connection refused" in n.email_error for n in notes)
