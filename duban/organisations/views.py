"""The units-and-people page (单位和人员) for office staff: the unit tree with each unit's
reporters and leaders, search, the roster template, import with a preview, export, and
adding a reporter to a unit that has none. Anyone else gets a 403."""

import functools
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_GET, require_POST

from . import roster
from .models import Organisation, Person, is_office_staff, normalise_name

_PAYLOAD_SALT = "duban.organisations.roster"
_PAYLOAD_MAX_AGE = 60 * 60 * 6
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# A person's account page, where office staff invite them (by e-mail or a printable link) and
# disable or enable their account (duban.accounts, the first half of issue 13). Linked from each
# person when it exists; the first of these names that does is used.
ACCOUNT_URL_NAMES = ("accounts:person", "people-invite")


def office_only(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_office_staff(request.user):
            raise PermissionDenied("只有督查员可以管理单位和人员")
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def invite_url(person_pk: int) -> str | None:
    """The page where this person is invited and their account managed, None without one."""
    for name in ACCOUNT_URL_NAMES:
        try:
            return reverse(name, args=[person_pk])
        except NoReverseMatch:
            continue
    return None


def _download(content: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    response["Content-Length"] = str(len(content))
    response["Cache-Control"] = "private, no-store"
    return response


# --- the page ----------------------------------------------------------------------------


@office_only
@require_GET
def unit_list(request):
    query = (request.GET.get("q") or "").strip()
    orgs = list(Organisation.objects.select_related("parent"))
    people_of: dict[int, list[Person]] = {}
    for person in Person.objects.filter(organisation__isnull=False).select_related("user"):
        people_of.setdefault(person.organisation_id, []).append(person)

    shown: set[int] | None = None
    matched: set[int] = set()
    if query:
        key = normalise_name(query)
        text = Q(name__icontains=key) | Q(short_name__icontains=key) | Q(aliases__icontains=key)
        matched = set(Organisation.objects.filter(text).values_list("pk", flat=True))
        matched |= set(
            Person.objects.filter(
                Q(name__icontains=key) | Q(phone__icontains=key) | Q(email__icontains=query)
            )
            .exclude(organisation__isnull=True)
            .values_list("organisation_id", flat=True)
        )
        by_pk = {o.pk: o for o in orgs}
        shown = set()
        for pk in matched:  # a match brings its ancestors, so the tree keeps its shape
            node = by_pk.get(pk)
            while node is not None and node.pk not in shown:
                shown.add(node.pk)
                node = by_pk.get(node.parent_id)

    invite_available = invite_url(0) is not None
    invited = _invited_people()
    rows = []
    without_reporter = 0
    for org, depth in roster.tree(orgs):
        if shown is not None and org.pk not in shown:
            continue
        people = sorted(people_of.get(org.pk, []), key=lambda p: (p.role, p.name))
        reporters = [p for p in people if p.role == Person.Role.UNIT]
        if org.is_active and not any(p.is_active for p in reporters):
            without_reporter += 1
        rows.append(
            {
                "org": org,
                "depth": depth,
                "indent": min(depth, 6),
                "category": roster.category_label(org),
                "matched": org.pk in matched,
                "reporters": [_person_row(p, invite_available, invited) for p in reporters],
                "leaders": [
                    _person_row(p, invite_available, invited)
                    for p in people
                    if p.role != Person.Role.UNIT
                ],
                "needs_reporter": org.is_active and not any(p.is_active for p in reporters),
            }
        )
    return render(
        request,
        "organisations/unit_list.html",
        {
            "rows": rows,
            "query": query,
            "total": len(orgs),
            "without_reporter": without_reporter,
            "invite_available": invite_available,
            "columns": roster.COLUMNS,
        },
    )


NO_ACCOUNT, INVITED, ACTIVE, DISABLED = "未开通", "已邀请", "已开通", "已停用"


def _invited_people() -> set[int]:
    """People with an invitation still open, when invitations exist (duban.accounts)."""
    try:
        from duban.accounts.models import Invitation
    except ImportError:
        return set()
    return set(
        Invitation.objects.filter(
            used_at=None, revoked_at=None, expires_at__gt=timezone.now()
        ).values_list("person_id", flat=True)
    )


def _person_row(person: Person, invite_available: bool, invited: set[int]) -> dict:
    user = person.user
    if user is not None and not user.is_active:
        account = DISABLED
    elif user is not None and user.has_usable_password():
        account = ACTIVE
    else:
        account = INVITED if person.pk in invited else NO_ACCOUNT
    return {
        "person": person,
        "account": account,
        "pending": account in {NO_ACCOUNT, INVITED} and person.is_active,
        "url": invite_url(person.pk) if invite_available else None,
    }


# --- template and export -----------------------------------------------------------------


@office_only
@require_GET
def template(request, fmt):
    if fmt not in FORMATS:
        raise Http404("没有这种文件格式")
    rows = roster.TEMPLATE_EXAMPLE
    content = roster.write_xlsx(rows) if fmt == "xlsx" else roster.write_csv(rows)
    return _download(content, f"单位和人员导入模板.{fmt}", fmt)


@office_only
@require_GET
def export(request, fmt):
    if fmt not in FORMATS:
        raise Http404("没有这种文件格式")
    rows = roster.export_rows()
    content = roster.write_xlsx(rows) if fmt == "xlsx" else roster.write_csv(rows)
    return _download(content, f"单位和人员.{fmt}", fmt)


# --- import ------------------------------------------------------------------------------


def _payload(name: str, table: roster.Table) -> str:
    data = {
        "name": name,
        "rows": [[r.line, *r.as_list()] for r in table.rows],
        "missing": table.missing_columns,
        "warnings": table.warnings,
    }
    return signing.dumps(data, salt=_PAYLOAD_SALT, compress=True)


def _table_from_payload(value: str) -> tuple[str, roster.Table]:
    data = signing.loads(value, salt=_PAYLOAD_SALT, max_age=_PAYLOAD_MAX_AGE)
    rows = [roster.Row(*values) for values in data["rows"]]
    return data["name"], roster.Table(rows, data["missing"], data["warnings"])


@office_only
def import_roster(request):
    """GET: the upload form. POST: the preview of the uploaded file."""
    if request.method != "POST":
        return render(request, "organisations/import.html", {"columns": roster.COLUMNS})
    upload = request.FILES.get("file")
    if upload is None:
        return render(
            request,
            "organisations/import.html",
            {"columns": roster.COLUMNS, "error": "请选择要导入的文件"},
            status=400,
        )
    try:
        table = roster.read_table(upload.name, upload.read())
    except roster.RosterError as exc:
        return render(
            request,
            "organisations/import.html",
            {"columns": roster.COLUMNS, "error": str(exc), "name": upload.name},
            status=400,
        )
    plan = roster.plan_import(table)
    return _preview(request, upload.name, table, plan)


def _preview(request, name, table, plan, status=None):
    problems = plan.problems_by_line()
    return render(
        request,
        "organisations/import_preview.html",
        {
            "name": name,
            "plan": plan,
            "file_problems": problems.get(None, []),
            "rows": [{"row": r, "problems": problems.get(r.line, [])} for r in table.rows],
            "payload": _payload(name, table) if plan.is_valid else "",
        },
        status=status or (200 if plan.is_valid else 400),
    )


@office_only
@require_POST
def import_confirm(request):
    try:
        name, table = _table_from_payload(request.POST.get("payload", ""))
    except (signing.BadSignature, KeyError, TypeError, ValueError, json.JSONDecodeError):
        messages.error(request, "预览已过期或内容被改动，请重新上传文件")
        return redirect("organisations:import")
    try:
        plan = roster.apply(table, source=name)
    except roster.NotValid as exc:
        # The database changed since the preview (another import, an edit): say why.
        return _preview(request, name, table, exc.plan, status=409)
    if plan.changes_nothing:
        messages.info(request, f"“{name}”与已有单位和人员相同，未做任何改动")
    else:
        messages.success(request, f"已导入“{name}”：{plan.summary()}")
    return redirect("organisations:units")


# --- one reporter for a unit without one ------------------------------------------------


@office_only
@require_POST
def add_reporter(request, pk):
    """A reporter for a unit (name, phone, e-mail), through the same checks as an import;
    then their account page, to invite them, when there is one."""
    org = get_object_or_404(Organisation, pk=pk)
    row = roster.Row(
        line=1,
        unit=org.name,
        parent="",
        category="",
        person=(request.POST.get("name") or "").strip(),
        phone=(request.POST.get("phone") or "").strip(),
        email=(request.POST.get("email") or "").strip(),
        role="单位填报员",
    )
    if not row.person:
        messages.error(request, f"请填写{org}填报员的姓名")
        return redirect(f"{reverse('organisations:units')}#unit-{org.pk}")
    try:
        roster.apply(roster.Table([row], [], []), source=f"为{org.name}添加填报员")
    except roster.NotValid as exc:
        for problem in exc.plan.problems:
            messages.error(request, problem.message)
        return redirect(f"{reverse('organisations:units')}#unit-{org.pk}")
    person = Person.objects.get(organisation=org, name=normalise_name(row.person), role="unit")
    messages.success(request, f"已为{org}添加填报员{person.name}")
    url = invite_url(person.pk)
    return redirect(url or f"{reverse('organisations:units')}#unit-{org.pk}")
