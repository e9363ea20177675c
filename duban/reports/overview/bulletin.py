"""情况通报: a period's bulletin, over the targets the reader may see, of the chosen sources.

Counts by state and light, the on-time reporting rate per lead unit, and five lists: reports
not sent on time, targets past their deadline, reports returned for revision in the period,
reports saying the period's work is not complete, with their reasons, and the deadline
extensions (延期) approved in the period, with each target's count of extensions. The web page and
the .docx are drawn from the same `Bulletin`.

A bulletin tells the period as it stood at its end, not as it stands today (for a period not
yet over: as it stands today). From the audit trail and the reports' times:

- The targets are those registered (Target.created_at) before the period's end, and those
  the period's own table, read in later, answers (imported history: see `common.history_q`).
  A target registered later is not in it.
- A target's state then is the one the last change of its state before the end left (the
  trail's transitions and creation; see `duban.audit.models.value_at`); one registered before
  with no change since was in the state it was registered in. A target known only from the
  period's table read in later was being handled (办理中), unless the trail shows it closed.
  Timestamps bound the trail: a target acknowledged (acknowledged_at) or closed (closed_at) only
  after the end was not yet so then.
- Its light is `light_for` on that day, with that state, the deadline it had then and the
  returns of its reports before then.
- It owes a report (应报送) when its lead unit had acknowledged it by the end of the reporting
  window (period end + DUBAN_REPORT_GRACE_DAYS) and it was not closed before the period began,
  or when it sent a report for the period at all. A report is on time when sent within the
  window (imported history always is), late when sent after it, missing when never sent.
- It is complete (本期完成) when closed by the period's end, or when its report for the period,
  sent within the window, says the work is complete and was accepted.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, F, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone

from duban.accounts.models import Office
from duban.audit.models import AuditEvent, value_at
from duban.organisations.models import Organisation, Person, is_office_staff, person_of
from duban.supervision.models import DeadlineExtension
from duban.targets.lights import Light, light_for, worst_light
from duban.targets.models import ProgressReport, SourceCategory, Target
from duban.targets.periods import Period

from .common import (
    Window,
    _start_of,
    first_sent,
    history_q,
    local_date,
    percent,
    period_reports,
    unit_order,
)

# The summary ProgressReport.return_for_revision gives its transition in the audit trail.
RETURN_SUMMARY = "退回修改"
REVIEW_COMMENT = str(ProgressReport._meta.get_field("review_comment").verbose_name)
# How the trail labels a target's state and deadline, and its states' labels.
STATE_LABEL = str(Target._meta.get_field("state").verbose_name)
DEADLINE_LABEL = str(Target._meta.get_field("deadline").verbose_name)
STATE_OF_LABEL = {str(label): value for value, label in Target.State.choices}
HANDLED = (Target.State.IN_PROGRESS, Target.State.CLOSED)
# What the lists never show: not worth reading for hundreds of rows.
LONG_FIELDS = ("progress", "next_steps", "target__search_text", "target__benchmark")
# The whole of a city, county or province, when the office is its government.
WHOLE_AREA = {
    Organisation.Level.PROVINCE: "全省",
    Organisation.Level.CITY: "全市",
    Organisation.Level.COUNTY: "全县",
}


@dataclass
class UnitReporting:
    """One lead unit's reporting for the period."""

    name: str
    owing: int = 0
    on_time: int = 0
    reported: int = 0

    @property
    def late(self) -> int:
        return self.reported - self.on_time

    @property
    def missing(self) -> int:
        return self.owing - self.reported

    @property
    def rate(self) -> Decimal | None:
        return percent(self.on_time, self.owing)


@dataclass
class LateRow:
    target: Target
    submitted: datetime.date | None  # None: not reported at all

    @property
    def status(self) -> str:
        if self.submitted is None:
            return "未报送"
        return f"逾期报送（{self.submitted:%Y-%m-%d}）"


@dataclass
class OverdueRow:
    target: Target
    days: int


@dataclass
class ReturnedRow:
    report: ProgressReport
    times: int
    comment: str
    returned_on: datetime.date | None


@dataclass
class ExtensionRow:
    """A deadline extension (延期) approved in the period."""

    target: Target
    old_deadline: datetime.date
    new_deadline: datetime.date
    approved_on: datetime.date
    times: int  # the target's approved extensions up to the bulletin's moment


