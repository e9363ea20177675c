"""考评: each lead unit's score for a period, rule by rule, and the ranking.

Points are earned in proportion (a unit with nothing to be measured on under a rule gets its
full points for that rule) and lost per returned report and per overdue day, each deduction
capped; a total never falls below zero. A unit with nothing at all to be measured on in the
period is listed apart, not ranked.

- 按时签收  targets assigned to the unit during the period, acknowledged within `ack_days`
            days (the assignment time is read from the audit trail; one still not acknowledged
            after `ack_days` counts as late, one whose time is unknown is not counted);
- 按时报送  the period's reports sent on time, of those owed (see common.py);
- 完成情况  the targets owing a report that are complete for the period (closed by its end, or
            the period's report accepted as complete);
- 退回扣分  each return (退回修改) of one of the period's reports;
- 逾期扣分  each day inside the period (up to today) a target of the period's year was past its
            deadline and not closed;
- 延期扣分  each deadline extension (延期申请) of a target of the period's year approved during
            the period, counted against the unit that asked for it (none by default: the rule's
            `extension_deduction` is 0 until the office sets a weight).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone

from duban.audit.models import AuditEvent
from duban.organisations.models import Organisation
from duban.reports.models import DEFAULTS, ScoringRule
from duban.supervision.models import DeadlineExtension
from duban.targets.models import ProgressReport, Target
from duban.targets.periods import Period

from .bulletin import returns_by_report
from .common import Window, complete_q, local_date, on_time_q, owing_report, unit_order

STATE_LABEL = str(Target._meta.get_field("state").verbose_name)
ASSIGNED_LABEL = Target.State.ASSIGNED.label
CENT = Decimal("0.01")

RULES = [
    ("ack", "按时签收"),
    ("report", "按时报送"),
    ("completion", "完成情况"),
    ("returns", "退回扣分"),
    ("overdue", "逾期扣分"),
    ("extensions", "延期扣分"),
]


def rule_for(period: Period) -> ScoringRule:
    """The rule set for the period: its own, else its year's, else the default one, else the
    built-in defaults (an unsaved rule set)."""
    candidates = ScoringRule.objects.filter(
        Q(period=str(period)) | Q(year=period.year, period="") | Q(year__isnull=True, period="")
    )

    def specificity(rule):
        return 2 if rule.period else 1 if rule.year is not None else 0

    found = max(candidates, key=specificity, default=None)
    return found or ScoringRule(name="默认考评规则", **DEFAULTS)


@dataclass
class Measures:
    """What a unit is scored on in a period."""

    ack_due: int = 0
    ack_on_time: int = 0
    owing: int = 0
    on_time: int = 0
    complete: int = 0
    returns: int = 0
    overdue_days: int = 0
    extensions: int = 0

    @property
    def anything(self) -> bool:
        """Whether any rule has something to measure this unit on in the period."""
        return bool(
            self.ack_due or self.owing or self.returns or self.overdue_days or self.extensions
        )


@dataclass
class RuleScore:
    key: str
    label: str
    detail: str
    points: Decimal  # earned (positive) or deducted (negative)
    full: Decimal | None = None  # the rule's full points; None for a deduction


@dataclass
class UnitScore:
    unit: Organisation
    measures: Measures
    items: list[RuleScore] = field(default_factory=list)
    total: Decimal = Decimal(0)
    rank: int = 0

    def item(self, key: str) -> RuleScore:
        return next(i for i in self.items if i.key == key)


@dataclass
class Ranking:
    period: Period
    rule: ScoringRule
    scores: list[UnitScore]
    today: datetime.date
    unmeasured: list[Organisation] = field(default_factory=list)  # nothing to score them on


def _share(points: Decimal, part: int, whole: int) -> Decimal:
    if not whole:
        return points
    return (Decimal(points) * part / whole).quantize(CENT, ROUND_HALF_UP)


def _capped(each, times: int, cap) -> Decimal:
    return min(Decimal(cap), Decimal(each) * times).quantize(CENT, ROUND_HALF_UP)


def score(measures: Measures, rule: ScoringRule) -> tuple[list[RuleScore], Decimal]:
    """The breakdown and the total of one unit's measures under a rule set."""
    m = measures
    ack = RuleScore(
        "ack",
        "按时签收",
        f"按时签收{m.ack_on_time}/{m.ack_due}项" if m.ack_due else "本期无应签收事项，按满分计",
        _share(rule.ack_points, m.ack_on_time, m.ack_due),
        rule.ack_points,
    )
    report = RuleScore(
        "report",
        "按时报送",
        f"按时报送{m.on_time}/{m.owing}项" if m.owing else "本期无应报送事项，按满分计",
        _share(rule.report_points, m.on_time, m.owing),
        rule.report_points,
    )
    completion = RuleScore(
        "completion",
        "完成情况",
        f"完成{m.complete}/{m.owing}项" if m.owing else "本期无应报送事项，按满分计",
        _share(rule.completion_points, m.complete, m.owing),
        rule.completion_points,
    )
    returns = RuleScore(
        "returns",
        "退回扣分",
        f"退回{m.returns}次",
        -_capped(rule.return_deduction, m.returns, rule.return_cap),
    )
    overdue = RuleScore(
        "overdue",
        "逾期扣分",
        f"逾期{m.overdue_days}天",
        -_capped(rule.overdue_deduction, m.overdue_days, rule.overdue_cap),
    )
    extensions = RuleScore(
        "extensions",
        "延期扣分",
        f"延期{m.extensions}次",
        -_capped(rule.extension_deduction, m.extensions, rule.extension_cap),
    )
    items = [ack, report, completion, returns, overdue, extensions]
    total = max(Decimal(0), sum((i.points for i in items), Decimal(0))).quantize(CENT)
    return items, total


