"""What a ledger shows: the year and period, the targets, and for each target its units (the
lead unit first), its milestone for the period and the report(s) printed for the period.

Which report is printed for a period: a report of exactly that period that has been sent
(submitted) or accepted, preferring an accepted report, then the latest one. Drafts and
returned reports are the unit's work in progress and are never printed.

The period, when none is asked for:

* progress ledger: the latest period of the year for which the targets have a milestone or a
  printed report (quarters before halves, years and months when two end on the same day);
  without any, the current quarter in the current year, else the year itself;
* commitments ledger: the year. A year's commitments table shows the report of the year, or,
  when there is none, one progress block per quarter reported (else per half, else per month);
* goals ledger: the year (a goals table has no progress columns).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from duban.organisations.models import Organisation, Person
from duban.targets.models import Milestone, ProgressReport, SourceCategory, Target
from duban.targets.periods import Period

PROGRESS, COMMITMENTS, GOALS = "progress", "commitments", "goals"
LAYOUTS = {
    PROGRESS: "季度完成情况表",
    COMMITMENTS: "公开承诺事项进展表",
    GOALS: "业务目标表",
}
PRINTED_STATES = (ProgressReport.Review.ACCEPTED, ProgressReport.Review.SUBMITTED)
# Order of the sources in a ledger, as offices rank them.
SOURCE_ORDER = {value: index for index, value in enumerate(SourceCategory.values)}
# When two periods end on the same day, the one offices report by comes first.
_KIND_PREFERENCE = {"Q": 3, "H": 2, "Y": 1, "M": 0}
_BATCH = 500  # ids per IN (…) query: well inside every database's parameter limit
REPORT_FIELDS = (
    "target_id",
    "period",
    "progress",
    "status_text",
    "is_complete",
    "reason",
    "next_steps",
    "review_state",
    "submitted_at",
    "created_at",
)


class LedgerError(Exception):
    """A ledger that cannot be made as asked; the message is for users, in Chinese."""


@dataclass
class Row:
    """One target with what a ledger prints about it."""

    target: Target
    units: list[Organisation] = field(default_factory=list)
    milestone: Milestone | None = None
    reports: list[ProgressReport] = field(default_factory=list)

    @property
    def report(self) -> ProgressReport | None:
        return self.reports[0] if self.reports else None


@dataclass
class Selection:
    layout: str
    year: int
    period: Period
    rows: list[Row]


def parse_period(value: str) -> Period:
    try:
        return Period.parse(value)
    except ValueError as exc:
        raise LedgerError(
            f"期次“{value}”无法识别，应写作 2022、2022-Q1、2022-H1 或 2022-M03"
        ) from exc


def select(
    targets,
    layout: str,
    *,
    year: int | None = None,
    period: Period | None = None,
    today: datetime.date | None = None,
) -> Selection:
    """The rows of a ledger from a queryset of targets (already filtered and limited to what
    the user may see)."""
    if layout not in LAYOUTS:
        raise LedgerError(f"没有“{layout}”这种台账，可选：{'、'.join(LAYOUTS)}")
    today = today or timezone.localdate()
    if period is not None:
        if year is not None and year != period.year:
            raise LedgerError(f"期次 {period} 不在所选年度 {year} 年内")
        year = period.year
    if year is None:
        years = targets.order_by().values_list("year", flat=True).distinct()
        year = max(years, default=today.year)
    targets = targets.filter(year=year)
    if period is None:
        period = default_period(targets, layout, year, today)
    rows = load_rows(targets, layout, period)
    return Selection(layout, year, period, rows)


def default_period(targets, layout: str, year: int, today: datetime.date) -> Period:
    if layout != PROGRESS:
        return Period(year, "Y", 1)
    ids = targets.order_by().values("pk")
    milestones = Milestone.objects.filter(target__in=ids)
    reports = ProgressReport.objects.filter(target__in=ids, review_state__in=PRINTED_STATES)
    found = set()
    for queryset in (milestones, reports):
        found |= set(queryset.order_by().values_list("period", flat=True).distinct())
    periods = []
    for value in found:
        try:
            parsed = Period.parse(value)
        except ValueError:
            continue
        if parsed.year == year:
            periods.append(parsed)
    if periods:
        return max(periods, key=lambda p: (p.end_date, _KIND_PREFERENCE[p.kind]))
    if year == today.year:
        return Period.quarter_of(today)
    return Period(year, "Y", 1)


def _batches(ids: list[int]):
    for start in range(0, len(ids), _BATCH):
        yield ids[start : start + _BATCH]


def _sort_key(target: Target):
    return (SOURCE_ORDER.get(target.source_category, len(SOURCE_ORDER)), target.pk)


def load_rows(targets, layout: str, period: Period) -> list[Row]:
    """Targets in ledger order (by source, then as registered) with their units, leader,
    milestone and printed reports: a fixed number of queries per 500 targets, and units and
    leaders read once however many targets name them."""
    loaded = sorted(targets.defer("search_text"), key=_sort_key)
    rows = [Row(t) for t in loaded]
    by_id = {row.target.pk: row for row in rows}
    ids = list(by_id)
    units = {org.pk: org for org in Organisation.objects.all()}
    co_units: dict[int, list[int]] = {pk: [] for pk in ids}
    through = Target.co_units.through
    for chunk in _batches(ids):
        # In the order they were recorded: an import records a row's co-units in the order
        # its 责任单位 cell names them.
        links = (
            through.objects.filter(target_id__in=chunk)
            .order_by("id")
            .values_list("target_id", "organisation_id")
        )
        for target_id, unit_id in links:
            co_units[target_id].append(unit_id)
    leader_ids = list({row.target.leader_id for row in rows if row.target.leader_id})
    leaders = {}
    for chunk in _batches(leader_ids):
        leaders.update((p.pk, p) for p in Person.objects.filter(pk__in=chunk))
    lead_field, leader_field = Target._meta.get_field("lead_unit"), Target._meta.get_field("leader")
    for row in rows:
        target = row.target
        if target.lead_unit_id:
            lead_field.set_cached_value(target, units[target.lead_unit_id])
        if target.leader_id:
            leader_field.set_cached_value(target, leaders[target.leader_id])
        row.units = units_lead_first(target, [units[pk] for pk in co_units[target.pk]])
    if layout == GOALS:
        return rows
    periods = report_periods(layout, period)
    if layout == PROGRESS:
        for chunk in _batches(ids):
            found = Milestone.objects.filter(target_id__in=chunk, period=str(period))
            for milestone in found.only("target_id", "period", "text"):
                by_id[milestone.target_id].milestone = milestone
    reports: dict[int, dict[str, list[ProgressReport]]] = {}
    for chunk in _batches(ids):
        found = ProgressReport.objects.filter(
            target_id__in=chunk,
            period__in=[str(p) for p in periods],
            review_state__in=PRINTED_STATES,
        ).only(*REPORT_FIELDS)
        for report in found:
            reports.setdefault(report.target_id, {}).setdefault(report.period, []).append(report)
    for pk, by_period in reports.items():
        by_id[pk].reports = blocks(by_period, period)
    return rows


def units_lead_first(target: Target, co_units: list[Organisation]) -> list[Organisation]:
    """As Target.units: the lead unit, then the co-units in the order they were recorded."""
    lead = [target.lead_unit] if target.lead_unit_id else []
    return lead + [u for u in co_units if u.pk != target.lead_unit_id]


def report_periods(layout: str, period: Period) -> list[Period]:
    """The periods whose reports a ledger may print for `period`."""
    if layout == COMMITMENTS and period.kind == "Y":
        year = period.year
        return [
            period,
            *(Period(year, "Q", q) for q in range(1, 5)),
            *(Period(year, "H", h) for h in (1, 2)),
            *(Period(year, "M", m) for m in range(1, 13)),
        ]
    return [period]


def printed_report(reports: list[ProgressReport]) -> ProgressReport | None:
    """The report printed for a period: accepted before submitted, then the latest."""
    if not reports:
        return None

    def key(report):
        when = report.submitted_at or report.created_at
        return (report.review_state == ProgressReport.Review.ACCEPTED, when, report.pk)

    return max(reports, key=key)


def blocks(by_period: dict[str, list[ProgressReport]], period: Period) -> list[ProgressReport]:
    """The report for the period itself; for a year without one, one report per quarter
    reported (else per half, else per month), in order."""
    own = printed_report(by_period.get(str(period), []))
    if own is not None or period.kind != "Y":
        return [own] if own is not None else []
    for kind in ("Q", "H", "M"):
        parts = sorted(
            (Period.parse(p) for p in by_period if p.startswith(f"{period.year}-{kind}")),
            key=lambda p: p.index,
        )
        if parts:
            return [printed_report(by_period[str(p)]) for p in parts]
    return []
