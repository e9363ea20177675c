"""Steps taken on many targets at once from the target list (批量审核、批量交办): after
importing a document an office has dozens of targets waiting for the same step.

Each target goes through the same action as on its own page, in its own transaction; those
that may not take the step now are left as they are and listed with the reason.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from duban.targets.models import Target, TransitionError

from . import actions, permissions

MAX_TARGETS = 500
LISTED_REFUSALS = 10


def _assign_as_recorded(user, target: Target):
    """交办 with the lead unit, co-units, leader and deadline already recorded on the target,
    as read from its document or entered when it was registered."""
    actions.assign(
        user,
        target,
        lead_unit=target.lead_unit,
        co_units=list(target.co_units.all()),
        leader=target.leader,
    )


STEPS = {
    "approve": ("审核通过", actions.approve),
    "assign": ("交办", _assign_as_recorded),
}


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("targets:list")


@require_POST
@login_required
def bulk_step(request):
    if not permissions.can_supervise(request.user):
        raise PermissionDenied("只有督查员可以批量办理")
    step = STEPS.get(request.POST.get("step", ""))
    if step is None:
        messages.error(request, "请选择要批量办理的事项。")
        return _back(request)
    label, action = step
    ids = {int(v) for v in request.POST.getlist("ids") if v.isdigit()}
    if not ids:
        messages.error(request, f"请先勾选要{label}的目标。")
        return _back(request)
    if len(ids) > MAX_TARGETS:
        messages.error(request, f"一次最多批量办理 {MAX_TARGETS} 项，请分批操作。")
        return _back(request)
    done, refused = 0, []
    targets = Target.objects.visible_to(request.user).filter(pk__in=ids).order_by("pk")
    for target in targets.select_related("lead_unit", "leader"):
        try:
            action(request.user, target)
        except (PermissionDenied, TransitionError, ValidationError) as exc:
            reason = actions.refusal_text(exc) if isinstance(exc, ValidationError) else exc
            refused.append(f"{target}：{reason}")
        else:
            done += 1
    missing = len(ids) - done - len(refused)
    if done:
        messages.success(request, f"已批量{label} {done} 项。")
    if refused:
        shown = "；".join(refused[:LISTED_REFUSALS])
        more = (
            f"；另有 {len(refused) - LISTED_REFUSALS} 项" if len(refused) > LISTED_REFUSALS else ""
        )
        messages.warning(request, f"{len(refused)} 项未能{label}——{shown}{more}")
    if missing:
        messages.warning(request, f"{missing} 项目标不存在或无权办理，已跳过。")
    return _back(request)