@dataclass
class ClosedRow:
    """A target closed in the period although its last accepted report said 未完成, with the
    office's reason (未完成即办结)."""

    target: Target
    closed_on: datetime.date | None
    reason: str


@dataclass
class Bulletin:
    window: Window
    today: datetime.date
    scope: str
    total: int
    by_state: list[tuple[str, str, int]]
    by_light: list[tuple[str, str, int]]
    complete: int
    units: list[UnitReporting]
    totals: UnitReporting
    late: list[LateRow] = field(default_factory=list)
    overdue: list[OverdueRow] = field(default_factory=list)
    returned: list[ReturnedRow] = field(default_factory=list)
    incomplete: list[ProgressReport] = field(default_factory=list)
    extensions: list[ExtensionRow] = field(default_factory=list)
    closed_with_reason: list[ClosedRow] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # codes; empty: all sources
    as_of: datetime.date | None = None  # the day the counts stand at; None: today

    def __post_init__(self):
        if self.as_of is None:
            self.as_of = self.today

    @property
    def period(self) -> Period:
        return self.window.period

    @property
    def title(self) -> str:
        return f"{self.period.label}目标任务推进情况通报"

    @property
    def source_label(self) -> str:
        labels = dict(SourceCategory.choices)
        return "、".join(str(labels[code]) for code in self.sources)

    @property
    def state_counts(self) -> dict[str, int]:
        return {value: n for value, _label, n in self.by_state}

    @property
    def light_counts(self) -> dict[str, int]:
        return {value: n for value, _label, n in self.by_light}

    @property
    def complete_rate(self) -> Decimal | None:
        return percent(self.complete, self.total)

    def summary(self) -> str:
        """The opening paragraph, as an office writes it."""
        states, lights = self.state_counts, self.light_counts
        rate = self.totals.rate
        as_of = self.as_of
        parts = [
            f"截至{as_of.year}年{as_of.month}月{as_of.day}日，"
            f"{self.scope}{self.period.year}年度{self.source_label}目标任务共{self.total}项，"
            f"其中已办结{states[Target.State.CLOSED]}项、办理中{states[Target.State.IN_PROGRESS]}项、"
            f"待签收{states[Target.State.ASSIGNED]}项、待交办{states[Target.State.APPROVED]}项、"
            f"待审核{states[Target.State.REGISTERED]}项；"
            f"红灯{lights[Light.RED]}项、黄灯{lights[Light.YELLOW]}项、绿灯{lights[Light.GREEN]}项。",
            f"{self.period.label}应报送进展{self.totals.owing}项，按时报送{self.totals.on_time}项，"
            f"逾期报送{self.totals.late}项，未报送{self.totals.missing}项"
            + (f"，按时报送率{rate}%。" if rate is not None else "。"),
            f"本期完成{self.complete}项；超过完成时限未办结{len(self.overdue)}项；"
            f"本期报送被退回修改{len(self.returned)}项；报送未完成{len(self.incomplete)}项。",
        ]
        if self.extensions:
            extended = len({row.target.pk for row in self.extensions})
            parts.append(f"本期批准延期{len(self.extensions)}次，涉及目标任务{extended}项。")
        if self.closed_with_reason:
            parts.append(f"本期未完成即办结{len(self.closed_with_reason)}项，均已说明理由。")
        return "".join(parts)


def office_name(user) -> str:
    """How a bulletin names the office it speaks for: the setting DUBAN_OFFICE_NAME, else the
    office the first-run setup named (duban.accounts.Office), else the unit of the signed-in
    office staff (市科技局); 全市 (全省, 全县) only when that unit is the government itself.
    Empty when none says."""
    configured = (getattr(settings, "DUBAN_OFFICE_NAME", "") or "").strip()
    if configured:
        return configured
    office = Office.current()
    if office is not None:
        unit = office.organisation
        if unit.kind == Organisation.Kind.GOVERNMENT:
            return WHOLE_AREA.get(unit.level, unit.name)
        return unit.name
    person = person_of(user)
    unit = person.organisation if person is not None else None
    if unit is None:
        return ""
    if unit.kind == Organisation.Kind.GOVERNMENT:
        return WHOLE_AREA.get(unit.level, str(unit))
    return str(unit)


def scope_label(user) -> str:
    if user is None or is_office_staff(user):
        return office_name(user)
    person = person_of(user)
    if person is None:
        return ""
    if person.role == Person.Role.LEADER:
        return f"{person.name}分管的"
    if person.organisation_id:
        return f"{person.organisation}牵头或协办的"
    return ""


