"""Download a ledger of the target list as filtered: the same filters and the same visibility
(office staff and leaders see what the list shows them, a unit only its own targets)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from duban.organisations.models import person_of
from duban.targets.forms import TargetFilterForm
from duban.targets.models import Target

from .export import Contact, LedgerError, export_ledger
from .forms import LedgerOptionsForm


@login_required
@require_GET
def export(request):
    visible = Target.objects.visible_to(request.user)
    filters = TargetFilterForm(request.GET, targets=visible)
    options = LedgerOptionsForm(request.GET)
    filters_ok, options_ok = filters.is_valid(), options.is_valid()
    if not (filters_ok and options_ok):
        errors = [
            f"{field.label}：{error}"
            for form in (filters, options)
            for field in form
            for error in field.errors
        ]
        return _refused(request, errors)
    targets = filters.apply(visible.with_lights())
    person = person_of(request.user)
    contact = (
        Contact(person.name, person.phone) if person else Contact(request.user.get_full_name())
    )
    try:
        result = export_ledger(
            targets,
            options.cleaned_data["layout"],
            options.cleaned_data["format"],
            year=filters.cleaned_data.get("year"),
            period=options.cleaned_data["period"],
            contact=contact,
        )
    except LedgerError as exc:
        return _refused(request, [str(exc)])
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = content_disposition_header(True, result.filename)
    response["Content-Length"] = str(len(result.content))
    response["Cache-Control"] = "private, no-store"
    return response


def _refused(request, errors):
    back = request.GET.copy()
    for name in ("layout", "format", "period"):
        back.pop(name, None)
    return render(
        request,
        "reports/ledgers_refused.html",
        {"errors": errors, "back": back.urlencode()},
        status=400,
    )