def measure(
    period: Period, today: datetime.date | None = None, now=None, *, ack_days: int | None = None
) -> dict[int, Measures]:
    """{unit id: Measures} for every unit leading a target of the period's year that has been
    assigned."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    if ack_days is None:
        ack_days = rule_for(period).ack_days
    window = Window.of(period)
    targets = Target.objects.filter(year=period.year, lead_unit__isnull=False)
    found: dict[int, Measures] = defaultdict(Measures)
    for unit_id in (
        targets.exclude(state__in=[Target.State.REGISTERED, Target.State.APPROVED])
        .order_by()
        .values_list("lead_unit_id", flat=True)
        .distinct()
    ):
        found[unit_id] = Measures()

    _acknowledgements(targets, window, found, now, ack_days)

    for row in (
        owing_report(targets, window)
        .order_by()
        .values("lead_unit")
        .annotate(
            owing=Count("id"),
            on_time=Count("id", filter=on_time_q(window)),
            complete=Count("id", filter=complete_q([window.key], window.end_at)),
        )
    ):
        m = found[row["lead_unit"]]
        m.owing, m.on_time, m.complete = row["owing"], row["on_time"], row["complete"]

    reports = ProgressReport.objects.filter(target__in=targets.values("pk"), period=window.key)
    events = returns_by_report(reports)
    lead_of = dict(
        (
            reports.filter(pk__in=list(events))
            | reports.filter(review_state=ProgressReport.Review.RETURNED)
        ).values_list("pk", "target__lead_unit_id")
    )
    for report_id, unit_id in lead_of.items():
        found[unit_id].returns += len(events.get(report_id, ())) or 1

    last_day = min(window.end, today)
    for unit_id, deadline, state, closed_at in (
        targets.filter(deadline__isnull=False, deadline__lt=last_day)
        .exclude(state=Target.State.CLOSED, closed_at__isnull=True)
        .exclude(closed_at__lt=window.start_at)
        .values_list("lead_unit_id", "deadline", "state", "closed_at")
    ):
        stop = local_date(closed_at) if state == Target.State.CLOSED else today
        first = max(deadline + datetime.timedelta(days=1), window.start)
        days = (min(stop, last_day) - first).days + 1
        if days > 0:
            found[unit_id].overdue_days += days

    for unit_id, lead_id in DeadlineExtension.objects.filter(
        target__in=targets.values("pk"),
        state=DeadlineExtension.State.APPROVED,
        decided_at__gte=window.start_at,
        decided_at__lt=min(window.end_at, now),
    ).values_list("unit_id", "target__lead_unit_id"):
        found[unit_id or lead_id].extensions += 1
    return dict(found)


def _acknowledgements(targets, window: Window, found: dict, now, ack_days: int):
    """Targets assigned during the period, and whether each was acknowledged in time. The
    assignment is the first event of the trail that put the target in 待签收."""
    assigned_at = {}
    for target_id, created_at in (
        AuditEvent.objects.filter(
            object_type=ContentType.objects.get_for_model(Target),
            action__in=[AuditEvent.Action.CREATE, AuditEvent.Action.TRANSITION],
            target_id__in=targets.values("pk"),
            **{f"after__{STATE_LABEL}": ASSIGNED_LABEL},
        )
        .order_by("created_at", "id")
        .values_list("target_id", "created_at")
    ):
        assigned_at.setdefault(target_id, created_at)
    in_period = {
        pk: moment
        for pk, moment in assigned_at.items()
        if window.start_at <= moment < window.end_at
    }
    if not in_period:
        return
    for pk, unit_id, state, acknowledged_at in targets.filter(pk__in=list(in_period)).values_list(
        "pk", "lead_unit_id", "state", "acknowledged_at"
    ):
        due = in_period[pk] + datetime.timedelta(days=ack_days)
        m = found.setdefault(unit_id, Measures())
        if acknowledged_at is not None:
            m.ack_due += 1
            m.ack_on_time += acknowledged_at <= due
        elif state == Target.State.ASSIGNED and now > due:
            m.ack_due += 1


def ranking(period: Period, today: datetime.date | None = None, now=None) -> Ranking:
    today = today or timezone.localdate()
    rule = rule_for(period)
    measures = measure(period, today, now, ack_days=rule.ack_days)
    units = sorted(Organisation.objects.filter(pk__in=list(measures)), key=unit_order)
    scores, unmeasured = [], []
    for unit in units:
        if not measures[unit.pk].anything:
            # Full points for having had nothing to do would put it at the top: not ranked.
            unmeasured.append(unit)
            continue
        items, total = score(measures[unit.pk], rule)
        scores.append(UnitScore(unit, measures[unit.pk], items, total))
    # Highest first; equal totals share a rank (1, 2, 2, 4) and keep the units' own order.
    scores.sort(key=lambda s: -s.total)
    for index, entry in enumerate(scores):
        if index and entry.total == scores[index - 1].total:
            entry.rank = scores[index - 1].rank
        else:
            entry.rank = index + 1
    return Ranking(period, rule, scores, today, unmeasured)
