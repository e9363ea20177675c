"""Reporting rounds: the round's rules (its deadline, one per period), which targets are due
from which unit and who has answered, and sending the notices: in-app and by e-mail through a
real SMTP server on loopback, the unit's form attached, never twice unless forced."""

import datetime
import io

import openpyxl
import pytest
from aiosmtpd.controller import Controller
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from duban.audit.models import AuditEvent
from duban.supervision import rounds
from duban.supervision.models import Notification, ReportingRound, RoundDispatch
from duban.targets.models import ProgressReport
from duban.targets.periods import Period

from .round_city import Q2, build_city
from .test_remind import Inbox, free_port, use_smtp

PERIOD = Period.parse(Q2)


@pytest.fixture
def city(db, settings):
    settings.DUBAN_REPORT_GRACE_DAYS = 10
    settings.DUBAN_BASE_URL = "https://duban.qingxi.example"
    return build_city()


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_down(settings):
    use_smtp(settings, free_port())


# --- the round -------------------------------------------------------------------------------


def test_the_deadline_defaults_to_the_periods_end_plus_the_grace_days(city, settings):
    found = ReportingRound.objects.create(period=Q2)
    assert found.deadline == datetime.date(2022, 7, 10)
    settings.DUBAN_REPORT_GRACE_DAYS = 5
    assert ReportingRound.objects.create(period="2022-M07").deadline == datetime.date(2022, 8, 5)
    given = ReportingRound.objects.create(period="2022-Q3", deadline=datetime.date(2022, 10, 20))
    assert given.deadline == datetime.date(2022, 10, 20)
    assert str(found) == "2022年第二季度报送"


def test_one_round_per_period_and_the_period_is_validated(city):
    ReportingRound.objects.create(period=Q2)
    with pytest.raises(IntegrityError):
        ReportingRound.objects.create(period=Q2)


def test_a_nonsense_period_is_refused_by_the_model_and_the_parser(city):
    with pytest.raises(ValidationError) as error:
        ReportingRound(period="2022-Q5").full_clean()
    assert "期次格式应为" in str(error.value)
    with pytest.raises(rounds.RoundError, match="无法识别"):
        rounds.parse_round_period("第二季度")


def test_opening_a_round_twice_keeps_it_and_records_it(city):
    first, created = rounds.open_round(PERIOD, user=city.office)
    assert created and first.opened_by == city.office
    again, created = rounds.open_round(PERIOD, deadline=datetime.date(2022, 7, 15))
    assert not created and again.pk == first.pk
    assert again.deadline == datetime.date(2022, 7, 15)
    events = AuditEvent.objects.filter(object_id=str(first.pk), object_repr=str(first))
    assert {e.action for e in events} >= {"create", "update"}


@pytest.mark.parametrize(
    "today, period",
    [
        (datetime.date(2022, 6, 15), "2022-Q2"),
        (datetime.date(2022, 7, 5), "2022-Q2"),
        (datetime.date(2022, 8, 20), "2022-Q3"),
        (datetime.date(2023, 1, 8), "2022-Q4"),
    ],
)
def test_the_default_period_is_the_current_or_just_ended_quarter(today, period):
    assert str(rounds.default_period(today)) == period


# --- what is due and who has answered -------------------------------------------------------


def test_due_targets_are_the_assigned_and_in_progress_ones_of_the_period(city):
    due = {t.number for t in rounds.due_targets(PERIOD)}
    # 11 was due in Q1, 12 is closed, 13 not assigned, 14 last year's, 7.1 a point of 7.
    assert due == {"7", "8", "9", "10"}
    # Without a deadline (8, 10) a target is due every period of its year.
    q1 = {t.number for t in rounds.due_targets(Period.parse("2022-Q1"))}
    assert q1 == {"7", "8", "9", "10", "11"}
    assert not rounds.due_targets(Period.parse("2022-Q4")).filter(number="11").exists()


def test_round_status_groups_by_lead_unit_with_the_answers(city):
    units = rounds.round_status(PERIOD, today=datetime.date(2022, 7, 5))
    assert [u.unit for u in units] == [city.bureau, city.reform]
    bureau, reform = units
    assert [t.target.number for t in bureau.targets] == ["7", "8", "9"]
    assert (bureau.due, bureau.answered, bureau.unanswered, bureau.returned) == (3, 1, 1, 1)
    assert (reform.due, reform.answered, reform.unanswered, reform.returned) == (1, 0, 1, 0)
    answers = {t.target.number: t.answer_label for t in bureau.targets}
    assert answers == {"7": "未报送", "8": "已报送", "9": "被退回"}
    latest = {t.target.number: t.latest.review_state if t.latest else None for t in bureau.targets}
    assert latest == {"7": None, "8": "submitted", "9": "returned"}
    seven = bureau.targets[0]
    assert seven.row.milestone.text.startswith("完成第一批")
    assert seven.target.light in {"green", "yellow", "red"}
    one = rounds.unit_status(PERIOD, city.reform)
    assert [t.target.number for t in one.targets] == ["10"]
    assert rounds.unit_status(PERIOD, city.industry) is None
    # The returned report sent again counts as answered.
    report = ProgressReport.objects.get(target=city.targets["9"], period=Q2)
    report.review_state = ProgressReport.Review.SUBMITTED
    report.save()
    bureau = rounds.round_status(PERIOD)[0]
    assert (bureau.answered, bureau.returned) == (2, 0)