def _units(ids) -> list[Organisation]:
    return sorted(Organisation.objects.filter(pk__in=list(ids)), key=unit_order)


@dataclass
class Standing:
    """One target as it stood at the bulletin's moment."""

    pk: int
    lead_unit_id: int | None
    state: str
    deadline: datetime.date | None
    light: str
    owes: bool
    first_sent: datetime.datetime | None
    complete: bool
    # A split target's light rolled up with its sub-targets' (ROLLUP_RULE); else its own.
    rolled_up_light: str = ""

    def __post_init__(self):
        self.rolled_up_light = self.rolled_up_light or self.light


def _parse_date(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _counted(targets, window: Window, moment: datetime.datetime):
    """The targets a bulletin standing at `moment` counts: registered before it, or answered
    by the period's own table read in later."""
    history = period_reports(window).filter(history_q(window), target=OuterRef("pk"))
    return targets.filter(Q(created_at__lt=moment) | Exists(history))


def _state_at(row, trail, moment, from_history: bool) -> str:
    """A target's state just before `moment`, from its row (see `standings`) and trail."""
    state_now, acknowledged_at, closed_at = row[2], row[6], row[7]
    label = value_at(trail, STATE_LABEL, moment, Target.State(state_now).label)
    state = STATE_OF_LABEL.get(label, state_now)
    if from_history:
        return state if state == Target.State.CLOSED else Target.State.IN_PROGRESS
    # The trail cannot be ahead of the times the target itself keeps.
    if state == Target.State.CLOSED and closed_at is not None and closed_at >= moment:
        state = Target.State.IN_PROGRESS
    if state in HANDLED and acknowledged_at is not None and acknowledged_at >= moment:
        state = Target.State.ASSIGNED
    return state


def standings(targets, window: Window, as_of: datetime.date) -> dict[int, Standing]:
    """{target id: Standing} for the targets counted on `as_of` (a day within the period or
    its last day), reconstructed from the audit trail and the reports' times."""
    moment = _start_of(as_of + datetime.timedelta(days=1))
    due_moment = window.due_at
    start_moment = window.start_at
    complete_report = (
        period_reports(window)
        .filter(target=OuterRef("pk"), review_state=ProgressReport.Review.ACCEPTED)
        .filter(is_complete=True, sent_at__lt=window.due_at)
    )
    rows = list(
        targets.order_by()
        .annotate(first_sent=first_sent(window), complete_report=Exists(complete_report))
        .values_list(
            "pk",
            "lead_unit_id",
            "state",
            "deadline",
            "return_count",
            "created_at",
            "acknowledged_at",
            "closed_at",
            "first_sent",
            "complete_report",
        )
    )
    events = defaultdict(list)
    for event in AuditEvent.objects.field_history(
        Target, targets, [STATE_LABEL, DEADLINE_LABEL]
    ).only("object_id", "action", "created_at", "before", "after"):
        events[int(event.object_id)].append(event)
    returns = {
        target_id: (before, total)
        for target_id, before, total in AuditEvent.objects.filter(
            object_type=ContentType.objects.get_for_model(ProgressReport),
            action=AuditEvent.Action.TRANSITION,
            summary=RETURN_SUMMARY,
            target_id__in=targets.order_by().values("pk"),
        )
        .order_by()
        .values_list("target_id")
        .annotate(before=Count("id", filter=Q(created_at__lt=moment)), total=Count("id"))
    }

    found = {}
    for row in rows:
        pk, lead_unit_id, _state, deadline_now, return_count, created_at = row[:6]
        sent, complete_report = row[8:]
        trail = events.get(pk, [])
        from_history = created_at >= moment
        state = _state_at(row, trail, moment, from_history)
        deadline = _parse_date(value_at(trail, DEADLINE_LABEL, moment, deadline_now))
        before, total = returns.get(pk, (0, 0))
        light = light_for(
            closed=state == Target.State.CLOSED,
            awaiting_acknowledgement=state == Target.State.ASSIGNED,
            deadline=deadline,
            return_count=before + max(return_count - total, 0),
            today=as_of,
        )
        handled = (
            _state_at(row, trail, due_moment, from_history) in HANDLED
            and _state_at(row, trail, start_moment, from_history) != Target.State.CLOSED
        )
        found[pk] = Standing(
            pk=pk,
            lead_unit_id=lead_unit_id,
            state=state,
            deadline=deadline,
            light=light,
            owes=lead_unit_id is not None and (handled or sent is not None),
            first_sent=sent,
            complete=state == Target.State.CLOSED or complete_report,
        )
    return found


def build(
    user,
    period: Period,
    today: datetime.date | None = None,
    *,
    targets=None,
    sources: list[str] | None = None,
) -> Bulletin:
    """The bulletin of `period` over the targets `user` may see (or over `targets`), of the
    `sources` (SourceCategory codes; none: all), as the period stood at its end."""
    today = today or timezone.localdate()
    window = Window.of(period)
    as_of = min(window.end, today)
    moment = _start_of(as_of + datetime.timedelta(days=1))
    if targets is None:
        targets = Target.objects.visible_to(user)
    targets = targets.filter(year=period.year)
    if sources:
        targets = targets.filter(source_category__in=sources)
    targets = _counted(targets, window, moment)
    standing = standings(targets, window, as_of)
    roll_up(standing, targets, window, as_of, moment)

    states = defaultdict(int)
    lights = defaultdict(int)
    for s in standing.values():
        states[s.state] += 1
        lights[s.rolled_up_light] += 1
    by_state = [(value, label, states.get(value, 0)) for value, label in Target.State.choices]
    by_light = [(value, label, lights.get(value, 0)) for value, label in Light.choices]

    per_unit = defaultdict(lambda: [0, 0, 0])  # owing, on time, reported
    late_ids = {}
    for s in standing.values():
        if not s.owes:
            continue
        counts = per_unit[s.lead_unit_id]
        counts[0] += 1
        if s.first_sent is not None:
            counts[2] += 1
            if s.first_sent < window.due_at:
                counts[1] += 1
                continue
        late_ids[s.pk] = s.first_sent
    units = [UnitReporting(str(unit), *per_unit[unit.pk]) for unit in _units(per_unit)]
    totals = UnitReporting(
        "合计",
        sum(u.owing for u in units),
        sum(u.on_time for u in units),
        sum(u.reported for u in units),
    )

    late = [
        LateRow(t, local_date(late_ids[t.pk]))
        for t in Target.objects.filter(pk__in=list(late_ids))
        .select_related("lead_unit")
        .defer("search_text", "benchmark")
        .order_by("lead_unit__sort_order", "lead_unit__name", "source_category", "id")
    ]
    overdue_since = {
        s.pk: s.deadline
        for s in standing.values()
        if s.state != Target.State.CLOSED and s.deadline is not None and s.deadline < as_of
    }
    overdue = sorted(
        (
            OverdueRow(t, (as_of - overdue_since[t.pk]).days)
            for t in Target.objects.filter(pk__in=list(overdue_since))
            .select_related("lead_unit", "leader")
            .defer("search_text", "benchmark")
        ),
        key=lambda row: (overdue_since[row.target.pk], row.target.pk),
    )
    return Bulletin(
        window=window,
        today=today,
        as_of=as_of,
        scope=scope_label(user),
        sources=list(sources or []),
        total=len(standing),
        by_state=by_state,
        by_light=by_light,
        complete=sum(1 for s in standing.values() if s.complete),
        units=units,
        totals=totals,
        late=late,
        overdue=overdue,
        returned=returned_reports(targets, window),
        incomplete=incomplete_reports(targets, window),
        extensions=extended_targets(targets, window, moment),
        closed_with_reason=closed_with_reason(standing, window, moment),
    )


def roll_up(standing: dict[int, Standing], targets, window: Window, as_of, moment) -> None:
    """Sets each split target's `rolled_up_light`: the most serious of its own light and its
    sub-targets' as they stood at the bulletin's moment (ROLLUP_RULE, as the target page and
    list show it today). Sub-targets the reader may not see count too, as in the list's row."""
    subs = _counted(
        Target.objects.filter(parent__in=targets.order_by().values("pk"), decomposed=True),
        window,
        moment,
    )
    pairs = list(subs.order_by().values_list("pk", "parent_id"))
    if not pairs:
        return
    known = {pk: standing[pk] for pk, _parent in pairs if pk in standing}
    unknown = [pk for pk, _parent in pairs if pk not in standing]
    if unknown:
        known.update(standings(Target.objects.filter(pk__in=unknown), window, as_of))
    by_parent = defaultdict(list)
    for pk, parent_id in pairs:
        if pk in known:
            by_parent[parent_id].append(known[pk].light)
    for parent_id, lights in by_parent.items():
        parent = standing.get(parent_id)
        if parent is not None:
            parent.rolled_up_light = worst_light([parent.light, *lights])


def closed_with_reason(standing: dict[int, Standing], window: Window, moment) -> list[ClosedRow]:
    """The targets closed within the period (by the bulletin's moment) with a reason for
    closing although the last accepted report said 未完成, in the order they were closed."""
    closed = [pk for pk, s in standing.items() if s.state == Target.State.CLOSED]
    found = (
        Target.objects.filter(pk__in=closed, closed_at__gte=window.start_at, closed_at__lt=moment)
        .exclude(closing_reason="")
        .select_related("lead_unit")
        .defer("search_text", "benchmark")
        .order_by("closed_at", "pk")
    )
    return [ClosedRow(t, local_date(t.closed_at), t.closing_reason) for t in found]


def extended_targets(targets, window: Window, moment) -> list[ExtensionRow]:
    """The deadline extensions approved within the period (before the bulletin's moment), in
    the order they were approved, each with the target's count of approvals up to then."""
    approved = DeadlineExtension.objects.filter(
        target__in=targets.order_by().values("pk"),
        state=DeadlineExtension.State.APPROVED,
        decided_at__lt=moment,
    ).order_by("decided_at", "pk")
    rows, times = [], defaultdict(int)
    for extension in approved.select_related("target", "target__lead_unit").defer(
        "target__search_text", "target__benchmark"
    ):
        times[extension.target_id] += 1
        if extension.decided_at >= window.start_at:
            rows.append(
                ExtensionRow(
                    extension.target,
                    extension.old_deadline,
                    extension.requested_deadline,
                    local_date(extension.decided_at),
                    times[extension.target_id],
                )
            )
    return rows


def return_events(reports):
    """The audit trail's returns (退回修改) of these reports, oldest first."""
    ids = reports.order_by().annotate(key=Cast("pk", CharField())).values("key")
    return (
        AuditEvent.objects.filter(
            object_type=ContentType.objects.get_for_model(ProgressReport),
            action=AuditEvent.Action.TRANSITION,
            summary=RETURN_SUMMARY,
            object_id__in=ids,
        )
        .order_by("created_at", "id")
        .values_list("object_id", "created_at", "after")
    )


def returns_by_report(reports) -> dict[int, list[tuple]]:
    found = defaultdict(list)
    for object_id, created_at, after in return_events(reports):
        found[int(object_id)].append((created_at, after or {}))
    return found


def returned_reports(targets, window: Window) -> list[ReturnedRow]:
    """The period's reports that were returned for revision, as the trail records it; a
    report marked returned without a trail (from before the trail, or bulk-loaded) counts
    once."""
    reports = ProgressReport.objects.filter(target__in=targets.values("pk"), period=window.key)
    events = returns_by_report(reports)
    returned = (
        (
            reports.filter(pk__in=list(events))
            | reports.filter(review_state=ProgressReport.Review.RETURNED)
        )
        .select_related("target", "target__lead_unit", "unit")
        .defer(*LONG_FIELDS)
    )
    rows = []
    for report in returned.order_by("target__lead_unit__sort_order", "target_id", "id"):
        trail = events.get(report.pk, [])
        if trail:
            last_at, last_after = trail[-1]
            comment = last_after.get(REVIEW_COMMENT) or report.review_comment
            rows.append(ReturnedRow(report, len(trail), comment or "", local_date(last_at)))
        else:
            rows.append(
                ReturnedRow(report, 1, report.review_comment, local_date(report.reviewed_at))
            )
    return rows


def incomplete_reports(targets, window: Window) -> list[ProgressReport]:
    """The period's sent reports (awaiting review or accepted) saying the work is not complete:
    the latest one per target."""
    reports = (
        ProgressReport.objects.filter(
            target__in=targets.values("pk"),
            period=window.key,
            is_complete=False,
            review_state__in=[ProgressReport.Review.SUBMITTED, ProgressReport.Review.ACCEPTED],
        )
        .select_related("target", "target__lead_unit", "unit")
        .defer("progress", "target__search_text", "target__benchmark")
        .order_by(
            "target__lead_unit__sort_order",
            "target_id",
            F("submitted_at").desc(nulls_last=True),
            "-id",
        )
    )
    seen, latest = set(), []
    for report in reports:
        if report.target_id not in seen:
            seen.add(report.target_id)
            latest.append(report)
    return latest
