"""What a target page shows: the target, its rows and trail, the steps its visitor may take,
and the page's content rendered (`target_page`), read in as few and as cheap queries as the
target allows. The view (`views.target_detail`) caches the result per change."""

import functools

from django.db.models import Exists, OuterRef

from duban.audit.models import AuditEvent
from duban.documents.models import with_source_cuts
from duban.organisations.models import Organisation
from duban.queries import CompiledQuery
from duban.supervision import permissions
from duban.supervision.extension_views import target_context as extension_context
from duban.supervision.models import Contribution, DeadlineExtension, Instruction
from duban.web.fragments import render_shared

from .comparisons import achievements_for, conflicts_for
from .lights import milestone_light
from .models import ROLLUP_RULE, Evidence, Indicator, Milestone, ProgressReport, Target
from .periods import Period


@functools.cache
def _related_rows() -> dict:
    """Which of its related rows a target has, as a subquery each: most targets have none of
    some, and the page then need not ask for those (the parts it would show are empty)."""
    target = OuterRef("pk")
    return {
        "children": Target.objects.filter(parent=target),
        "linked": Target.linked.through.objects.filter(from_target=target),
        "co_units": Target.co_units.through.objects.filter(target=target),
        "milestones": Milestone.objects.filter(target=target),
        "reports": ProgressReport.objects.filter(target=target),
        "contributions": Contribution.objects.filter(target=target),
        "extensions": DeadlineExtension.objects.filter(target=target),
        "instructions": Instruction.objects.filter(target=target),
        "indicators": Indicator.objects.filter(target=target),
        "report_evidence": Evidence.objects.filter(report__target=target),
        "closing_evidence": Evidence.objects.filter(target=target, report__isnull=True),
        "carried_to": Target.objects.filter(carried_from=target),
    }


# The queries of a target page, by the target's id: most visits to a target page are its first
# since the last change, and building these queries was a quarter of such a visit's CPU. Each
# is compiled once (`CompiledQuery`). The target joins all it links to and has the database cut
# its excerpt, whether or not it has them (LEFT JOINs, and NULL cuts when not), and says which
# related rows it has (`has_<name>`).
_target_by_id = CompiledQuery(
    lambda pk: (
        with_source_cuts(Target.objects.filter(pk=pk), excerpt=True)
        .defer("source_document__text")
        .select_related("lead_unit", "leader", "source_document", "parent")
        .annotate(**{f"has_{name}": Exists(rows) for name, rows in _related_rows().items()})
        .order_by()
    )
)
_co_units_of = CompiledQuery(lambda pk: Organisation.objects.filter(co_targets=pk))
_milestones_of = CompiledQuery(lambda pk: Milestone.objects.filter(target=pk))
_indicators_of = CompiledQuery(lambda pk: with_source_cuts(Indicator.objects.filter(target=pk)))
_reports_of = CompiledQuery(
    lambda pk: (
        ProgressReport.objects.filter(target=pk)
        .select_related("unit", "submitted_by")
        .order_by("-period", "-created_at")
    )
)
_report_evidence_of = CompiledQuery(lambda pk: Evidence.objects.filter(report__target=pk))
_timeline_of = CompiledQuery(
    lambda pk: AuditEvent.objects.for_target(pk).select_related(
        "object_type", "actor__person__organisation"
    )
)


def _of_target(rows: list, target) -> list:
    """`rows` read by the target's id, told their target as its related manager would."""
    for row in rows:
        row.target = target
    return rows


