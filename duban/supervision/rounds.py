"""Reporting rounds (报送轮次): for a period, which targets are due from which unit, who has
answered, the units' fill-in forms, and sending each unit its notice and form.

Due in a period: a root target (the points of a plan item are answered with their item)
assigned or in progress, of the period's year, with a lead unit, that has a milestone for the
period or is due in or after it (no deadline: ongoing, so due). These are the rows of the
period's progress ledger (`duban.reports.ledgers.selection.select`) the unit is asked to fill.

A unit's target is answered when the period has a submitted or accepted report for it, returned
when its report was returned and nothing has been sent since, else not answered.

Sending (`send_round`): per unit with targets due, one in-app notice (kind 报送通知) to each of
its active reporters and one e-mail each, with the unit's .xlsx form attached. What was sent is
recorded per unit (RoundDispatch); sending again skips those units unless forced (重新发送),
which gives a new notice and e-mail. Round e-mails are sent here, not by `duban remind`: a
failure is recorded on the unit's dispatch (shown on the round page) and is sent again by
resending to that unit.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from duban.organisations.models import Organisation
from duban.reports.ledgers.export import Contact, Export, export_form
from duban.reports.ledgers.selection import PROGRESS, Row, select
from duban.targets.models import Milestone, ProgressReport, Target
from duban.targets.periods import Period

from .models import Notification, ReportingRound, RoundDispatch
from .notifications import Mailer, notify_users, recipient_address, recipient_name
from .reminders import unit_reporters

ACTIVE_STATES = (Target.State.ASSIGNED, Target.State.IN_PROGRESS)
ANSWERED_STATES = (ProgressReport.Review.SUBMITTED, ProgressReport.Review.ACCEPTED)
ANSWERED, RETURNED, UNANSWERED = "answered", "returned", "unanswered"
ANSWER_LABELS = {ANSWERED: "已报送", RETURNED: "被退回", UNANSWERED: "未报送"}
_MONTHS = {"Y": 12, "H": 6, "Q": 3, "M": 1}


class RoundError(Exception):
    """A round that cannot be opened or sent as asked; the message is for users, in Chinese."""


def parse_round_period(value: str) -> Period:
    try:
        return Period.parse(value)
    except ValueError:
        raise RoundError(
            f"期次“{(value or '').strip()}”无法识别，应写作 2022-Q2（季度）、2022-H1（半年）、"
            "2022-M03（月）或 2022（年度）"
        ) from None


def period_start(period: Period) -> datetime.date:
    return datetime.date(period.year, period.last_month - _MONTHS[period.kind] + 1, 1)


def default_period(today: datetime.date | None = None) -> Period:
    """The quarter a round is opened for: in a quarter's first month (when the previous one's
    reports come in) the previous quarter, else the current one."""
    today = today or timezone.localdate()
    quarter = Period.quarter_of(today)
    if today.month % 3 != 1:
        return quarter
    if quarter.index == 1:
        return Period(today.year - 1, "Q", 4)
    return Period(today.year, "Q", quarter.index - 1)


def date_text(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def open_round(
    period: Period, *, deadline: datetime.date | None = None, note: str = "", user=None
) -> tuple[ReportingRound, bool]:
    """The period's round, opened now if there is none (True). An existing round keeps its
    deadline and note unless new ones are given."""
    with transaction.atomic():
        found = ReportingRound.objects.select_for_update().filter(period=str(period)).first()
        if found is None:
            try:
                with transaction.atomic():
                    created = ReportingRound.objects.create(
                        period=str(period), deadline=deadline, note=note.strip(), opened_by=user
                    )
                return created, True
            except IntegrityError:  # opened meanwhile by someone else
                found = ReportingRound.objects.get(period=str(period))
        changed = []
        if deadline and deadline != found.deadline:
            found.deadline = deadline
            changed.append("deadline")
        if note.strip() and note.strip() != found.note:
            found.note = note.strip()
            changed.append("note")
        if changed:
            found.save(update_fields=changed)
        return found, False


# --- what is due, and who has answered -------------------------------------------------------


def due_targets(period: Period):
    """The targets due in `period` (see the module's docstring), as a queryset."""
    milestone = Milestone.objects.filter(target=OuterRef("pk"), period=str(period))
    return Target.objects.filter(
        Q(Exists(milestone)) | Q(deadline__gte=period_start(period)) | Q(deadline__isnull=True),
        parent__isnull=True,
        state__in=ACTIVE_STATES,
        year=period.year,
        lead_unit__isnull=False,
    )


@dataclasses.dataclass
class TargetStatus:
    row: Row  # the target, its units (lead first), milestone and printed report
    reports: list[ProgressReport]  # the period's reports of every state, latest first

    @property
    def target(self) -> Target:
        return self.row.target

    @property
    def latest(self) -> ProgressReport | None:
        return self.reports[0] if self.reports else None

    @property
    def answer(self) -> str:
        states = {r.review_state for r in self.reports}
        if states & set(ANSWERED_STATES):
            return ANSWERED
        if ProgressReport.Review.RETURNED in states:
            return RETURNED
        return UNANSWERED

    @property
    def answer_label(self) -> str:
        return ANSWER_LABELS[self.answer]


@dataclasses.dataclass
class UnitStatus:
    unit: Organisation
    targets: list[TargetStatus]
    dispatch: RoundDispatch | None = None

    def _count(self, answer: str) -> int:
        return sum(1 for t in self.targets if t.answer == answer)

    @property
    def due(self) -> int:
        return len(self.targets)

    @property
    def answered(self) -> int:
        return self._count(ANSWERED)

    @property
    def returned(self) -> int:
        return self._count(RETURNED)

    @property
    def unanswered(self) -> int:
        return self._count(UNANSWERED)

    @property
    def target_queryset(self):
        return Target.objects.filter(pk__in=[t.target.pk for t in self.targets])


def round_status(period: Period, *, today: datetime.date | None = None) -> list[UnitStatus]:
    """The targets due in `period` grouped by lead unit (in the units' own order), each with
    its state, light (`target.light`), milestone and the period's reports, and each unit with
    what the period's round has sent it."""
    today = today or timezone.localdate()
    rows = select(due_targets(period).with_lights(today), PROGRESS, period=period).rows
    reports: dict[int, list[ProgressReport]] = {}
    ids = [row.target.pk for row in rows]
    for start in range(0, len(ids), 500):
        found = ProgressReport.objects.filter(
            target_id__in=ids[start : start + 500], period=str(period)
        ).only("target_id", "period", "review_state", "submitted_at", "created_at")
        for report in found.order_by("-created_at", "-pk"):
            reports.setdefault(report.target_id, []).append(report)
    by_unit: dict[int, UnitStatus] = {}
    for row in rows:
        unit = row.target.lead_unit
        status = by_unit.setdefault(unit.pk, UnitStatus(unit, []))
        status.targets.append(TargetStatus(row, reports.get(row.target.pk, [])))
    dispatches = RoundDispatch.objects.filter(round__period=str(period), unit_id__in=list(by_unit))
    for dispatch in dispatches:
        by_unit[dispatch.unit_id].dispatch = dispatch
    order = {
        pk: index for index, pk in enumerate(Organisation.objects.values_list("pk", flat=True))
    }
    return sorted(by_unit.values(), key=lambda s: order[s.unit.pk])


def unit_status(period: Period, unit, *, today: datetime.date | None = None) -> UnitStatus | None:
    """One unit's part of `round_status`, None when nothing is due from it."""
    for status in round_status(period, today=today):
        if status.unit.pk == unit.pk:
            return status
    return None


# --- the forms --------------------------------------------------------------------------------


def unit_form(
    period: Period, unit, fmt: str, *, deadline: datetime.date | None = None
) -> Export | None:
    """The unit's fill-in form for `period` (.xlsx or .docx), None when nothing is due from it.
    Without a deadline, the round's (if the period has one) is printed."""
    targets = due_targets(period).filter(lead_unit=unit)
    if not targets.exists():
        return None
    if deadline is None:
        found = ReportingRound.objects.filter(period=str(period)).first()
        deadline = found.deadline if found else None
    return export_form(targets, period, str(unit), fmt, deadline=deadline, contact=Contact())


# --- sending ----------------------------------------------------------------------------------

SENT, RESENT, ALREADY, NOBODY, NOTHING_DUE = "sent", "resent", "already", "nobody", "nothing_due"


@dataclasses.dataclass
class Sending:
    """What sending the round did for one unit."""

    unit: Organisation
    outcome: str
    targets: int = 0
    notices: int = 0
    emails: int = 0
    no_address: int = 0
    error: str = ""

    def line(self) -> str:
        if self.outcome == ALREADY:
            return f"{self.unit}：已于此前发送，未重复发送（重新发送请加 --resend）"
        if self.outcome == NOBODY:
            return f"{self.unit}：{self.targets} 项目标任务，但该单位没有可接收通知的填报员，未发送"
        if self.outcome == NOTHING_DUE:
            return f"{self.unit}：本期没有应报送的目标任务，未发送"
        verb = "已重新发送" if self.outcome == RESENT else "已发送"
        text = f"{self.unit}：{verb}，{self.targets} 项目标任务，站内通知 {self.notices} 条，邮件 {self.emails} 封"
        if self.no_address:
            text += f"（{self.no_address} 人无邮箱）"
        if self.error:
            text += f"；邮件发送失败：{self.error}"
        return text


def notice_text(round_: ReportingRound, targets: int, *, resent: bool = False) -> str:
    period = round_.parsed_period
    text = (
        f"{period.label}进展报送：请于{date_text(round_.deadline)}前报送本单位牵头的"
        f"{targets}项目标任务的进展。填报表已随邮件发送，也可登录系统在线报送。"
    )
    if round_.note:
        text += round_.note
    return f"（重新发送）{text}" if resent else text


def _email(round_: ReportingRound, notification: Notification, unit, form: Export, targets):
    address = recipient_address(notification.user)
    lines = [
        f"{recipient_name(notification.user)}：",
        "",
        notification.message,
        "",
        f"报送期次：{round_.period_label}",
        f"报送单位：{unit}",
        f"目标任务：{len(targets)} 项",
        *(f"  {target}" for target in targets),
        f"报送截止日期：{date_text(round_.deadline)}",
        f"在线报送：{settings.DUBAN_BASE_URL.rstrip('/')}{reverse('home')}",
        "",
        f"附件：{form.filename}（请填写是否完成、具体工作进展、未完成原因、下步工作打算各栏）",
        "",
        "—— 督查督办系统（本邮件由系统自动发送，请勿直接回复）",
    ]
    message = EmailMessage(
        subject=f"【报送通知】{round_.period_label}目标任务进展报送（{unit}）",
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )
    message.attach(form.filename, form.content, form.content_type)
    return message


def send_round(
    round_: ReportingRound,
    units=None,
    user=None,
    *,
    force: bool = False,
    mailer: Mailer | None = None,
) -> list[Sending]:
    """Sends each unit with targets due (or each of `units`) its notice and form: in-app to its
    active reporters and by e-mail to those with an address. A unit already sent to is skipped
    unless `force`. One Sending per unit, in the units' order."""
    period = round_.parsed_period
    statuses = {s.unit.pk: s for s in round_status(period)}
    wanted = list(statuses) if units is None else [u.pk for u in units]
    reporters = unit_reporters()
    results: list[Sending] = []
    own_mailer = mailer is None
    mailer = mailer or Mailer()
    try:
        for unit_id in wanted:
            status = statuses.get(unit_id)
            if status is None:
                unit = next(u for u in units if u.pk == unit_id)
                results.append(Sending(unit, NOTHING_DUE))
                continue
            results.append(
                _send_unit(round_, status, reporters.get(unit_id, []), user, force, mailer)
            )
    finally:
        if own_mailer:
            mailer.close()
    return results


def _send_unit(round_, status: UnitStatus, users, user, force, mailer) -> Sending:
    unit, targets = status.unit, [t.target for t in status.targets]
    result = Sending(unit, SENT, targets=len(targets))
    if not users:
        result.outcome = NOBODY
        return result
    try:
        with transaction.atomic():
            dispatch = (
                RoundDispatch.objects.select_for_update().filter(round=round_, unit=unit).first()
            )
            if dispatch is not None and not force:
                result.outcome = ALREADY
                return result
            times = dispatch.times + 1 if dispatch else 1
            resent = dispatch is not None
            message = notice_text(round_, len(targets), resent=resent)
            key = f"round:{round_.pk}:{unit.pk}:{times}"
            notices = notify_users(users, None, Notification.Kind.ROUND, message, key)
            Notification.objects.filter(pk__in=[n.pk for n in notices]).update(round=round_)
            if dispatch is None:
                dispatch = RoundDispatch(round=round_, unit=unit)
            dispatch.sent_at, dispatch.sent_by, dispatch.times = timezone.now(), user, times
            dispatch.targets, dispatch.notices = len(targets), len(notices)
            dispatch.emails, dispatch.email_error = 0, ""
            dispatch.save()
    except IntegrityError:  # another run sent to this unit at the same moment
        result.outcome = ALREADY
        return result
    result.outcome = RESENT if resent else SENT
    result.notices = len(notices)
    for notice in notices:
        notice.round = round_
    _email_unit(round_, dispatch, notices, unit, status, mailer, result)
    return result


def _email_unit(round_, dispatch, notices, unit, status, mailer, result: Sending):
    with_address = [n for n in notices if recipient_address(n.user)]
    result.no_address = len(notices) - len(with_address)
    if not with_address:
        return
    form = export_form(
        status.target_queryset,
        round_.parsed_period,
        str(unit),
        "xlsx",
        deadline=round_.deadline,
        contact=Contact(),
    )
    targets = [t.target for t in status.targets]
    messages = [_email(round_, n, unit, form, targets) for n in with_address]
    outcomes = mailer.send_many(messages)
    sent = [n.pk for n, error in zip(with_address, outcomes, strict=True) if error is None]
    errors = [e for e in outcomes if e is not None]
    now = timezone.now()
    Notification.objects.filter(pk__in=sent).update(emailed_at=now)
    result.emails = len(sent)
    result.error = errors[0][:300] if errors else ""
    RoundDispatch.objects.filter(pk=dispatch.pk).update(
        emails=result.emails, email_error=result.error
    )
    dispatch.emails, dispatch.email_error = result.emails, result.error
