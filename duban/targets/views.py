from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from duban.audit.models import AuditEvent

from .comparisons import achievements_for, conflicts_for
from .forms import TargetFilterForm
from .lights import Light
from .models import ProgressReport, Target


@login_required
def target_list(request):
    visible = Target.objects.visible_to(request.user)
    form = TargetFilterForm(request.GET or None, targets=visible)
    targets = visible.with_lights()
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
        targets = targets.none()
    elif form.is_bound:
        targets = form.apply(targets)
    light_counts = dict(
        targets.order_by().values_list("light").annotate(n=Count("id")).values_list("light", "n")
    )
    targets = targets.select_related("lead_unit", "leader").prefetch_related("co_units")
    page = Paginator(targets, settings.DUBAN_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "targets/target_list.html",
        {
            "form": form,
            "page": page,
            "light_counts": [(light, light_counts.get(light.value, 0)) for light in Light],
            "total": page.paginator.count,
            "query": query.urlencode(),
        },
        status=status,
    )


@login_required
def target_detail(request, pk):
    target = (
        Target.objects.visible_to(request.user)
        .with_lights()
        .select_related("lead_unit", "leader", "source_document", "parent")
        .prefetch_related(
            "co_units",
            "milestones",
            "indicators",
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.select_related("unit", "submitted_by")
                .prefetch_related("evidence")
                .order_by("-period", "-created_at"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if target is None:
        # The same answer whether the target does not exist or belongs to another unit,
        # so ids cannot be probed.
        raise Http404("没有找到这个目标任务，或您无权查看")
    timeline = AuditEvent.objects.for_target(target.pk).select_related("object_type")
    return render(
        request,
        "targets/target_detail.html",
        {
            "target": target,
            "excerpt": target.source_excerpt(),
            "children": target.children.visible_to(request.user).with_lights(),
            "timeline": timeline,
            "conflicts": conflicts_for(target),
            "achievements": achievements_for(target),
            "today": timezone.localdate(),
        },
    )
