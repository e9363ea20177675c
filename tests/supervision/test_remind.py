"""`duban remind`: due-soon and overdue reminders, by e-mail through a real SMTP server on
loopback and in the app, each exactly once, recorded in the audit trail."""

import contextlib
import datetime
import email
import email.policy
import io
import os
import socket
import subprocess
import sys
import threading
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from duban.audit.models import AuditEvent
from duban.organisations.models import Person
from duban.supervision import actions, reminders
from duban.supervision.models import Digest, Notification
from duban.targets.models import Milestone, ProgressReport, Target

from ..conftest import _user

TODAY = datetime.date(2026, 6, 15)
DAY = datetime.timedelta(days=1)


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message.envelope_to = list(envelope.rcpt_tos)
        # A long encoded subject is folded onto the next line: read it as a client shows it.
        message.subject = " ".join(str(message["Subject"]).split())
        # The text part, also of a message with an attachment (a round's notice and its form).
        body = message.get_body(preferencelist=("plain",))
        message.text = (body.get_content() if body is not None else "").replace("\r\n", "\n")
        self.messages.append(message)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def use_smtp(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5


@contextlib.contextmanager
def loopback_smtp(settings):
    """A real SMTP server on loopback, and Django's SMTP backend pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    inbox.port = controller.port
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp(settings):
    with loopback_smtp(settings) as inbox:
        yield inbox


@pytest.fixture
def smtp_down(settings):
    """Django's SMTP backend pointed at a loopback port where nothing listens."""
    use_smtp(settings, free_port())


@pytest.fixture(autouse=True)
def rules(settings):
    settings.DUBAN_DUE_SOON_DAYS = 7
    settings.DUBAN_BASE_URL = "https://duban.example.gov.cn"


@pytest.fixture
def reporter(city, bureau_user):
    """The bureau's unit reporter, with an e-mail address on their person."""
    Person.objects.filter(user=bureau_user).update(email="bureau@baisha.example")
    bureau_user.refresh_from_db()
    return bureau_user


@pytest.fixture
def target(make_target, city):
    def make(deadline=None, state=Target.State.IN_PROGRESS, unit="bureau", **fields):
        lead_unit = city[unit] if unit else None
        return make_target(state=state, lead_unit=lead_unit, deadline=deadline, **fields)

    return make


def remind(*args, today=TODAY):
    out, err = io.StringIO(), io.StringIO()
    argv = ["--today", today.isoformat(), *args] if today else list(args)
    code = 0
    try:
        call_command("remind", *argv, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


# --- the rules ------------------------------------------------------------------------


def test_due_soon_reminder_arrives_in_the_days_digest_once_across_two_runs(smtp, reporter, target):
    t = target(deadline=TODAY + 3 * DAY, title="建设科技企业孵化器", number="7")
    code, out, err = remind()
    assert code == 0, err
    assert "新提醒 1 项（临期 1）" in out and "今日待办邮件已发送 1 封" in out
    assert remind()[0] == 0
    assert remind("-v", "2")[0] == 0

    [message] = smtp.messages
    assert message.envelope_to == ["bureau@baisha.example"]
    assert message.subject == "【督办】今日待办：临期1项"
    body = message.text
    assert body.startswith("科技局填报员：")
    assert "截至2026年6月15日，您有以下督办事项需要办理（临期1项）" in body
    assert (
        "【临期】1项\n1. 7. 建设科技企业孵化器\n   完成时限：2026年6月18日（还有3天到期）" in body
    )
    assert f"   查看详情：https://duban.example.gov.cn/targets/{t.pk}/" in body
    [digest] = Digest.objects.all()
    assert (digest.user, digest.day, digest.items) == (reporter, TODAY, 1)
    assert digest.emailed_at is not None and digest.email_error == ""

    [notice] = Notification.objects.all()
    assert notice.user == reporter and notice.target == t and notice.kind == "due_soon"
    assert notice.key == f"due_soon:{t.pk}:2026-06-18"
    assert notice.emailed_at == digest.emailed_at and notice.email_error == ""  # in the digest
    assert notice.read_at is None


def test_a_changed_deadline_is_a_new_reminder(smtp, reporter, target):
    t = target(deadline=TODAY + 3 * DAY)
    remind()
    t.deadline = TODAY + 5 * DAY
    t.save()
    remind()
    remind()
    assert Notification.objects.filter(kind="due_soon").count() == 2
    assert len(smtp.messages) == 1  # the day's digest went out before the change
    remind(today=TODAY + DAY)
    assert len(smtp.messages) == 2
    assert "2026年6月20日（还有4天到期）" in smtp.messages[1].get_content()


def test_overdue_reminder_repeats_in_app_after_the_interval_and_by_email_daily(
    smtp, reporter, target
):
    t = target(deadline=TODAY - DAY)
    remind()
    remind()
    assert len(smtp.messages) == 1
    assert smtp.messages[0].subject == "【督办】今日待办：逾期1项"
    assert "完成时限：2026年6月14日（已逾期1天）" in smtp.messages[0].get_content()
    for later in range(1, 7):  # 2 to 7 days late: still within the first 7-day span
        remind(today=TODAY + later * DAY)
        remind(today=TODAY + later * DAY)
    assert Notification.objects.count() == 1
    assert len(smtp.messages) == 7  # the day's to-do list, once each day
    assert "已逾期7天" in smtp.messages[6].get_content()
    remind(today=TODAY + 7 * DAY)  # 8 days late: the second span
    remind(today=TODAY + 7 * DAY)
    assert len(smtp.messages) == 8
    assert "已逾期8天" in smtp.messages[7].get_content()
    keys = sorted(Notification.objects.values_list("key", flat=True))
    assert keys == [f"overdue:{t.pk}:2026-06-14:0", f"overdue:{t.pk}:2026-06-14:1"]


def test_due_soon_then_overdue_are_two_reminders(smtp, reporter, target):
    target(deadline=TODAY + DAY)
    remind()
    remind(today=TODAY + DAY)  # due today: still the same due-soon reminder
    remind(today=TODAY + 2 * DAY)
    assert [n.kind for n in Notification.objects.order_by("id")] == ["due_soon", "overdue"]
    assert [m.subject.split("：")[1] for m in smtp.messages] == ["临期1项", "临期1项", "逾期1项"]
    assert "今天到期" not in smtp.messages[0].get_content()
    assert "今天到期" in smtp.messages[1].get_content()


def test_targets_far_from_their_deadline_get_none(smtp, reporter, target):
    target(deadline=TODAY + 8 * DAY)
    target(deadline=None)
    code, out, _ = remind()
    assert code == 0 and "新提醒 0 项" in out
    assert not Notification.objects.exists() and not smtp.messages


def test_milestone_without_a_report_is_reminded(smtp, reporter, target):
    t = target(deadline=datetime.date(2026, 12, 31))
    due = Milestone.objects.create(
        target=t, period="2026-Q2", text="完成高企申报辅导", due_date=TODAY + 5 * DAY
    )
    late = Milestone.objects.create(target=t, period="2026-Q1", text="完成摸底")  # due 3-31
    remind()
    remind()
    notes = {n.key: n for n in Notification.objects.all()}
    assert set(notes) == {
        f"milestone_due_soon:{due.pk}:2026-06-20",
        f"milestone_overdue:{late.pk}:2026-03-31:{(76 - 1) // 7}",
    }
    due_soon = notes[f"milestone_due_soon:{due.pk}:2026-06-20"]
    assert "2026年第二季度阶段目标（完成高企申报辅导）将于2026年6月20日到期" in due_soon.message
    assert due_soon.kind == "due_soon"
    overdue = notes[f"milestone_overdue:{late.pk}:2026-03-31:10"]
    assert "已逾期76天，本期进展尚未报送" in overdue.message and overdue.kind == "overdue"
    [message] = smtp.messages
    assert message.subject == "【督办】今日待办：临期1项、逾期1项"
    body = message.text
    assert (
        "【临期】1项\n1. " + str(t) + "\n   2026年第二季度阶段目标：完成高企申报辅导，"
        "2026年6月20日到期（还有5天到期），本期进展尚未报送"
    ) in body
    assert "2026年第一季度阶段目标：完成摸底，2026年3月31日到期（已逾期76天）" in body


def test_milestone_with_a_submitted_or_accepted_report_is_not_reminded(smtp, reporter, target):
    t = target(deadline=datetime.date(2026, 12, 31))
    for period, review in [
        ("2026-Q1", ProgressReport.Review.ACCEPTED),
        ("2026-Q2", ProgressReport.Review.SUBMITTED),
    ]:
        Milestone.objects.create(target=t, period=period, text="阶段任务")
        ProgressReport.objects.create(
            target=t, period=period, progress="已完成", review_state=review
        )
    returned = Milestone.objects.create(
        target=t, period="2026-M06", text="月度任务", due_date=TODAY + DAY
    )
    ProgressReport.objects.create(
        target=t, period="2026-M06", progress="草稿", review_state=ProgressReport.Review.RETURNED
    )
    remind()
    assert list(Notification.objects.values_list("key", flat=True)) == [
        f"milestone_due_soon:{returned.pk}:2026-06-16"
    ]


def test_not_acknowledged_three_days_after_assignment_is_reminded(smtp, reporter, target, city):
    t = target(state=Target.State.APPROVED)
    t.assign(lead_unit=city["bureau"])
    assigned_on = timezone.localdate()
    for days in (0, 3):
        remind(today=assigned_on + days * DAY)
    assert not smtp.messages
    remind(today=assigned_on + 4 * DAY)
    remind(today=assigned_on + 5 * DAY)
    assert [m.subject for m in smtp.messages] == ["【督办】今日待办：未签收1项"] * 2
    assert "4天未签收" in smtp.messages[0].get_content()
    assert "5天未签收" in smtp.messages[1].get_content()
    [notice] = Notification.objects.all()
    assert notice.key == f"unacknowledged:{t.pk}:{city['bureau'].pk}:{assigned_on.isoformat()}"
    assert notice.get_kind_display() == "未签收提醒"
    t.acknowledge()
    remind(today=assigned_on + 20 * DAY)
    assert len(smtp.messages) == 2


def test_the_points_of_an_item_are_reminded_of_nothing_of_their_own(smtp, reporter, target, city):
    today = timezone.localdate()
    item = target(state=Target.State.APPROVED, deadline=today + 30 * DAY)
    target(state=Target.State.APPROVED, parent=item, deadline=today + 5 * DAY)
    target(state=Target.State.APPROVED, parent=item, deadline=today + 30 * DAY)
    item.assign(lead_unit=city["bureau"])
    assert Target.objects.filter(parent=item, state=Target.State.ASSIGNED).count() == 2
    # Four days on, the item is not acknowledged and a point's own deadline is near.
    remind(today=today + 4 * DAY)
    assert [(n.target_id, n.kind) for n in Notification.objects.all()] == [
        (item.pk, "unacknowledged")
    ]


def test_closed_and_unassigned_targets_get_none(smtp, reporter, target):
    target(deadline=TODAY - DAY, state=Target.State.CLOSED)
    target(deadline=TODAY + DAY, state=Target.State.REGISTERED)
    t = target(deadline=TODAY + DAY, state=Target.State.APPROVED)
    Milestone.objects.create(target=t, period="2026-Q2", text="阶段任务")
    target(deadline=TODAY + DAY, state=Target.State.IN_PROGRESS, unit=None)
    code, out, _ = remind()
    assert code == 0 and "新提醒 0 项" in out
    assert not Notification.objects.exists() and not smtp.messages


def test_only_the_lead_units_active_reporters_are_reminded(
    smtp, reporter, finance_user, target, city, office_user, leader_user
):
    Person.objects.filter(user=finance_user).update(email="finance@baisha.example")
    gone = _user("gone", role=Person.Role.UNIT, organisation=city["bureau"], name="已调离")
    Person.objects.filter(user=gone).update(is_active=False, email="gone@baisha.example")
    locked = _user("locked", role=Person.Role.UNIT, organisation=city["bureau"], name="已停用")
    locked.is_active = False
    locked.email = "locked@baisha.example"
    locked.save()
    target(deadline=TODAY + DAY, co_units=[city["finance"]])
    target(deadline=TODAY + DAY, unit="industry")  # a unit without any reporter
    code, out, _ = remind()
    assert code == 0 and "牵头单位无人接收 1 项" in out
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["bureau"]
    assert [m.envelope_to for m in smtp.messages] == [["bureau@baisha.example"]]


def test_users_without_an_address_get_the_notification_in_app_only(smtp, reporter, target, city):
    quiet = _user("quiet", role=Person.Role.UNIT, organisation=city["bureau"], name="无邮箱")
    account_only = _user(
        "acct", role=Person.Role.UNIT, organisation=city["bureau"], name="账号邮箱"
    )
    account_only.email = "acct@baisha.example"
    account_only.save()
    target(deadline=TODAY + DAY)
    code, out, _ = remind()
    assert code == 0
    assert "今日待办邮件已发送 2 封、失败 0 封、无邮箱 1 人" in out
    assert sorted(a for m in smtp.messages for a in m.envelope_to) == [
        "acct@baisha.example",
        "bureau@baisha.example",
    ]
    silent = Notification.objects.get(user=quiet)
    assert silent.emailed_at is None and silent.email_error == ""
    remind()
    assert len(smtp.messages) == 2  # no address is not a failure: nothing to retry
    assert sorted(Digest.objects.values_list("user__username", flat=True)) == ["acct", "bureau"]


# --- the day's digest -------------------------------------------------------------------


def test_one_digest_per_person_a_day_with_their_items_and_the_next_day_again(
    smtp, reporter, finance_user, target, city
):
    second = _user("bureau2", role=Person.Role.UNIT, organisation=city["bureau"], name="科技局二")
    Person.objects.filter(user=second).update(email="bureau2@baisha.example")
    Person.objects.filter(user=finance_user).update(email="finance@baisha.example")
    soon = target(deadline=TODAY + 2 * DAY, number="1", title="孵化器建设")
    today_ = target(deadline=TODAY, number="2", title="高企培育")
    late = target(deadline=TODAY - 3 * DAY, number="3", title="平台建设")
    staged = target(deadline=datetime.date(2026, 12, 31), number="4", title="成果转化")
    Milestone.objects.create(target=staged, period="2026-Q1", text="完成摸底")
    target(deadline=TODAY + 30 * DAY, number="5", title="人才引进")  # nothing due
    theirs = target(deadline=TODAY - DAY, number="6", title="财政资金", unit="finance")
    target(deadline=TODAY - DAY, number="7", title="已办结", state=Target.State.CLOSED)

    code, out, err = remind()
    assert code == 0, err
    assert "新提醒 5 项" in out and "站内通知 9 条" in out  # one per target and person
    assert "今日待办邮件已发送 3 封" in out
    by_address = {m.envelope_to[0]: m for m in smtp.messages}
    assert sorted(by_address) == [
        "bureau2@baisha.example",
        "bureau@baisha.example",
        "finance@baisha.example",
    ]
    mine = by_address["bureau@baisha.example"]
    assert mine.subject == "【督办】今日待办：临期2项、逾期2项"
    assert mine.text.startswith("科技局填报员：")
    assert by_address["bureau2@baisha.example"].text.startswith("科技局二：")
    # Each item under its heading, nearest date first, with the target's deadline and link.
    link = "   查看详情：https://duban.example.gov.cn/targets/{}/"
    assert (
        "\n".join(
            [
                "【临期】2项",
                "1. 2. 高企培育",
                "   完成时限：2026年6月15日（今天到期）",
                link.format(today_.pk),
                "2. 1. 孵化器建设",
                "   完成时限：2026年6月17日（还有2天到期）",
                link.format(soon.pk),
                "",
                "【逾期】2项",
                "1. 4. 成果转化",
                "   2026年第一季度阶段目标：完成摸底，2026年3月31日到期（已逾期76天），本期进展尚未报送",
                link.format(staged.pk),
                "2. 3. 平台建设",
                "   完成时限：2026年6月12日（已逾期3天）",
                link.format(late.pk),
            ]
        )
        in mine.text
    )
    assert "人才引进" not in mine.text and "财政资金" not in mine.text and "已办结" not in mine.text
    finance = by_address["finance@baisha.example"]
    assert finance.subject == "【督办】今日待办：逾期1项"
    assert "6. 财政资金" in finance.text and "孵化器建设" not in finance.text
    assert link.format(theirs.pk) in finance.text

    # Cron runs again the same day: nothing more, in the app or by e-mail.
    code, out, _ = remind()
    assert code == 0 and "新提醒 0 项" in out and "今日待办邮件已发送 0 封" in out
    assert len(smtp.messages) == 3 and Notification.objects.count() == 9

    # The next day: the day's digest again, with what holds that day.
    smtp.messages.clear()
    remind(today=TODAY + DAY)
    remind(today=TODAY + DAY)
    by_address = {m.envelope_to[0]: m for m in smtp.messages}
    assert len(smtp.messages) == 3 and len(by_address) == 3
    mine = by_address["bureau@baisha.example"]
    assert mine.subject == "【督办】今日待办：临期1项、逾期3项"
    assert "截至2026年6月16日" in mine.text
    assert "完成时限：2026年6月15日（已逾期1天）" in mine.text
    assert "完成时限：2026年6月17日（还有1天到期）" in mine.text
    assert Digest.objects.filter(day=TODAY + DAY).count() == 3
    assert Digest.objects.count() == 6


def test_nobody_with_nothing_due_gets_a_digest(smtp, reporter, target):
    target(deadline=TODAY + 30 * DAY)
    code, out, _ = remind()
    assert code == 0 and "今日待办邮件已发送 0 封" in out
    assert not smtp.messages and not Digest.objects.exists()


def test_no_email_sends_no_digest_and_a_later_run_that_day_does(smtp, reporter, target):
    target(deadline=TODAY + DAY)
    remind("--no-email")
    assert not smtp.messages and not Digest.objects.exists()
    remind()
    remind()
    [message] = smtp.messages
    assert message.subject == "【督办】今日待办：临期1项"


def test_two_runs_saving_the_same_digest_send_it_once(smtp, reporter, target):
    target(deadline=TODAY + DAY)
    remind()
    [digest] = Digest.objects.all()
    late = Digest(user=reporter, day=TODAY, address="bureau@baisha.example", subject="s", body="b")
    assert reminders.create_digests([late]) == []
    assert Digest.objects.get() == digest


# --- e-mail failures ------------------------------------------------------------------


def test_smtp_down_keeps_the_notification_and_the_next_run_sends_it_once(
    settings, smtp_down, reporter, target
):
    target(deadline=TODAY + 2 * DAY)
    target(deadline=TODAY - 2 * DAY)
    code, out, err = remind()
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert "1 封邮件未能发送" in err and "Connection refused" in err and "Traceback" not in err
    assert "今日待办邮件已发送 0 封、失败 1 封" in out
    assert Notification.objects.count() == 2
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()
    [digest] = Digest.objects.all()
    assert digest.emailed_at is None and "Connection refused" in digest.email_error

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    controller.start()
    try:
        code, out, err = remind()
        assert code == 0, err
        assert "新提醒 0 项" in out and "重发 1 封、失败 0 封" in out
        remind()
        remind(today=TODAY + DAY)
        remind(today=TODAY + DAY)
    finally:
        controller.stop()
    # The day's digest once, as it was written, then the next day's.
    assert [m.subject for m in inbox.messages] == ["【督办】今日待办：临期1项、逾期1项"] * 2
    assert "截至2026年6月15日" in inbox.messages[0].get_content()
    assert "截至2026年6月16日" in inbox.messages[1].get_content()
    assert all(d.emailed_at and not d.email_error for d in Digest.objects.all())


def test_no_email_gives_in_app_notifications_only(smtp, reporter, target):
    target(deadline=TODAY + DAY)
    code, out, _ = remind("--no-email")
    assert code == 0 and "未发邮件" in out
    assert Notification.objects.count() == 1 and not smtp.messages


def test_a_failed_email_is_retried_once_even_by_overlapping_runs(
    smtp_down, reporter, target, office_user, django_capture_on_commit_callbacks
):
    from duban.supervision.notifications import retry_failed_digests, retry_failed_emails

    t = target(deadline=TODAY + DAY)
    remind()
    with django_capture_on_commit_callbacks(execute=True):
        [notice] = actions.chase(office_user, t)
    sent = []
    with mock.patch("duban.supervision.notifications.Mailer.send", lambda self, m: sent.append(m)):
        first = retry_failed_emails(within_days=7).add(retry_failed_digests(TODAY))
        second = retry_failed_emails(within_days=7).add(retry_failed_digests(TODAY))
    assert (first.sent, second.sent, len(sent)) == (2, 0, 2)
    assert sorted(m.subject[:8] for m in sent) == ["【督办】今日待办", "【督办催办】“1"]
    notice.refresh_from_db()
    assert notice.emailed_at is not None and notice.email_error == ""
    assert Digest.objects.get().email_error == ""


def test_a_failed_digest_is_retried_only_on_its_own_day(smtp_down, reporter, target):
    target(deadline=TODAY + 3 * DAY)
    remind()
    assert Digest.objects.get().email_error
    with mock.patch("duban.supervision.notifications.Mailer.send_many") as send_many:
        send_many.side_effect = lambda messages: [None] * len(messages)
        code, out, _ = remind(today=TODAY + DAY)
    assert code == 0 and "重发 0 封" in out
    [[messages], _] = send_many.call_args_list[-1]
    assert [m.subject for m in messages] == ["【督办】今日待办：临期1项"]  # the new day's
    assert "截至2026年6月16日" in messages[0].body


def test_failed_emails_about_closed_targets_are_not_retried(
    smtp_down, reporter, target, office_user, django_capture_on_commit_callbacks
):
    t = target(deadline=TODAY + 30 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        actions.chase(office_user, t)
    assert Notification.objects.get().email_error
    Target.objects.filter(pk=t.pk).update(state=Target.State.CLOSED)
    with mock.patch("duban.supervision.notifications.Mailer.send") as send:
        code, out, _ = remind(today=timezone.localdate())
    assert code == 0 and "重发 0 封" in out and not send.called


# --- dry run, audit, efficiency -------------------------------------------------------


def test_dry_run_writes_nothing_and_sends_nothing(smtp, reporter, target):
    target(deadline=TODAY + DAY, title="孵化器建设")
    events = AuditEvent.objects.count()
    code, out, _ = remind("--dry-run")
    assert code == 0
    assert "临期提醒 → 科技局填报员：临期提醒：目标任务“1. 孵化器建设”" in out
    assert "今日待办 → 科技局填报员 <bureau@baisha.example>：【督办】今日待办：临期1项" in out
    assert "试运行" in out and "未写入" in out and "新提醒 1 项" in out
    assert "今日待办邮件 1 封，无邮箱 0 人，待重发 0 封" in out
    assert not Notification.objects.exists() and not smtp.messages
    assert not Digest.objects.exists()
    assert AuditEvent.objects.count() == events


def test_each_reminder_is_recorded_on_the_targets_timeline(smtp, reporter, target, city):
    _user("second", role=Person.Role.UNIT, organisation=city["bureau"], name="第二填报员")
    t = target(deadline=TODAY + DAY)
    m = Milestone.objects.create(target=t, period="2026-Q1", text="完成摸底")
    remind()
    remind()
    events = list(AuditEvent.objects.for_target(t.pk).filter(action="notice"))
    by_summary = {e.summary: e for e in events}
    assert len(events) == 2 and set(by_summary) == {"临期提醒", "逾期催办"}
    due = by_summary["临期提醒"]
    assert due.object_id == str(t.pk) and due.actor_name == "督办提醒" and due.channel == "cli"
    assert due.after["提醒对象"] == "科技局填报员、第二填报员"
    assert "将于2026年6月16日到期" in due.after["提醒内容"]
    late = by_summary["逾期催办"]
    assert late.object_id == str(m.pk) and late.object_type.model == "milestone"


def test_a_run_takes_a_few_queries_however_many_targets(
    smtp, reporter, target, city, django_assert_max_num_queries
):
    for i in range(40):
        t = target(deadline=TODAY + (i % 10 - 3) * DAY, state=Target.State.ASSIGNED)
        Milestone.objects.create(
            target=t, period="2026-Q2", text="阶段任务", due_date=TODAY + 2 * DAY
        )
    # Targets, milestones, reporters, what was given, the day's digests, one INSERT for the
    # notifications and one for the audit events, the retry claims, one INSERT for the
    # digests, the outcome of the e-mails and the notifications they carried; the units' group
    # robots, the robots' half-sent messages and the due ones.
    with django_assert_max_num_queries(23):
        code, _, _ = remind()
    assert code == 0
    assert Notification.objects.count() == 80
    [message] = smtp.messages
    assert message.subject == "【督办】今日待办：临期68项、逾期12项"


def test_a_concurrent_run_that_gave_them_first_is_respected(smtp, reporter, target):
    target(deadline=TODAY + DAY)
    target(deadline=TODAY - DAY)
    remind()
    events = AuditEvent.objects.filter(action="notice").count()
    # A second run that checked before the first one committed: its inserts collide.
    with mock.patch.object(reminders, "already_given", return_value=set()):
        code, out, _ = remind()
    assert code == 0 and "新提醒 0 项" in out
    assert Notification.objects.count() == 2 and len(smtp.messages) == 1
    assert AuditEvent.objects.filter(action="notice").count() == events
    # Nor does one that missed the day's digest the first one saved a moment ago.
    with mock.patch.object(reminders.Digest.objects, "filter") as done:
        done.return_value.values_list.return_value = []
        code, out, _ = remind()
    assert code == 0 and "今日待办邮件已发送 0 封" in out
    assert len(smtp.messages) == Digest.objects.count() == 1


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="concurrent connections need a server database",
)
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_give_each_reminder_once(smtp, city, make_target):
    user = _user("bureau2", role=Person.Role.UNIT, organisation=city["bureau"], name="填报员")
    Person.objects.filter(user=user).update(email="b2@baisha.example")
    for i in range(300):
        make_target(
            state=Target.State.IN_PROGRESS,
            lead_unit=city["bureau"],
            deadline=TODAY + (i % 14 - 7) * DAY,
        )
    barrier = threading.Barrier(2)
    errors = []

    def one_run():
        try:
            barrier.wait()
            reminders.run(TODAY)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    count = Notification.objects.count()
    assert count == 300
    assert len(smtp.messages) == Digest.objects.count() == 1
    assert AuditEvent.objects.filter(action="notice").count() == count


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="concurrent connections need a server database",
)
@pytest.mark.django_db(transaction=True)
def test_two_runs_retrying_at_the_same_moment_send_each_failed_email_once(city, make_target):
    from duban.supervision.notifications import Mailer, retry_failed_emails

    user = _user("bureau3", role=Person.Role.UNIT, organisation=city["bureau"], name="填报员")
    Person.objects.filter(user=user).update(email="b3@baisha.example")
    t = make_target(state=Target.State.IN_PROGRESS, lead_unit=city["bureau"])
    Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                target=t,
                kind="chase",
                key=f"k{i}",
                message="催办",
                email_error="SMTPServerDisconnected",
            )
            for i in range(200)
        ]
    )
    sent, lock = [], threading.Lock()

    def send_many(self, messages):
        with lock:
            sent.extend(messages)
        return [None] * len(messages)

    barrier = threading.Barrier(2)

    def one_run():
        try:
            barrier.wait()
            retry_failed_emails(within_days=7)
        finally:
            connection.close()

    with mock.patch.object(Mailer, "send_many", send_many):
        threads = [threading.Thread(target=one_run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(sent) == 200
    assert Notification.objects.filter(emailed_at__isnull=False, email_error="").count() == 200


# --- chase by hand ---------------------------------------------------------------------


def test_a_chase_is_emailed_at_once(
    smtp, reporter, target, office_user, django_capture_on_commit_callbacks
):
    t = target(deadline=TODAY + 30 * DAY, title="孵化器建设", number="12")
    with django_capture_on_commit_callbacks(execute=True):
        [notice] = actions.chase(office_user, t, "请于周五前报送进展")
    [message] = smtp.messages
    assert message.subject == "【督办催办】“12. 孵化器建设”请抓紧办理"
    assert "请于周五前报送进展" in message.get_content()
    notice.refresh_from_db()
    assert notice.emailed_at is not None and notice.email_error == ""


def test_a_chase_while_smtp_is_down_is_kept_and_sent_by_remind(
    settings, smtp_down, reporter, target, office_user, django_capture_on_commit_callbacks
):
    t = target(deadline=None)
    with django_capture_on_commit_callbacks(execute=True):
        [notice] = actions.chase(office_user, t)
    notice.refresh_from_db()
    assert notice.emailed_at is None and "Connection refused" in notice.email_error
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    controller.start()
    try:
        remind(today=timezone.localdate())
        remind(today=timezone.localdate())
    finally:
        controller.stop()
    [message] = inbox.messages
    assert "请抓紧办理" in message.subject


# --- the command as a real process -------------------------------------------------------


def duban(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "duban", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


def test_remind_as_a_process_on_a_fresh_database(tmp_path, smtp):
    env = {
        "DUBAN_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "DUBAN_EMAIL_HOST": "127.0.0.1",
        "DUBAN_EMAIL_PORT": str(smtp.port),
    }
    assert duban("migrate", "-v", "0", env=env).returncode == 0
    demo = duban("demo", env=env)
    assert demo.returncode == 0, demo.stderr

    first = duban("remind", env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("督办提醒（")
    assert len(first.stdout.strip().splitlines()) == 1
    assert smtp.messages, first.stdout
    assert all(m.subject.startswith("【督办") for m in smtp.messages)
    sent = len(smtp.messages)

    again = duban("remind", env=env)
    assert again.returncode == 0 and "新提醒 0 项" in again.stdout
    assert len(smtp.messages) == sent

    down = duban("remind", "--today", "2031-01-01", env={**env, "DUBAN_EMAIL_PORT": "1"})
    assert down.returncode == 1
    assert len(down.stderr.strip().splitlines()) == 1 and "未能发送" in down.stderr
    assert "Traceback" not in down.stderr

    bad = duban("remind", "--today", "2031-13-01", env=env)
    assert bad.returncode != 0 and "YYYY-MM-DD" in bad.stderr
