import functools

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from duban.audit.changes import fragments
from duban.audit.models import AuditEvent
from duban.documents.models import with_source_cuts
from duban.organisations.models import Organisation, Person, is_office_staff, person_of
from duban.queries import MAX_ID, CompiledQuery
from duban.supervision import permissions
from duban.supervision.extension_views import target_context as extension_context
from duban.supervision.models import Contribution, DeadlineExtension, Instruction
from duban.web import jinja
from duban.web.fragments import for_visitor, render_shared, served_part
from duban.web.templatetags.duban import light_badge

from .comparisons import achievements_for, conflicts_for
from .forms import TargetFilterForm
from .lights import Light, due_soon_days, milestone_light
from .models import (
    LIGHT_SEVERITY,
    ROLLUP_RULE,
    Evidence,
    Indicator,
    Milestone,
    ProgressReport,
    Target,
)
from .periods import Period
from .rows import sub_rows, target_rows


class _CountedPaginator(Paginator):
    """A paginator told the total, which the light counts have already summed."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count


def _top_level(visible, scope):
    """The list's rows: root targets, and, for someone who sees only part of a tree, the
    sub-targets whose parent they cannot see."""
    if scope[0] == "all":
        return visible.roots()
    return visible.filter(Q(parent__isnull=True) | ~Q(parent__in=visible.values("pk")))


@login_required
def target_list(request):
    """The ledger of root targets, each with its sub-targets indented under it. Filters and
    counts are of rows: a root that meets the filter, or one with a sub-target that does.

    A page of the ledger is the same for everyone who sees the same targets (and, for the tick
    boxes, is or is not office staff) and changes only with the data and the day: it is worked
    out and rendered once per change (the change stamp of `duban.audit.changes`), all but the
    frame around it (the menu, the visitor's name)."""
    scope = Target.objects.visibility_key(request.user)
    key = (
        "target-list",
        scope,
        is_office_staff(request.user),
        request.get_full_path(),  # the page's query, and the bulk form's way back to it
        timezone.localdate(),
        due_soon_days(),
    )
    ledger = fragments.get_or_compute(key, lambda: _ledger(request, scope), share=served_part)
    return render(
        request,
        "targets/target_list.html",
        {**ledger, "content": for_visitor(ledger["content"], request)},
        status=ledger["status"],
    )


def _ledger(request, scope) -> dict:
    """The list page's filters, counts, page of rows, and their rendered HTML."""
    visible = Target.objects.visible_to(request.user)
    form = TargetFilterForm(request.GET or None, targets=visible, scope=scope)
    targets = _top_level(visible, scope).with_lights()
    matching = None
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
        targets = targets.none()
    elif form.active:
        matching = form.apply(visible.with_lights())
        # One list of ids (the rows that match, and the parents of sub-targets that match),
        # which the database joins on, rather than an OR of the two that it tests row by row.
        matching_rows = (
            matching.order_by()
            .values("pk")
            .union(matching.filter(parent__isnull=False).order_by().values("parent_id"), all=True)
        )
        targets = targets.filter(pk__in=matching_rows)
    # Counted as the rows show them: a split target by its rolled-up light.
    light_counts = dict(
        targets.with_rolled_up_lights()
        .order_by()
        .values_list("rolled_up_light")
        .annotate(n=Count("id"))
        .values_list("rolled_up_light", "n")
    )
    total = sum(light_counts.values())
    paginator = _CountedPaginator(targets, settings.DUBAN_PAGE_SIZE, total)
    page = paginator.get_page(request.GET.get("page"))
    rows = target_rows(page.object_list, co_units=True)
    page_ids = [row["pk"] for row in rows]
    # Most pages have no sub-targets at all: one probe then spares the three queries below.
    children, rollups = {}, {}
    if page_ids and Target.objects.filter(parent_id__in=page_ids).exists():
        matched = (
            matching.filter(parent_id__in=page_ids).values_list("pk", flat=True)
            if matching is not None
            else ()
        )
        children = sub_rows(visible.with_lights().filter(parent_id__in=page_ids), matching=matched)
        rollups = rollup_rows(page_ids, {row["pk"]: row["light"] for row in rows})
    for row in rows:
        row["children"] = children.get(row["pk"], [])
        row["rollup"] = rollups.get(row["pk"])
    query = request.GET.copy()
    query.pop("page", None)
    ledger = {
        "status": status,
        "form": form,
        "filters_html": render_to_string("targets/_list_filters.html", {"form": form}),
        "page": page,
        "rows": rows,
        "rows_html": jinja.render(
            "targets/_list_rows.html",
            {"rows": rows, "is_office_staff": is_office_staff(request.user)},
        ),
        "light_counts": [(light, light_counts.get(light.value, 0)) for light in Light],
        "total": total,
        "query": query.urlencode(),
    }
    ledger["content"] = render_shared(
        "targets/_list_content.html",
        {
            **ledger,
            "is_office_staff": is_office_staff(request.user),
            "full_path": request.get_full_path(),
        },
    )
    return ledger


def rollup_rows(parent_ids, own_lights: dict) -> dict:
    """The split sub-targets of each parent on the page summed up as the target page does
    (ROLLUP_RULE): closed of total, and the worst light. Counts only, so a unit that leads the
    parent learns no other unit's sub-target from them."""
    found: dict[int, dict] = {}
    subs = Target.objects.filter(parent_id__in=parent_ids, decomposed=True).with_lights()
    for parent_id, light in subs.values_list("parent_id", "light"):
        entry = found.setdefault(parent_id, {"total": 0, "closed": 0, "lights": []})
        entry["total"] += 1
        entry["closed"] += light == Light.DONE
        entry["lights"].append(light)
    for parent_id, entry in found.items():
        lights = [own_lights.get(parent_id, Light.GREEN), *entry.pop("lights")]
        entry["badge"] = light_badge(max(lights, key=LIGHT_SEVERITY.index))
    return found


def _standing(user) -> tuple:
    """All that a target page depends on about who opens it, besides the targets they see:
    whether they are office staff, the unit they report for, the leader they are."""
    person = person_of(user)
    active = person is not None and person.is_active
    return (
        is_office_staff(user),
        person.organisation_id if active and person.role == Person.Role.UNIT else None,
        person.pk if active and person.role == Person.Role.LEADER else None,
    )


@login_required
def target_detail(request, pk):
    """A target page is the same for everyone who sees the same targets and stands alike to
    the target (`_standing`), and changes only with the data and the day: it is worked out and
    rendered once per change (the change stamp of `duban.audit.changes`), forms and all."""
    today = timezone.localdate()
    scope = Target.objects.visibility_key(request.user)
    key = ("target-page", pk, scope, _standing(request.user), today, due_soon_days())
    page = fragments.get_or_compute(
        key, lambda: _target_page(request.user, scope, pk, today), share=served_part
    )
    if page is None:
        # The same answer whether the target does not exist or belongs to another unit,
        # so ids cannot be probed.
        raise Http404("没有找到这个目标任务，或您无权查看")
    return render(
        request,
        "targets/target_detail.html",
        {**page, "content": for_visitor(page["content"], request)},
    )


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


def _target_page(user, scope, pk, today) -> dict | None:
    """The target page's context and its rendered content, or None if `user` (who sees the
    targets `scope` names, `visibility_key`) may not see it."""
    found = _target_by_id(pk) if scope != ("none",) and 0 < pk <= MAX_ID else []
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
