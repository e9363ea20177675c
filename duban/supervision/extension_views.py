"""The pages of deadline extensions (延期申请) and leaders' instructions (领导批示); the rules
live in `extensions.py`. Refusals answer as the loop's pages do (403, 409, 400, 404)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from duban.targets.models import Target

from . import extensions, permissions
from .extension_forms import (
    ExtensionDecisionForm,
    ExtensionRequestForm,
    InstructionDocumentForm,
    InstructionForm,
)
from .models import DeadlineExtension
from .views import loop_step, visible_target


def _form_errors(form) -> list[str]:
    return [e for errs in form.errors.values() for e in errs]


def _add_errors(form, exc: ValidationError):
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def target_context(
    user, target: Target, *, has_extensions: bool = True, has_instructions: bool = True
) -> dict:
    """What the target page shows of extensions and instructions, and what the user may do.
    `has_…` False says the target has none, so they are not asked for."""
    items = (
        list(target.extensions.select_related("unit", "requested_by", "office_by", "leader_by"))
        if has_extensions
        else []
    )
    today = timezone.localdate()
    has_open = any(e.is_open for e in items)
    for e in items:
        e.target = target
        e.can_decide = permissions.can_decide_extension(user, e)
        e.can_withdraw = permissions.can_withdraw_extension(user, e)
    return {
        "extensions": items,
        "can_request_extension": permissions.can_request_extension(user, target)
        and target.deadline is not None
        and target.deadline >= today
        and not has_open,
        "instructions": (
            list(target.instructions.select_related("leader")) if has_instructions else []
        ),
        "can_instruct": permissions.can_instruct(user, target),
        "leader_approval": extensions.leader_approval_needed(target),
        "milestone_rule": extensions.MILESTONE_RULE,
    }


@loop_step
def request_extension(request, pk):
    target = visible_target(request, pk)
    if not permissions.is_lead_unit_user(request.user, target):
        raise PermissionDenied("只有牵头单位可以申请延期")
    if request.method != "POST":
        extensions.check_extendable(target)  # say at once why not, before the form is filled
    form = ExtensionRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                extensions.request_extension(
                    request.user,
                    target,
                    requested_deadline=form.cleaned_data["requested_deadline"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "延期申请已提交，等待审核。")
                return redirect("targets:detail", target.pk)
        status = 400
    return render(
        request,
        "supervision/extension_request.html",
        {"form": form, "target": target},
        status=status,
    )


def _visible_extension(user, pk) -> DeadlineExtension:
    """The request, if its target is one `user` sees; the same 404 otherwise, so ids of other
    units' requests cannot be probed."""
    extension = DeadlineExtension.objects.filter(pk=pk).select_related("target").first()
    if (
        extension is None
        or not Target.objects.visible_to(user).filter(pk=extension.target_id).exists()
    ):
        raise Http404("没有找到这个延期申请，或您无权查看")
    return extension


@require_POST
@loop_step
def decide_extension(request, pk):
    extension = _visible_extension(request.user, pk)
    form = ExtensionDecisionForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_form_errors(form))
    approve = form.cleaned_data["decision"] == "approve"
    extension = extensions.decide_extension(
        request.user, extension, approve=approve, comment=form.cleaned_data["comment"]
    )
    messages.success(
        request,
        {
            DeadlineExtension.State.AWAITING_LEADER: "已审核同意，等待分管领导审批。",
            DeadlineExtension.State.APPROVED: "已同意延期，完成时限已更新。",
            DeadlineExtension.State.REFUSED: "已不同意延期，完成时限不变。",
        }[extension.state],
    )
    return redirect("targets:detail", extension.target_id)


@require_POST
@loop_step
def withdraw_extension(request, pk):
    """The unit that asked withdraws its undecided request (撤回)."""
    extension = _visible_extension(request.user, pk)
    extensions.withdraw_extension(request.user, extension)
    messages.success(request, "延期申请已撤回，完成时限不变。")
    return redirect("targets:detail", extension.target_id)


@require_POST
@loop_step
def instruct(request, pk):
    target = visible_target(request, pk)
    form = InstructionForm(request.POST)
    if not permissions.is_leader_of(request.user, target):
        raise PermissionDenied("只有该目标的分管领导可以作出批示")
    if not form.is_valid():
        raise ValidationError(_form_errors(form))
    extensions.give_instruction(request.user, target, text=form.cleaned_data["text"])
    messages.success(request, "批示已发送，牵头单位将收到通知。")
    return redirect("targets:detail", target.pk)


@loop_step
def register_instruction(request):
    if not permissions.can_supervise(request.user):
        raise PermissionDenied("只有督查员可以登记批示件")
    form = InstructionDocumentForm(
        request.POST or None, initial={"year": timezone.localdate().year}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                target = extensions.register_instruction_document(
                    request.user,
                    year=data["year"],
                    leader=data["leader"],
                    instruction=data["instruction"],
                    deadline=data["deadline"],
                    text=data["text"],
                    title=data["title"],
                    number=data["number"],
                    source_label=data["source_label"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"已登记批示件：{target}")
                return redirect("targets:detail", target.pk)
        status = 400
    return render(request, "supervision/instruction_register.html", {"form": form}, status=status)
