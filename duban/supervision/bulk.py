"""Steps taken on many targets at once from the target list (批量审核、批量交办、批量审核通过
报送): after importing a document an office has dozens of targets waiting for the same step.

Each target (or report) goes through the same action as on its own page, in its own
transaction; those that may not take the step now are left as they are and listed with the
reason. 批量修改 goes on to a page of its own (bulk_edit.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from duban.targets.models import ProgressReport, Target, TransitionError

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
# Not one action per target: accepting the ticked targets' reports, and going on to the
# bulk edit page (bulk_edit.py) with the ticked targets.
ACCEPT_REPORTS = "accept_reports"
EDIT = "edit"
LABELS = {
    **{name: label for name, (label, _action) in STEPS.items()},
    ACCEPT_REPORTS: "审核通过报送",
    EDIT: "修改",
}


def back_url(request, data=None) -> str:
    """The list the request came from (a `next` on this site), else the whole list."""
    target = (request.POST if data is None else data).get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return resolve_url("targets:list")


def back(request, data=None):
    return redirect(back_url(request, data))


def require_office(request):
    if not permissions.can_supervise(request.user):
        raise PermissionDenied("只有督查员可以批量办理")


def ticked_ids(values) -> set[int]:
    return {int(v) for v in values if v.isdigit()}


def too_many_message() -> str:
    return f"一次最多批量办理 {MAX_TARGETS} 项，请分批操作。"


def warn_refused(request, refused: list[str], what: str):
    """One warning listing the first refusals with their reasons."""
    if not refused:
        return
    shown = "；".join(refused[:LISTED_REFUSALS])
    more = f"；另有 {len(refused) - LISTED_REFUSALS} 项" if len(refused) > LISTED_REFUSALS else ""
    messages.warning(request, f"{what}——{shown}{more}")


def reason_of(exc) -> str:
    return actions.refusal_text(exc) if isinstance(exc, ValidationError) else str(exc)


@require_POST
@login_required
def bulk_step(request):
    require_office(request)
    name = request.POST.get("step", "")
    label = LABELS.get(name)
    if label is None:
        messages.error(request, "请选择要批量办理的事项。")
        return back(request)
    ids = ticked_ids(request.POST.getlist("ids"))
    if not ids:
        messages.error(request, f"请先勾选要{label}的目标。")
        return back(request)
    if len(ids) > MAX_TARGETS:
        messages.error(request, too_many_message())
        return back(request)
    if name == EDIT:
        query = urlencode({"ids": sorted(ids), "next": request.POST.get("next", "")}, doseq=True)
        return redirect(f"{reverse('supervision:bulk_edit')}?{query}")
    targets = Target.objects.visible_to(request.user).filter(pk__in=ids).order_by("pk")
    if name == ACCEPT_REPORTS:
        found = _accept_reports(request, targets)
    else:
        found = _take_step(request, targets, label, STEPS[name][1])
    if missing := len(ids) - found:
        messages.warning(request, f"{missing} 项目标不存在或无权办理，已跳过。")
    return back(request)


def _take_step(request, targets, label, action) -> int:
    """The step for each target; answers how many targets there were."""
    done, refused = 0, []
    for target in targets.select_related("lead_unit", "leader"):
        try:
            action(request.user, target)
        except (PermissionDenied, TransitionError, ValidationError) as exc:
            refused.append(f"{target}：{reason_of(exc)}")
        else:
            done += 1
    if done:
        messages.success(request, f"已批量{label} {done} 项。")
    warn_refused(request, refused, f"{len(refused)} 项未能{label}")
    return done + len(refused)


def _accept_reports(request, targets) -> int:
    """Accepts every report waiting for review (待审核) of the ticked targets, each through
    the action of the target page, in its own transaction, read again there so a report
    reviewed meanwhile by someone else is refused rather than overwritten."""
    targets = list(targets.only("pk", "number", "title", "text"))
    waiting = list(
        ProgressReport.objects.filter(
            target__in=[t.pk for t in targets], review_state=ProgressReport.Review.SUBMITTED
        )
        .order_by("target_id", "period", "pk")
        .values_list("pk", flat=True)
    )
    by_pk = {t.pk: t for t in targets}
    done, refused, accepted_targets = 0, [], set()
    for report_pk in waiting:
        try:
            with transaction.atomic():
                report = ProgressReport.objects.select_for_update().filter(pk=report_pk).first()
                if report is None:
                    continue  # deleted meanwhile
                report.target = by_pk[report.target_id]
                actions.accept(request.user, report)
        except (PermissionDenied, TransitionError, ValidationError) as exc:
            refused.append(f"{report.target}（{report.period_label}）：{reason_of(exc)}")
        else:
            done += 1
            accepted_targets.add(report.target_id)
    if done:
        messages.success(
            request, f"已批量审核通过报送 {done} 份（{len(accepted_targets)} 项目标）。"
        )
    warn_refused(request, refused, f"{len(refused)} 份报送未能审核通过")
    if not waiting and targets:
        messages.info(request, "勾选的目标没有待审核的报送。")
    return len(targets)
