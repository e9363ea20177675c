"""What the bulletin, the dashboard and the scoring agree on: the period's dates, which targets
owe a report for it, when a report is on time, and when a target counts as complete.

- A period's targets are those of its year (Target.year) the user may see.
- A target owes a report for a period (应报送) once its lead unit has acknowledged it (办理中
  or 已办结), unless it was closed before the period began or acknowledged only after the
  period's reporting deadline; one that did send a report for the period owes it anyway,
  whatever its state (an answer read from the period's table, say, for a target imported
  later and not yet acknowledged in duban).
- A report counts once it is sent (any review state but 草稿). It is on time (按时报送) when
  it was submitted (ProgressReport.submitted_at) no later than the end of the day
  `DUBAN_REPORT_GRACE_DAYS` days after the period's last day. A report that never went through
  submitting (read from a document the office imported) counts from when it was stored.
  A report returned and sent again counts from its latest submission.
- Imported history counts as reported when it was reported: a report read from the period's
  own table (its source document is of the report's period) and submitted by nobody (the
  office's import, not a unit's reply by file) counts as sent at the period's end, so on time,
  however much later the table was read in.
- A target is complete for a period when it was closed by the end of the period, or its report
  for the period was accepted (已通过) saying the work is complete.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Case, DateTimeField, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from duban.targets.models import ProgressReport, SourceCategory, Target
from duban.targets.periods import Period

MIN_YEAR, MAX_YEAR = 2000, 2100
SPAN_MONTHS = {"Y": 12, "H": 6, "Q": 3, "M": 1}


class FilterError(ValueError):
    """A filter value a person typed or edited that makes no sense; the message is for them."""


def grace_days() -> int:
    return settings.DUBAN_REPORT_GRACE_DAYS


def parse_period(value: str | None, default: Period | None = None) -> Period | None:
    value = (value or "").strip()
    if not value:
        return default
    try:
        period = Period.parse(value)
    except ValueError:
        raise FilterError(
            f"无法识别的期次“{value[:20]}”，应写作 2026-Q3（季度）、2026-H1（半年）、"
            "2026-M09（月）或 2026（年度）"
        ) from None
    if not MIN_YEAR <= period.year <= MAX_YEAR:
        raise FilterError(f"期次的年份应在 {MIN_YEAR} 至 {MAX_YEAR} 年之间")
    return period


def parse_year(value: str | None) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit() or not MIN_YEAR <= int(value) <= MAX_YEAR:
        raise FilterError(f"年度应为 {MIN_YEAR} 至 {MAX_YEAR} 之间的四位数字，收到“{value[:20]}”")
    return int(value)


def parse_sources(values) -> list[str]:
    """Task sources (任务来源) chosen by code or label, as the ledgers take them; none: all."""
    chosen = []
    for value in values or ():
        value = (value or "").strip()
        if not value:
            continue
        code = next((c for c, label in SourceCategory.choices if value in (c, label)), None)
        if code is None:
            names = "、".join(label for _code, label in SourceCategory.choices)
            raise FilterError(f"没有“{value[:20]}”这种任务来源，可选：{names}")
        if code not in chosen:
            chosen.append(code)
    return chosen


def last_ended_quarter(today: datetime.date) -> Period:
    """The quarter units have just reported on (or are reporting on now)."""
    quarter = Period.quarter_of(today)
    if quarter.index == 1:
        return Period(today.year - 1, "Q", 4)
    return Period(today.year, "Q", quarter.index - 1)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


@dataclass(frozen=True)
class Window:
    """A period's dates, and the moments (aware, exclusive ends) queries compare with."""

    period: Period
    start: datetime.date
    end: datetime.date
    due: datetime.date  # the last day a report is on time

    @classmethod
    def of(cls, period: Period, grace: int | None = None) -> "Window":
        grace = grace_days() if grace is None else grace
        first_month = period.last_month - SPAN_MONTHS[period.kind] + 1
        end = period.end_date
        return cls(
            period=period,
            start=datetime.date(period.year, first_month, 1),
            end=end,
            due=end + datetime.timedelta(days=grace),
        )

    @property
    def start_at(self) -> datetime.datetime:
        return _start_of(self.start)

    @property
    def end_at(self) -> datetime.datetime:
        """The first moment after the period."""
        return _start_of(self.end + datetime.timedelta(days=1))

    @property
    def due_at(self) -> datetime.datetime:
        """The first moment a report is late."""
        return _start_of(self.due + datetime.timedelta(days=1))

    @property
    def key(self) -> str:
        return str(self.period)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def sent_reports():
    """Reports that were sent (not drafts), annotated with `sent_at`: when."""
    return ProgressReport.objects.exclude(review_state=ProgressReport.Review.DRAFT).annotate(
        sent_at=Coalesce("submitted_at", "created_at")
    )


