"""The pages of replies by file: upload a filled-in form, preview what each row will do,
confirm or discard. A draft belongs to whoever uploaded it; anyone else gets a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from duban.organisations.models import is_office_staff
from duban.reports.ledgers.export import FORMATS
from duban.targets.periods import Period

from . import permissions, replies, rounds
from .models import ReplyDraft, ReportingRound
from .reply_forms import ReplyUploadForm
from .round_views import download_response
from .views import loop_step


def _require_reporter(user):
    if not (is_office_staff(user) or permissions.unit_of(user) is not None):
        raise PermissionDenied("只有填报单位或督查员可以上传报送表")


def _own_draft(request, pk) -> ReplyDraft:
    _require_reporter(request.user)
    draft = (
        ReplyDraft.objects.select_related("unit").filter(pk=pk, uploaded_by=request.user).first()
    )
    if draft is None:
        raise Http404("没有找到这份报送表，或它不是您上传的")
    return draft


@loop_step
def upload(request):
    _require_reporter(request.user)
    initial = {k: request.GET[k] for k in ("unit", "period") if request.GET.get(k)}
    form = ReplyUploadForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    status = 200
    if request.method == "POST":
        draft = form.save() if form.is_valid() else None
        if draft is not None:
            return redirect("supervision:reply_preview", draft.pk)
        status = 400
    pending = ReplyDraft.objects.filter(
        uploaded_by=request.user, status=ReplyDraft.Status.PENDING
    ).select_related("unit")
    return render(
        request,
        "supervision/reply_upload.html",
        {
            "form": form,
            "pending": pending,
            "own_unit": form.own_unit,
            "own_forms": _own_forms(form.own_unit),
            "formats": list(FORMATS),
        },
        status=status,
    )


def _own_forms(unit) -> list[ReportingRound]:
    """The rounds whose form the unit may fetch here: those with targets due from it."""
    if unit is None:
        return []
    return [
        found
        for found in ReportingRound.objects.order_by("-period")[:4]
        if rounds.due_targets(found.parsed_period).filter(lead_unit=unit).exists()
    ]


@loop_step
@require_GET
def own_form(request, period, fmt):
    """A unit's own fill-in form for a round, so a unit that lost the notice's attachment
    needs nobody to send it again."""
    unit = permissions.unit_of(request.user)
    if unit is None:
        raise PermissionDenied("只有填报单位可以下载本单位的填报表")
    found = ReportingRound.objects.filter(period=period).first()
    if found is None or fmt not in FORMATS:
        raise Http404("没有这一期的报送，或没有这种文件格式")
    result = rounds.unit_form(found.parsed_period, unit, fmt)
    if result is None:
        raise Http404(f"{unit}本期没有应报送的目标任务")
    return download_response(result.content, result.filename, result.content_type)


@loop_step
def preview(request, pk):
    draft = _own_draft(request, pk)
    plan = None
    if draft.is_pending:
        plan = replies.plan_reply(
            request.user, draft.unit, Period.parse(draft.period), draft.result
        )
    return render(
        request,
        "supervision/reply_preview.html",
        {"draft": draft, "plan": plan, "period_label": Period.parse(draft.period).label},
    )


@require_POST
@loop_step
def confirm(request, pk):
    draft = _own_draft(request, pk)
    done = replies.confirm(request.user, draft.pk)
    if done is None:
        messages.info(request, f"这份报送表{draft.get_status_display()}，未做任何改动")
        return redirect("supervision:reply_preview", draft.pk)
    plan = done.plan
    messages.success(request, f"{draft.unit}{plan.period.label}：{plan.summary()}")
    if plan.replacing:
        names = "；".join(str(r.target) for r in plan.replacing)
        messages.info(request, f"以下目标此前待审核的报送已被本次上传替换：{names}")
    if plan.kept:
        names = "；".join(str(r.target) for r in plan.kept)
        messages.warning(request, f"以下目标本期报送已审核通过，未覆盖：{names}")
    return redirect("supervision:reply_preview", draft.pk)


@require_POST
@loop_step
def discard(request, pk):
    draft = _own_draft(request, pk)
    if replies.discard(draft):
        messages.success(request, f"已放弃“{draft.name}”，上传的文件已删除")
    else:
        messages.info(request, f"这份报送表{draft.get_status_display()}，无需放弃")
    return redirect("supervision:reply_upload")
