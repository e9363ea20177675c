import contextlib

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode

from duban.audit.changes import current_stamp, derived
from duban.organisations.models import Person, is_office_staff, person_of
from duban.targets.models import SourceCategory, Target
from duban.targets.periods import Period
from duban.web.fragments import served_part

from . import bulletin, dashboard, exports, scoring, tables
from .common import FilterError, grace_days, last_ended_quarter, parse_period, parse_sources


def can_see_scores(user) -> bool:
    """Office staff and leaders in charge read the units' ranking."""
    if is_office_staff(user):
        return True
    person = person_of(user)
    return person is not None and person.is_active and person.role == Person.Role.LEADER


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _with_period(name: str, period) -> str:
    return f"{reverse(name)}?{urlencode({'period': str(period)})}"


def _error(request, template, message, context=None):
    return render(request, template, {"error": message, **(context or {})}, status=400)


def _period(request, today):
    return parse_period(request.GET.get("period"), default=last_ended_quarter(today))


def _nav(request, current: str = ""):
    return {
        "can_see_scores": can_see_scores(request.user),
        "period_options": period_options(request.user, current),
    }


def period_options(user, current: str = "") -> list[tuple[str, str]]:
    """The periods to choose from: quarters, halves and whole years of the years with targets."""
    years = set(
        Target.objects.visible_to(user).order_by().values_list("year", flat=True).distinct()
    )
    years.add(timezone.localdate().year)
    options = []
    for year in sorted(years, reverse=True):
        for period in (
            [Period(year, "Q", q) for q in (4, 3, 2, 1)]
            + [Period(year, "H", h) for h in (2, 1)]
            + [Period(year, "Y", 1)]
        ):
            options.append((str(period), period.label))
    if current and current not in {value for value, _label in options}:
        with contextlib.suppress(ValueError):
            options.insert(0, (current, Period.parse(current).label))
    return options


def _bulletin_query(period, sources) -> str:
    return urlencode({"period": str(period), "source": sources}, doseq=True)


def _bulletin_context(request, sources=()):
    return {
        **_nav(request, request.GET.get("period", "")),
        "source_options": SourceCategory.choices,
        "sources": list(sources),
    }


@login_required
def bulletin_page(request):
    today = timezone.localdate()
    try:
        period = _period(request, today)
        sources = parse_sources(request.GET.getlist("source"))
    except FilterError as exc:
        return _error(request, "reports/bulletin.html", str(exc), _bulletin_context(request))
    report = bulletin.build(request.user, period, today, sources=sources)
    return render(
        request,
        "reports/bulletin.html",
        {
            "b": report,
            "period_value": str(period),
            "download_url": (
                f"{reverse('reports:bulletin_docx')}?{_bulletin_query(period, sources)}"
            ),
            "grace_days": grace_days(),
            **_bulletin_context(request, sources),
            **_nav(request, str(period)),
        },
    )


@login_required
def bulletin_docx(request):
    today = timezone.localdate()
    try:
        period = _period(request, today)
        sources = parse_sources(request.GET.getlist("source"))
    except FilterError as exc:
        return render(
            request,
            "error.html",
            {"title": "请求有误", "message": str(exc), "status": 400},
            status=400,
        )
    report = bulletin.build(request.user, period, today, sources=sources)
    return _download(
        exports.bulletin_docx(report), exports.DOCX_TYPE, f"{period.label}情况通报.docx"
    )


@login_required
def dashboard_page(request):
    today = timezone.localdate()
    targets = Target.objects.visible_to(request.user)
    scope = Target.objects.visibility_key(request.user)
    stamp = current_stamp()
    years = derived.get_or_compute(
        ("dashboard-years", scope), lambda: dashboard.target_years(targets), stamp
    )
    try:
        filters = dashboard.parse_filters(request.GET, years, today)
    except FilterError as exc:
        # The form again with the default year, to choose from.
        defaults = dashboard.parse_filters({}, years, today)
        return _error(
            request,
            "reports/dashboard.html",
            str(exc),
            {"f": defaults, "can_see_scores": can_see_scores(request.user)},
        )
    progress_page = request.GET.get("progress_page")
    sees_scores = can_see_scores(request.user)

    def figures():
        board = dashboard.build(
            targets, filters, today, progress_page, sees_all=is_office_staff(request.user)
        )
        context = {
            "d": board,
            "f": filters,
            "charts": board.chart_data(),
            "tables": tables.render_all(board),
            "filter_query": urlencode(
                {
                    "year": filters.year,
                    **({"period": str(filters.period)} if filters.period else {}),
                }
            ),
            "unit_chart_height": max(260, 26 * len(board.by_unit) + 80),
            "leader_chart_height": max(260, 26 * len(board.by_leader) + 80),
            "can_see_scores": sees_scores,
        }
        # Nothing in it is the visitor's own (no form posts, no name): rendered once.
        context["content"] = render_to_string("reports/_dashboard_content.html", context)
        return context

    # The same figures and page for everyone who sees the same targets, until the next change.
    key = (
        "dashboard",
        scope,
        sees_scores,
        str(filters.year),
        str(filters.period),
        progress_page,
        today,
    )
    context = derived.get_or_compute(key, figures, stamp, share=served_part)
    return render(request, "reports/dashboard.html", context)


def _ranking(request):
    if not can_see_scores(request.user):
        raise PermissionDenied("只有督查员和分管领导可以查看考评排名")
    today = timezone.localdate()
    period = _period(request, today)
    return scoring.ranking(period, today)


@login_required
def scores_page(request):
    try:
        ranking = _ranking(request)
    except FilterError as exc:
        return _error(request, "reports/scores.html", str(exc), _nav(request))
    return render(
        request,
        "reports/scores.html",
        {
            "r": ranking,
            "rules": scoring.RULES,
            "period_value": str(ranking.period),
            "download_url": _with_period("reports:scores_xlsx", ranking.period),
            **_nav(request, str(ranking.period)),
        },
    )


@login_required
def scores_xlsx(request):
    try:
        ranking = _ranking(request)
    except FilterError as exc:
        return render(
            request,
            "error.html",
            {"title": "请求有误", "message": str(exc), "status": 400},
            status=400,
        )
    return _download(
        exports.ranking_xlsx(ranking),
        exports.XLSX_TYPE,
        f"{ranking.period.label}单位考评排名.xlsx",
    )
