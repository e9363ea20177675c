from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from duban.audit.changes import fragments
from duban.organisations.models import Person, is_office_staff, person_of
from duban.web import jinja
from duban.web.fragments import for_visitor, render_shared, served_part
from duban.web.templatetags.duban import light_badge

from .forms import TargetFilterForm
from .lights import Light, due_soon_days
from .models import LIGHT_SEVERITY, Target
from .page import target_page
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
        "filters_html": jinja.render(
            "targets/_list_filters.html",
            {"form": form, "this_year": timezone.localdate().year},
        ),
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
        key, lambda: target_page(request.user, scope, pk, today), share=served_part
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
