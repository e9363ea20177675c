"""报送轮次: the office's round pages — the periods, one period's units and targets due with
who has answered, the units' fill-in forms, and sending them (office staff only)."""

import functools
import io
import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET, require_POST

from duban.organisations.models import Organisation
from duban.reports.ledgers.export import FORMATS

from . import permissions, rounds
from .models import ReportingRound
from .round_forms import OpenRoundForm, SendRoundForm


def office_only(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.can_supervise(request.user):
            raise PermissionDenied("只有督查员可以管理报送轮次")
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def _period_or_400(request, value):
    try:
        return rounds.parse_round_period(value), None
    except rounds.RoundError as exc:
        page = render(
            request,
            "supervision/refused.html",
            {"title": "期次有误", "message": str(exc)},
            status=400,
        )
        return None, page


@office_only
def round_list(request):
    today = timezone.localdate()
    form = OpenRoundForm(request.POST or None, today=today)
    if request.method == "POST":
        if form.is_valid():
            period = form.cleaned_data["period"]
            found, created = rounds.open_round(
                period,
                deadline=form.cleaned_data["deadline"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
            word = "已发起" if created else "已打开"
            messages.success(
                request, f"{word}{found}，报送截止日期 {rounds.date_text(found.deadline)}"
            )
            return redirect(found)
        status = 400
    else:
        status = 200
    return render(
        request,
        "supervision/rounds.html",
        {"form": form, "rounds": ReportingRound.objects.all()},
        status=status,
    )


def ledger_links(period) -> dict[str, str]:
    """The period's merged progress ledger (the existing export), as .xlsx and .docx."""
    base = reverse("reports:ledger-export")
    query = {"layout": "progress", "period": str(period), "year": period.year}
    return {fmt: f"{base}?{urlencode({**query, 'format': fmt})}" for fmt in FORMATS}


@office_only
@require_GET
def round_detail(request, period):
    period, refused = _period_or_400(request, period)
    if refused:
        return refused
    found = ReportingRound.objects.filter(period=str(period)).first()
    units = rounds.round_status(period)
    totals = {
        name: sum(getattr(u, name) for u in units)
        for name in ("due", "answered", "unanswered", "returned")
    }
    context = {
        "period": period,
        "round": found,
        "units": units,
        "totals": totals,
        "ledger": ledger_links(period),
        "open_form": None if found else OpenRoundForm(initial={"period": str(period)}),
        "formats": list(FORMATS),
    }
    return render(request, "supervision/round.html", context)


def download_response(content, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Length"] = str(len(content))
    response["Cache-Control"] = "private, no-store"
    return response


@office_only
@require_GET
def unit_form(request, period, unit, fmt):
    period, refused = _period_or_400(request, period)
    if refused:
        return refused
    unit = get_object_or_404(Organisation, pk=unit)
    if fmt not in FORMATS:
        raise Http404("没有这种文件格式")
    result = rounds.unit_form(period, unit, fmt)
    if result is None:
        raise Http404(f"{unit}本期没有应报送的目标任务")
    return download_response(result.content, result.filename, result.content_type)


@office_only
@require_GET
def all_forms(request, period, fmt):
    """Every unit's own form in one .zip: each unit is sent exactly its rows, its name in the
    title and the contact line, and a returned file names its unit."""
    period, refused = _period_or_400(request, period)
    if refused:
        return refused
    if fmt not in FORMATS:
        raise Http404("没有这种文件格式")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for status in rounds.round_status(period):
            result = rounds.unit_form(period, status.unit, fmt)
            package.writestr(result.filename, result.content)
    filename = f"{period.label}各单位填报表（{fmt}）.zip"
    return download_response(out.getvalue(), filename, "application/zip")


@office_only
@require_POST
def send(request, period):
    period, refused = _period_or_400(request, period)
    if refused:
        return refused
    found = ReportingRound.objects.filter(period=str(period)).first()
    if found is None:
        raise Http404("本期尚未发起报送")
    form = SendRoundForm(request.POST)
    if not form.is_valid():
        message = "；".join(e for errors in form.errors.values() for e in errors)
        return render(
            request,
            "supervision/refused.html",
            {"title": "无法发送", "message": message},
            status=400,
        )
    unit = form.cleaned_data["unit"]
    results = rounds.send_round(
        found, [unit] if unit else None, request.user, force=form.cleaned_data["resend"]
    )
    for result in results:
        failed = result.error or result.outcome in (rounds.NOBODY, rounds.NOTHING_DUE)
        (messages.warning if failed else messages.success)(request, result.line())
    if not results:
        messages.info(request, "本期没有应报送的目标任务，未发送")
    return redirect(found)
