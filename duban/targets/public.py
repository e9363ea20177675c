"""The public page: targets an office publishes (公开承诺事项), readable without signing in."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render

from .models import ProgressReport, Target

_ACCEPTED = ProgressReport.objects.filter(review_state=ProgressReport.Review.ACCEPTED).order_by(
    "-period", "-created_at"
)


def public_targets():
    return (
        Target.objects.filter(is_public=True)
        .with_lights()
        .select_related("lead_unit")
        .prefetch_related(Prefetch("reports", queryset=_ACCEPTED, to_attr="accepted_reports"))
    )


def public_list(request):
    page = Paginator(public_targets().order_by("-year", "id"), 50).get_page(request.GET.get("page"))
    return render(request, "targets/public_list.html", {"page": page})


def public_detail(request, pk):
    target = public_targets().filter(pk=pk).first()
    if target is None:
        raise Http404("没有找到这个公开事项")
    return render(request, "targets/public_detail.html", {"target": target})
