"""Traffic lights (红黄绿灯).

green  on track;
yellow due within N days (settings.DUBAN_DUE_SOON_DAYS, default 7), or assigned and not yet
       acknowledged by the unit;
red    overdue, or a report returned twice;
done   closed (办结), no longer watched.

`light_for` decides one target in Python; `TargetLight` decides the same in SQL so a list
can be filtered and counted by light. Tests hold the two to the same answers.
"""

import datetime

from django.conf import settings
from django.db import models


class Light(models.TextChoices):
    GREEN = "green", "绿灯（正常）"
    YELLOW = "yellow", "黄灯（临期或未签收）"
    RED = "red", "红灯（逾期或多次退回）"
    DONE = "done", "已办结"


RED_AFTER_RETURNS = 2


def due_soon_days() -> int:
    return settings.DUBAN_DUE_SOON_DAYS


def light_for(
    *,
    closed: bool,
    awaiting_acknowledgement: bool,
    deadline: datetime.date | None,
    return_count: int,
    today: datetime.date,
) -> str:
    if closed:
        return Light.DONE
    if return_count >= RED_AFTER_RETURNS or (deadline is not None and deadline < today):
        return Light.RED
    if awaiting_acknowledgement:
        return Light.YELLOW
    if deadline is not None and deadline <= today + datetime.timedelta(days=due_soon_days()):
        return Light.YELLOW
    return Light.GREEN


class TargetLight(models.Expression):
    """The SQL twin of `light_for` for a queryset of targets (their state, deadline and return
    count), `closed` and `awaiting` being the states closed and awaiting acknowledgement.

    One CASE written out rather than Django's Case and When: the light is in nearly every query
    of the list and the home pages, often in subqueries of subqueries (a split target's
    rolled-up light), and Django copies and relabels an expression's whole tree each time it
    nests one. Four Whens were some thirty nodes to copy; this is three columns."""

    output_field = models.CharField()
    COLUMNS = ("state", "deadline", "return_count")  # what the light is worked out from

    def __init__(self, today: datetime.date, closed: str, awaiting: str):
        super().__init__()
        self.today, self.closed, self.awaiting = today, str(closed), str(awaiting)
        self.soon = today + datetime.timedelta(days=due_soon_days())
        self.columns = [models.F(column) for column in self.COLUMNS]

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = list(exprs)

    def as_sql(self, compiler, connection):
        compiled = [compiler.compile(column) for column in self.columns]
        return self.case(connection, *compiled)

    def case(self, connection, *columns: tuple[str, list]) -> tuple[str, list]:
        """The CASE on the state, deadline and return count columns, each an (sql, params)."""
        (state, state_params), (deadline, deadline_params), (returns, returns_params) = columns
        day = connection.ops.adapt_datefield_value
        sql = (
            f"CASE WHEN {state} = %s THEN %s"
            f" WHEN ({deadline} < %s OR {returns} >= %s) THEN %s"
            f" WHEN {state} = %s THEN %s"
            f" WHEN {deadline} <= %s THEN %s"
            " ELSE %s END"
        )
        params = (
            [*state_params, self.closed, Light.DONE.value]
            + [*deadline_params, day(self.today), *returns_params, RED_AFTER_RETURNS]
            + [Light.RED.value]
            + [*state_params, self.awaiting, Light.YELLOW.value]
            + [*deadline_params, day(self.soon), Light.YELLOW.value]
            + [Light.GREEN.value]
        )
        return sql, params


# From the least to the most serious: a rolled-up light is the most serious of its parts.
SEVERITY = (Light.DONE, Light.GREEN, Light.YELLOW, Light.RED)


def worst_light(lights) -> str:
    """The most serious of `lights` (已办结 when there are none)."""
    return max(lights, key=SEVERITY.index, default=Light.DONE)


class RolledUpLight(models.Expression):
    """The SQL twin of `Target.rollup`'s light for a queryset of targets: the most serious of
    the target's own light (`own`, a `TargetLight`) and the lights of its split-off sub-targets
    (rows of `table` whose parent it is, marked `decomposed`). A target that was not split
    keeps its own light. One EXISTS per light, on the parent's index.

    Written out as SQL for the reason `TargetLight` is: built from Django's Case, When and
    Exists, each use was three subqueries to resolve and compile, and the list's filtered
    counts nest it in subqueries; building and compiling those was most of an uncached list
    page's time."""

    output_field = models.CharField()
    SUB = "rollup_sub"  # the sub-targets' alias, unlike any Django gives (T2, U0, V0 …)

    def __init__(self, own: TargetLight, table: str):
        super().__init__()
        self.own, self.table = own, table
        self.pk = models.F("pk")

    def get_source_expressions(self):
        return [self.own, self.pk]

    def set_source_expressions(self, exprs):
        self.own, self.pk = exprs

    def as_sql(self, compiler, connection):
        own, own_params = compiler.compile(self.own)
        pk, pk_params = compiler.compile(self.pk)
        q = connection.ops.quote_name
        sub = q(self.SUB)
        sub_light, sub_params = self.own.case(
            connection, *((f"{sub}.{q(column)}", []) for column in TargetLight.COLUMNS)
        )
        exists = (
            f"EXISTS(SELECT 1 FROM {q(self.table)} {sub}"
            f" WHERE {sub}.{q('parent_id')} = {pk} AND {sub}.{q('decomposed')}"
            f" AND {sub_light} = %s)"
        )
        whens, params = [], []
        for light in reversed(SEVERITY[1:]):  # the most serious first
            whens.append(f"WHEN ({own} = %s OR {exists}) THEN %s")
            params += [*own_params, light.value, *pk_params, *sub_params, light.value, light.value]
        return f"CASE {' '.join(whens)} ELSE %s END", [*params, Light.DONE.value]


def milestone_light(milestone, reports, today: datetime.date, *, closed: bool = False) -> str:
    """A milestone is done once its period's report is accepted; otherwise it is watched like
    a deadline, and a submitted report awaiting review keeps it green."""
    period_reports = [r for r in reports if r.period == milestone.period]
    if closed or any(r.review_state == "accepted" for r in period_reports):
        return Light.DONE
    if any(r.review_state == "submitted" for r in period_reports):
        return Light.GREEN
    return light_for(
        closed=False,
        awaiting_acknowledgement=False,
        deadline=milestone.due_date,
        return_count=0,
        today=today,
    )