# --- sending -----------------------------------------------------------------------------------


def _round(**fields):
    return ReportingRound.objects.create(period=Q2, deadline=datetime.date(2022, 7, 10), **fields)


def test_sending_gives_each_unit_a_notice_and_an_email_with_its_form(city, smtp):
    found = _round(note="请同步上传佐证材料。")
    results = rounds.send_round(found, user=city.office)
    assert [(r.unit, r.outcome, r.targets, r.notices, r.emails) for r in results] == [
        (city.bureau, rounds.SENT, 3, 1, 1),
        (city.reform, rounds.SENT, 1, 1, 1),
    ]
    notice = Notification.objects.get(user=city.bureau_user)
    assert notice.kind == Notification.Kind.ROUND and notice.round == found
    assert notice.target is None and notice.emailed_at is not None
    assert "2022年第二季度" in notice.message
    assert "2022年7月10日前" in notice.message
    assert "3项目标任务" in notice.message
    assert "请同步上传佐证材料。" in notice.message
    mails = {m.envelope_to[0]: m for m in smtp.messages}
    assert set(mails) == {"linxiao@kjj.qingxi.example", "zhaoming@fgw.qingxi.example"}
    mail = mails["linxiao@kjj.qingxi.example"]
    assert mail.subject == "【报送通知】2022年第二季度目标任务进展报送（市科技局）"
    body = mail.get_body(("plain",)).get_content()
    assert "报送截止日期：2022年7月10日" in body and "目标任务：3 项" in body
    assert "https://duban.qingxi.example/" in body
    (attachment,) = list(mail.iter_attachments())
    assert (
        attachment.get_filename() == "市科技局2022年第二季度政府工作报告目标任务完成情况填报表.xlsx"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(attachment.get_content())).worksheets[0]
    assert [sheet.cell(r, 1).value for r in (4, 5, 6)] == ["7", "8", "9"]
    (reform_attachment,) = list(mails["zhaoming@fgw.qingxi.example"].iter_attachments())
    assert reform_attachment.get_filename().startswith("市发展改革委")
    dispatch = RoundDispatch.objects.get(round=found, unit=city.bureau)
    assert (dispatch.targets, dispatch.notices, dispatch.emails, dispatch.times) == (3, 1, 1, 1)
    assert dispatch.sent_by == city.office and dispatch.email_error == ""
    assert AuditEvent.objects.filter(object_repr=str(dispatch), action="create").exists()


def test_sending_again_does_not_duplicate_unless_forced(city, smtp):
    found = _round()
    rounds.send_round(found)
    again = rounds.send_round(found)
    assert [r.outcome for r in again] == [rounds.ALREADY, rounds.ALREADY]
    assert "未重复发送" in again[0].line()
    assert len(smtp.messages) == 2
    assert Notification.objects.filter(kind="round").count() == 2
    forced = rounds.send_round(found, [city.bureau], force=True)
    assert [(r.unit, r.outcome) for r in forced] == [(city.bureau, rounds.RESENT)]
    assert forced[0].line().startswith("市科技局：已重新发送")
    assert len(smtp.messages) == 3
    notices = Notification.objects.filter(user=city.bureau_user).order_by("created_at", "pk")
    assert [n.message.startswith("（重新发送）") for n in notices] == [False, True]
    dispatch = RoundDispatch.objects.get(round=found, unit=city.bureau)
    assert dispatch.times == 2
    assert RoundDispatch.objects.count() == 2


def test_sending_to_one_unit_leaves_the_others(city, smtp):
    found = _round()
    results = rounds.send_round(found, [city.reform])
    assert [(r.unit, r.outcome) for r in results] == [(city.reform, rounds.SENT)]
    assert [m.envelope_to for m in smtp.messages] == [["zhaoming@fgw.qingxi.example"]]
    nothing = rounds.send_round(found, [city.industry])
    assert [(r.outcome, r.notices) for r in nothing] == [(rounds.NOTHING_DUE, 0)]
    assert "没有应报送" in nothing[0].line()


def test_a_unit_without_reporters_is_not_recorded_as_sent(city, smtp):
    city.reform_user.person.delete()
    found = _round()
    results = {r.unit: r for r in rounds.send_round(found)}
    assert results[city.reform].outcome == rounds.NOBODY
    assert not RoundDispatch.objects.filter(unit=city.reform).exists()


def test_a_failed_email_is_recorded_on_the_dispatch_and_the_notice_kept(city, smtp_down):
    found = _round()
    results = rounds.send_round(found, [city.bureau])
    assert results[0].emails == 0 and results[0].error
    assert "邮件发送失败" in results[0].line()
    dispatch = RoundDispatch.objects.get(unit=city.bureau)
    assert dispatch.notices == 1 and dispatch.emails == 0 and dispatch.email_error
    notice = Notification.objects.get(user=city.bureau_user)
    # Not left for `duban remind` to retry as a target's reminder: resending retries it.
    assert notice.emailed_at is None and notice.email_error == ""
