"""The dashboard (统计分析): completion by source, lead unit and leader, traffic-light counts,
each goal against its latest actual, and the reports of each quarter of the year.

Everything comes from a handful of aggregate queries over the targets the reader may see:
one grouped count gives the completion and light tables together, one the quarterly trend,
two the goals and actuals. Nothing is cached.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from duban.organisations.models import Organisation, Person
from duban.targets.lights import Light
from duban.targets.models import Indicator, ProgressReport, SourceCategory, Target
from duban.targets.periods import Period

from .achievements import ProgressRow, progress_rows
from .common import (
    FilterError,
    Window,
    complete_q,
    parse_period,
    parse_year,
    percent,
    sent_reports,
    unit_order,
)

NO_UNIT, NO_LEADER = "（未交办）", "（未定）"
LIGHT_COLOURS = {
    Light.GREEN: "#2f9e44",
    Light.YELLOW: "#f2b705",
    Light.RED: "#d64545",
    Light.DONE: "#9aa5b1",
}
PROGRESS_PAGE_SIZE = 30


@dataclass(frozen=True)
class Filters:
    year: int
    period: Period | None
    years: list[int]

    @property
    def period_choices(self) -> list[tuple[str, str]]:
        choices = [
            (str(Period(self.year, "Q", q)), f"第{'一二三四'[q - 1]}季度") for q in (1, 2, 3, 4)
        ]
        choices += [(str(Period(self.year, "H", h)), ("上半年", "下半年")[h - 1]) for h in (1, 2)]
        return choices

    @property
    def label(self) -> str:
        return self.period.label if self.period else f"{self.year}年全年"

    def periods(self) -> list[str]:
        """The report periods whose accepted reports count towards completion."""
        if self.period is not None:
            return [str(self.period)]
        year = self.year
        return (
            [str(year)]
            + [f"{year}-Q{q}" for q in range(1, 5)]
            + [f"{year}-H{h}" for h in (1, 2)]
            + [f"{year}-M{m:02d}" for m in range(1, 13)]
        )

    def closed_by(self) -> datetime.datetime | None:
        return Window.of(self.period).end_at if self.period is not None else None


def target_years(targets) -> list[int]:
    return sorted(targets.order_by().values_list("year", flat=True).distinct(), reverse=True)


def parse_filters(query, years: list[int], today: datetime.date) -> Filters:
    """The year and period asked for, among the `years` that have targets; FilterError with
    a message for a person otherwise."""
    year = parse_year(query.get("year"))
    period = parse_period(query.get("period"))
    if period is not None and year is not None and period.year != year:
        raise FilterError(f"期次“{period.label}”不属于{year}年")
    if year is None:
        if period is not None:
            year = period.year
        elif today.year in years or not years:
            year = today.year
        else:
            year = years[0]
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    return Filters(year=year, period=period, years=years)


@dataclass
class Group:
    key: object
    label: str
    total: int = 0
    done: int = 0

    @property
    def rate(self) -> Decimal | None:
        return percent(self.done, self.total)

    @property
    def open(self) -> int:
        return self.total - self.done


@dataclass
class TrendRow:
    period: Period
    submitted: int = 0
    accepted: int = 0
    on_time: int = 0

    @property
    def label(self) -> str:
        return f"第{'一二三四'[self.period.index - 1]}季度"


@dataclass
class Dashboard:
    filters: Filters
    today: datetime.date
    total: int
    done: int
    by_source: list[Group]
    by_unit: list[Group]
    by_leader: list[Group]
    lights: list[Group]
    trend: list[TrendRow]
    progress: list[ProgressRow] = field(default_factory=list)
    progress_page: Page | None = None

    @property
    def rate(self) -> Decimal | None:
        return percent(self.done, self.total)

    @property
    def open(self) -> int:
        return self.total - self.done

    def chart_data(self) -> dict:
        """What each chart draws, for json_script; the tables beside them show the same."""

        def completion(groups):
            return {
                "categories": [g.label for g in groups],
                "done": [g.done for g in groups],
                "open": [g.open for g in groups],
            }

        return {
            "source": completion(self.by_source),
            "unit": completion(self.by_unit),
            "leader": completion(self.by_leader),
            "lights": {
                "items": [
                    {"name": g.label, "value": g.total, "color": LIGHT_COLOURS[g.key]}
                    for g in self.lights
                ]
            },
            "trend": {
                "categories": [row.label for row in self.trend],
                "series": [
                    {"name": "已报送", "data": [row.submitted for row in self.trend]},
                    {"name": "已通过", "data": [row.accepted for row in self.trend]},
                    {"name": "按时报送", "data": [row.on_time for row in self.trend]},
                ],
            },
        }


def build(
    visible,
    filters: Filters,
    today: datetime.date | None = None,
    progress_page=1,
    *,
    sees_all: bool = False,
) -> Dashboard:
    """The dashboard over the targets of the filters' year among `visible` (what the reader
    may see; `sees_all` when that is every target)."""
    today = today or timezone.localdate()
    targets = visible.filter(year=filters.year)
    done_q = complete_q(filters.periods(), filters.closed_by())
    rows = list(
        targets.with_lights(today)
        .order_by()
        .values_list("source_category", "lead_unit_id", "leader_id", "light")
        .annotate(total=Count("id"), done=Count("id", filter=done_q))
    )
    sources, units, leaders, lights = {}, {}, {}, {}

    def add(groups, key, total, done):
        group = groups.setdefault(key, [0, 0])
        group[0] += total
        group[1] += done

    for source, unit, leader, light, total, done in rows:
        add(sources, source, total, done)
        add(units, unit, total, done)
        add(leaders, leader, total, done)
        add(lights, light, total, done)

    source_labels = dict(SourceCategory.choices)
    by_source = [
        Group(key, source_labels.get(key, key), *sources[key])
        for key in [*SourceCategory.values, *sorted(set(sources) - set(SourceCategory.values))]
        if key in sources
    ]
    by_unit = [
        Group(o.pk, str(o), *units[o.pk])
        for o in sorted(
            Organisation.objects.filter(pk__in=[k for k in units if k is not None]),
            key=unit_order,
        )
    ]
    if None in units:
        by_unit.append(Group(None, NO_UNIT, *units[None]))
    by_leader = [
        Group(p.pk, p.name, *leaders[p.pk])
        for p in sorted(
            Person.objects.filter(pk__in=[k for k in leaders if k is not None]),
            key=lambda p: (p.name, p.pk),
        )
    ]
    if None in leaders:
        by_leader.append(Group(None, NO_LEADER, *leaders[None]))
    light_groups = [
        Group(value, label, *lights.get(value, (0, 0))) for value, label in Light.choices
    ]

    progress, progress_page = progress_on_page(targets, progress_page)
    return Dashboard(
        filters=filters,
        today=today,
        total=sum(g.total for g in by_source),
        done=sum(g.done for g in by_source),
        by_source=by_source,
        by_unit=by_unit,
        by_leader=by_leader,
        lights=light_groups,
        trend=trend(None if sees_all else visible, filters.year),
        progress=progress,
        progress_page=progress_page,
    )


def progress_on_page(targets, number) -> tuple[list[ProgressRow], Page]:
    """One page of the targets that set a figure, in ledger order, each goal against its
    latest actual: a page's worth of work whatever the number of targets."""
    with_goals = targets.filter(
        Exists(Indicator.objects.filter(target=OuterRef("pk"), kind=Indicator.Kind.TARGET))
    ).order_by("source_category", "id")
    page = Paginator(with_goals.values_list("pk", flat=True), PROGRESS_PAGE_SIZE).get_page(number)
    ids = list(page.object_list)
    rows = {row.target.pk: row for row in progress_rows(Target.objects.filter(pk__in=ids))}
    return [rows[pk] for pk in ids if pk in rows], page


def trend(visible, year: int) -> list[TrendRow]:
    """For each quarter of the year: the reports sent for it, accepted, and sent on time (the
    bulletin's rule), on the targets the reader may see (all of them when `visible` is None)."""
    windows = [Window.of(Period(year, "Q", q)) for q in range(1, 5)]
    on_time = Q()
    for window in windows:
        on_time |= Q(period=window.key, sent_at__lt=window.due_at)
    reports = sent_reports().filter(period__in=[w.key for w in windows])
    if visible is not None:
        reports = reports.filter(target__in=visible.values("pk"))
    counts = {
        row[0]: row[1:]
        for row in reports.order_by()
        .values_list("period")
        .annotate(
            submitted=Count("id"),
            accepted=Count("id", filter=Q(review_state=ProgressReport.Review.ACCEPTED)),
            on_time=Count("id", filter=on_time),
        )
    }
    return [TrendRow(w.period, *counts.get(w.key, (0, 0, 0))) for w in windows]
