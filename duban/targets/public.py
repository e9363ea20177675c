"""The public page: targets an office publishes (公开承诺事项), readable without signing in."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render

from .models import ProgressReport, Target

_ACCEPTED = ProgressReport.objects.filter(review_state=ProgressReport.Review.ACCEPTED).order_by(
    "-period", "-created_at"
)

# The public's words for where a target stands: never the office's internal states
# (待审核, 待交办, 待签收), which mean nothing outside it.
PUBLIC_WORDING = {
    Target.State.REGISTERED: "筹备中",
    Target.State.APPROVED: "筹备中",
    Target.State.ASSIGNED: "筹备中",
    Target.State.IN_PROGRESS: "推进中",
    Target.State.CLOSED: "已完成",
}


def public_status(target: Target) -> str:
    return PUBLIC_WORDING.get(target.state, "推进中")


def public_targets():
    """What the office published (an explicit step; importing a commitment list publishes
    nothing), with the progress the office accepted."""
    targets = (
        Target.objects.filter(published_at__isnull=False)
        .select_related("lead_unit")
        .prefetch_related(Prefetch("reports", queryset=_ACCEPTED, to_attr="accepted_reports"))
    )
    return targets


def public_list(request):
    page = Paginator(public_targets().order_by("-year", "id"), 50).get_page(request.GET.get("page"))
    for target in page.object_list:
        target.public_status = public_status(target)
    return render(request, "targets/public_list.html", {"page": page})


def public_detail(request, pk):
    target = public_targets().filter(pk=pk).first()
    if target is None:
        raise Http404("没有找到这个公开事项")
    target.public_status = public_status(target)
    return render(request, "targets/public_detail.html", {"target": target})
