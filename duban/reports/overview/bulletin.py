"""情况通报: a period's bulletin, over the targets the reader may see.

Counts by state and light, the on-time reporting rate per lead unit, and four lists: reports
not sent on time, targets past their deadline, reports returned for revision in the period,
and reports saying the period's work is not complete, with their reasons. The web page and
the .docx are drawn from the same `Bulletin`.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, F
from django.db.models.functions import Cast
from django.utils import timezone

from duban.audit.models import AuditEvent
from duban.organisations.models import Organisation, Person, is_office_staff, person_of
from duban.targets.lights import Light
from duban.targets.models import ProgressReport, Target
from duban.targets.periods import Period

from .common import (
    Window,
    complete_q,
    local_date,
    not_on_time_q,
    on_time_q,
    owing_report,
    percent,
    reported_q,
    unit_order,
)

# The summary ProgressReport.return_for_revision gives its transition in the audit trail.
RETURN_SUMMARY = "退回修改"
REVIEW_COMMENT = str(ProgressReport._meta.get_field("review_comment").verbose_name)
# What the lists never show: not worth reading for hundreds of rows.
LONG_FIELDS = ("progress", "next_steps", "target__search_text", "target__benchmark")


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

    @property
    def period(self) -> Period:
        return self.window.period

    @property
    def title(self) -> str:
        return f"{self.period.label}目标任务推进情况通报"

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
        parts = [
            f"截至{self.today.year}年{self.today.month}月{self.today.day}日，"
            f"{self.scope}{self.period.year}年度目标任务共{self.total}项，"
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
        return "".join(parts)


def scope_label(user) -> str:
    if is_office_staff(user):
        return "全市"
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


def build(user, period: Period, today: datetime.date | None = None, *, targets=None) -> Bulletin:
    """The bulletin of `period` over the targets `user` may see (or over `targets`)."""
    today = today or timezone.localdate()
    window = Window.of(period)
    if targets is None:
        targets = Target.objects.visible_to(user)
    targets = targets.filter(year=period.year)

    states = dict(targets.order_by().values_list("state").annotate(n=Count("id")))
    lights = dict(
        targets.with_lights(today).order_by().values_list("light").annotate(n=Count("id"))
    )
    by_state = [(value, label, states.get(value, 0)) for value, label in Target.State.choices]
    by_light = [(value, label, lights.get(value, 0)) for value, label in Light.choices]
    complete = targets.filter(complete_q([window.key], window.end_at)).count()

    owing = owing_report(targets, window)
    per_unit = {
        row["lead_unit"]: row
        for row in owing.order_by()
        .values("lead_unit")
        .annotate(
            owing=Count("id"),
            on_time=Count("id", filter=on_time_q(window)),
            reported=Count("id", filter=reported_q()),
        )
    }
    units = [
        UnitReporting(
            str(unit),
            per_unit[unit.pk]["owing"],
            per_unit[unit.pk]["on_time"],
            per_unit[unit.pk]["reported"],
        )
        for unit in _units(per_unit)
    ]
    totals = UnitReporting(
        "合计",
        sum(u.owing for u in units),
        sum(u.on_time for u in units),
        sum(u.reported for u in units),
    )

    late = [
        LateRow(t, local_date(t.first_submitted))
        for t in owing.filter(not_on_time_q(window))
        .select_related("lead_unit")
        .defer("search_text", "benchmark")
        .order_by("lead_unit__sort_order", "lead_unit__name", "source_category", "id")
    ]
    overdue = [
        OverdueRow(t, (today - t.deadline).days)
        for t in targets.exclude(state=Target.State.CLOSED)
        .filter(deadline__lt=today)
        .select_related("lead_unit", "leader")
        .defer("search_text", "benchmark")
        .order_by("deadline", "id")
    ]
    return Bulletin(
        window=window,
        today=today,
        scope=scope_label(user) if user is not None else "全市",
        total=sum(states.values()),
        by_state=by_state,
        by_light=by_light,
        complete=complete,
        units=units,
        totals=totals,
        late=late,
        overdue=overdue,
        returned=returned_reports(targets, window),
        incomplete=incomplete_reports(targets, window),
    )


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
