"""Reading numbers against each other: a target's figure against the achievement reported
for it ("target ≥1260 家, reported 1027 家"), and two sources that set different figures for
the same thing in the same year (a conflict to flag).

Indicators are matched by subject, year, measure and unit. Subjects are compared after
dropping the words that vary between documents without changing what is counted
(全市, 数量, 总量 …), and a subject matches one that ends with it (国家科技型中小企业 and
科技型中小企业).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from duban.documents.models import with_source_cuts

from .models import Indicator, Target

_SCOPE = re.compile(r"^(全市|全省|全区|全县|我市|我省|年内|全年|累计|新增|净增|再增)+")
_COUNT_WORDS = re.compile(r"(的)?(数量|总数|总量|数目|数|规模)$")


def subject_key(subject: str | None) -> str:
    key = re.sub(r"\s+", "", subject or "")
    key = _SCOPE.sub("", key)
    key = _COUNT_WORDS.sub("", key)
    return key


def same_subject(a: str | None, b: str | None) -> bool:
    ka, kb = subject_key(a), subject_key(b)
    if len(ka) < 2 or len(kb) < 2:
        return False
    return ka == kb or ka.endswith(kb) or kb.endswith(ka)


def comparable(a: Indicator, b: Indicator) -> bool:
    return (
        a.year == b.year
        and a.measure == b.measure
        and a.unit == b.unit
        and same_subject(a.subject, b.subject)
    )


@dataclass(frozen=True)
class Conflict:
    mine: Indicator
    theirs: Indicator

    @property
    def message(self) -> str:
        return (
            f"{self.mine.subject}{self.mine.year or ''}年：本目标为 {self.mine.display_value}，"
            f"《{self.theirs.source_document}》为 {self.theirs.display_value}"
        )


@dataclass(frozen=True)
class Achievement:
    goal: Indicator
    actual: Indicator

    @property
    def ratio(self) -> Decimal | None:
        if not self.goal.value or self.goal.measure == Indicator.Measure.RANK:
            return None
        return self.actual.value / self.goal.value

    @property
    def met(self) -> bool:
        actual, goal = self.actual.value, self.goal.value
        comparator = self.goal.comparator
        if comparator == Indicator.Comparator.RANGE:
            return actual >= goal
        if self.goal.measure == Indicator.Measure.RANK or comparator in {"<=", "<"}:
            return actual <= goal
        if comparator == ">":
            return actual > goal
        return actual >= goal


def _candidates(targets_of: list[Indicator], kind: str):
    years = {i.year for i in targets_of}
    if not years:
        return Indicator.objects.none()
    # A document is joined for its name; its whole text would come along otherwise, once per
    # figure read.
    return with_source_cuts(
        Indicator.objects.filter(kind=kind, year__in=years)
        .select_related("source_document", "target")
        .defer("source_document__text", "target__search_text")
    )


def conflicts_for(target: Target, indicators=None) -> list[Conflict]:
    """Other documents' target figures for the same thing and year that differ from ours
    (`indicators`: the target's, if already at hand)."""
    indicators = target.indicators.all() if indicators is None else indicators
    mine = [i for i in indicators if i.kind == Indicator.Kind.TARGET]
    if not mine:  # nothing to compare (most targets): no query to build
        return []
    found = []
    others = _candidates(mine, Indicator.Kind.TARGET).exclude(target=target)
    for theirs in others:
        if theirs.source_document_id is None:
            continue
        for own in mine:
            if (
                own.source_document_id != theirs.source_document_id
                and comparable(own, theirs)
                and (own.value, own.value_max, own.comparator)
                != (theirs.value, theirs.value_max, theirs.comparator)
            ):
                found.append(Conflict(own, theirs))
    return found


def achievements_for(target: Target, indicators=None) -> list[Achievement]:
    """For each of the target's figures, the latest achievement reported for it: in the
    target's own reports first, else in any document's reported figures for that year
    (`indicators`: the target's, if already at hand)."""
    indicators = target.indicators.all() if indicators is None else indicators
    goals = [i for i in indicators if i.kind == Indicator.Kind.TARGET]
    if not goals:  # nothing to report on (most targets): no query to build
        return []
    actuals = list(
        _candidates(goals, Indicator.Kind.ACTUAL)
        .filter(Q(target=target) | Q(target__isnull=True))
        .order_by("-source_document__imported_at", "-id")
    )
    pairs = []
    for goal in goals:
        matching = [a for a in actuals if comparable(goal, a)]
        own = [a for a in matching if a.target_id == target.pk]
        best = (own or matching or [None])[0]
        if best is not None:
            pairs.append(Achievement(goal, best))
    return pairs