def target_page(user, scope, pk, today) -> dict | None:
    """The target page's context and its rendered content, or None if `user` (who sees the
    targets `scope` names, `visibility_key`) may not see it."""
    found = _target_by_id(pk) if scope != ("none",) else []
    if not found:
        return None
    target = found[0]
    has = {name: getattr(target, f"has_{name}") for name in _related_rows()}
    co_units = _co_units_of(pk) if has["co_units"] else []
    # Whether the user may see it, decided on what was read (`Target.is_in`, held by the tests
    # to the same answers as `visible_to`) rather than in one more query.
    if not target.is_in(scope, {unit.pk for unit in co_units}):
        return None
    # Its light worked out here rather than in SQL (`light_for`, which tests hold to the same
    # answers as `with_lights`): one target, and the query is simpler to build.
    target.light = Target.light(target, today)
    # Its rows, each in a plain query of its own, and none for what it has none of: Django's
    # prefetching of the same rows took a third of a first visit's time in building queries.
    reports = _reports(target, has["report_evidence"]) if has["reports"] else []
    indicators = _of_target(_indicators_of(pk), target) if has["indicators"] else []
    milestones = [
        (m, milestone_light(m, reports, today, closed=target.state == Target.State.CLOSED))
        for m in (_of_target(_milestones_of(pk), target) if has["milestones"] else ())
    ]
    current = Period.quarter_of(today)
    parent_visible = target.parent_id is not None and permissions.can_view(user, target.parent)
    context = {
        "target": target,
        "title": str(target),
        "excerpt": target.source_excerpt(),
        "children": (
            target.children.visible_to(user).with_lights(today) if has["children"] else []
        ),
        "linked": (
            target.linked.visible_to(user)
            .select_related("source_document")
            .defer("source_document__text", "search_text")
            if has["linked"]
            else []
        ),
        "timeline": _timeline_of(pk),
        "reports": reports,
        "indicators": indicators,
        "co_units": co_units,
        "conflicts": conflicts_for(target, indicators),
        "achievements": achievements_for(target, indicators),
        "today": today,
        "milestones": milestones,
        "can": available_steps(user, target, co_units=co_units, has=has),
        "contributions": (
            target.contributions.select_related("unit") if has["contributions"] else []
        ),
        "current_period": str(current),
        "current_period_label": current.label,
        **extension_context(
            user,
            target,
            has_extensions=has["extensions"],
            has_instructions=has["instructions"],
        ),
        "rollup": target.rollup(today) if has["children"] else None,
        "rollup_rule": ROLLUP_RULE,
        "parent_visible": parent_visible,
        "closing_evidence": (
            target.evidence_files.filter(report__isnull=True) if has["closing_evidence"] else []
        ),
    }
    # The action panel and the extension requests stay Django templates (small, no long loops).
    context["actions_html"] = render_shared("supervision/_actions.html", context)
    context["extensions_html"] = render_shared("supervision/_extensions.html", context)
    context["content"] = render_shared("targets/_detail_content.html", context, using="jinja2")
    return context


def _reports(target, with_evidence: bool) -> list:
    """The target's progress reports, latest first, each with its evidence files in `files`."""
    reports = _of_target(_reports_of(target.pk), target)
    files = {report.pk: [] for report in reports}
    if with_evidence:
        for evidence in _report_evidence_of(target.pk):
            files[evidence.report_id].append(evidence)
    for report in reports:
        report.files = files[report.pk]
    return reports


def available_steps(user, target, *, co_units=None, has=None) -> dict:
    """The steps of the loop this user may take on this target now, for the action panel.
    `co_units` and `has` (which related rows it has, `_related_rows`): what the caller has
    already read of it."""
    office = permissions.can_supervise(user, target)
    state = target.state
    State = Target.State
    can = {
        "approve": office and state == State.REGISTERED,
        "assign": office and state in {State.APPROVED, State.ASSIGNED},
        "acknowledge": permissions.can_acknowledge(user, target),
        "report": permissions.can_report(user, target),
        "contribute": permissions.can_contribute(user, target, co_units),
        "close": office and state == State.IN_PROGRESS,
        "carry_over": office
        and target.is_ongoing
        and state in {State.ASSIGNED, State.IN_PROGRESS}
        and not (has["carried_to"] if has else target.carried_to.exists()),
        "chase": office and state in {State.ASSIGNED, State.IN_PROGRESS},
        "split": office and state in {State.APPROVED, State.ASSIGNED, State.IN_PROGRESS},
        "publish": office and target.is_public and target.published_at is None,
        "unpublish": office and target.published_at is not None,
    }
    can["any"] = any(v for k, v in can.items() if k not in {"publish", "unpublish"})
    can["review"] = office
    return can