def history_q(window: "Window") -> Q:
    """Reports of the window's period that are imported history: read from that period's own
    table by the office's import (submitted by nobody)."""
    return Q(
        source_document__isnull=False,
        source_document__period=window.key,
        submitted_by__isnull=True,
    )


def period_reports(window: "Window"):
    """The period's sent reports, each annotated with `sent_at`: when it counts as sent
    (imported history: at the period's end)."""
    return (
        ProgressReport.objects.exclude(review_state=ProgressReport.Review.DRAFT)
        .filter(period=window.key)
        .annotate(
            sent_at=Case(
                When(history_q(window), then=Value(window.end_at, DateTimeField())),
                default=Coalesce("submitted_at", "created_at"),
                output_field=DateTimeField(),
            )
        )
    )


def first_sent(window: "Window") -> Subquery:
    """For a queryset of targets: when the first of its reports for the period was sent."""
    return Subquery(
        period_reports(window)
        .filter(target=OuterRef("pk"))
        .order_by("sent_at")
        .values("sent_at")[:1]
    )


def owing_report(targets, window: Window):
    """The targets that owe a report for the window's period, each annotated with
    `first_submitted`: when the first of its reports for the period was sent (None: not yet)."""
    in_time = (Q(closed_at__isnull=True) | Q(closed_at__gte=window.start_at)) & (
        Q(acknowledged_at__isnull=True) | Q(acknowledged_at__lt=window.due_at)
    )
    acknowledged = Q(state__in=[Target.State.IN_PROGRESS, Target.State.CLOSED])
    return (
        targets.filter(year=window.period.year, lead_unit__isnull=False)
        .annotate(first_submitted=first_sent(window))
        .filter((acknowledged & in_time) | Q(first_submitted__isnull=False))
    )


def on_time_q(window: Window) -> Q:
    """For rows of `owing_report`."""
    return Q(first_submitted__lt=window.due_at)


def not_on_time_q(window: Window) -> Q:
    """Late or not sent at all (a NULL never compares, so it is asked for by name)."""
    return Q(first_submitted__isnull=True) | Q(first_submitted__gte=window.due_at)


def reported_q() -> Q:
    return Q(first_submitted__isnull=False)


def complete_q(periods: list[str] | None, end_at: datetime.datetime | None) -> Q:
    """Targets complete for the periods: closed by `end_at` (or at all, when None), or with an
    accepted report for one of the periods saying the work is complete (any, when None)."""
    accepted = ProgressReport.objects.filter(
        target=OuterRef("pk"), review_state=ProgressReport.Review.ACCEPTED, is_complete=True
    )
    if periods is not None:
        accepted = accepted.filter(period__in=periods)
    closed = Q(state=Target.State.CLOSED)
    if end_at is not None:
        closed &= Q(closed_at__isnull=True) | Q(closed_at__lt=end_at)
    return closed | Q(Exists(accepted))


def unit_order(unit) -> tuple:
    """Units as offices list them, the same on every database (collations differ)."""
    return (unit.level, unit.sort_order, unit.name)


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage with one decimal, None when there is nothing to count."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None
