"""批量修改 from the target list, in the manner of NetBox's bulk edit: the ticked targets come
to a form (their ids carried as hidden fields), and what is filled in there, or chosen to be
cleared, is set on each of them.

Each target is changed in its own transaction through a model save, so the audit trail keeps
the values replaced on every target; a target that may not be changed is left as it is and
listed with the reason, as the bulk steps do.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from duban.supervision.models import Notification
from duban.targets.deadlines import parse_deadline
from duban.targets.models import Target, TransitionError

from . import actions, bulk, permissions
from .forms import BulkEditForm

LISTED_TARGETS = 50
_ASSIGNED = {Target.State.ASSIGNED, Target.State.IN_PROGRESS}


@transaction.atomic
def edit_target(user, target: Target, changes: dict) -> Target:
    """Sets `changes` (as `BulkEditForm.changes` holds them) on one target, read again and
    locked here so a step taken meanwhile is seen. Refuses a closed target, and clearing the
    lead unit or deadline of a target already assigned."""
    if not permissions.can_supervise(user, target):
        raise PermissionDenied("只有督查员可以修改目标")
    target = Target.objects.select_for_update().get(pk=target.pk)
    if target.state == Target.State.CLOSED:
        raise TransitionError("目标已办结，不能修改")
    assigned = target.state in _ASSIGNED
    lead_before = target.lead_unit_id
    if "lead_unit" in changes:
        if changes["lead_unit"] is None and assigned:
            raise ValidationError({"lead_unit": "已交办的目标必须有牵头单位，不能清空"})
        target.lead_unit = changes["lead_unit"]
    if "leader" in changes:
        target.leader = changes["leader"]
    if "deadline" in changes:
        date, text = changes["deadline"]
        if date is None and text:
            date = parse_deadline(text, target.year)
        if date is None and not text and assigned:
            raise ValidationError({"deadline": "已交办的目标必须有完成时限，不能清空"})
        target.deadline, target.deadline_text = date, text
    for name in ("source_category", "category"):
        if name in changes:
            setattr(target, name, changes[name])
    target.full_clean(exclude=["search_text"])
    target.save()
    _set_co_units(target, changes.get("co_units"))
    if assigned and target.lead_unit_id not in (None, lead_before):
        actions.notify_unit(
            target,
            Notification.Kind.ASSIGNED,
            f"新交办：{target}",
            key=f"assigned:{target.pk}:{target.lead_unit_id}",
        )
    return target


def _set_co_units(target: Target, change):
    """Adds or replaces the co-units as asked, in the order chosen after those kept; the lead
    unit is never its own co-unit. Each removal and addition is recorded in the trail."""
    current = [u for u in target.units if u.pk != target.lead_unit_id]
    wanted = current
    if change is not None:
        mode, units = change
        wanted = list(units) if mode == BulkEditForm.CO_UNITS_REPLACE else current + list(units)
    target.set_co_units(wanted)


def apply_edit(request, ids, changes) -> None:
    done, refused = 0, []
    targets = Target.objects.visible_to(request.user).filter(pk__in=ids).order_by("pk")
    for target in targets.only("pk", "number", "title", "text"):
        try:
            edit_target(request.user, target, changes)
        except (PermissionDenied, TransitionError, ValidationError) as exc:
            refused.append(f"{target}：{bulk.reason_of(exc)}")
        else:
            done += 1
    if done:
        messages.success(request, f"已批量修改 {done} 项。")
    bulk.warn_refused(request, refused, f"{len(refused)} 项未能修改")
    if missing := len(ids) - done - len(refused):
        messages.warning(request, f"{missing} 项目标不存在或无权修改，已跳过。")


@require_http_methods(["GET", "POST"])
@login_required
def bulk_edit(request):
    bulk.require_office(request)
    data = request.POST if request.method == "POST" else request.GET
    if request.method == "POST":
        form = BulkEditForm(request.POST)
        if form.is_valid():
            apply_edit(request, form.cleaned_data["ids"], form.changes)
            return bulk.back(request)
        status = 400
    else:
        ids = bulk.ticked_ids(request.GET.getlist("ids"))
        if not ids:
            messages.error(request, "请先勾选要修改的目标。")
            return bulk.back(request, request.GET)
        if len(ids) > bulk.MAX_TARGETS:
            messages.error(request, bulk.too_many_message())
            return bulk.back(request, request.GET)
        form = BulkEditForm(initial={"ids": sorted(ids), "next": request.GET.get("next", "")})
        status = 200
    ids = bulk.ticked_ids(data.getlist("ids"))
    targets = Target.objects.visible_to(request.user).filter(pk__in=ids).order_by("pk")
    return render(
        request,
        "supervision/bulk_edit.html",
        {
            "form": form,
            "edit_rows": form.edit_rows(),
            "count": targets.count(),
            "targets": targets.only("pk", "number", "title", "text")[:LISTED_TARGETS],
            "back_url": bulk.back_url(request, data),
        },
        status=status,
    )
