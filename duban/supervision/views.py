"""The pages of the loop. Each step is one view over one action in `actions.py`; a refused
step answers with its reason in Chinese and the matching status (403, 409, 400)."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from duban.targets.models import ROLLUP_RULE, ProgressReport, Target, TransitionError

from . import actions, permissions, stash
from .evidence import evidence_download
from .forms import (
    AssignForm,
    ChaseForm,
    CloseForm,
    ContributionForm,
    RegisterForm,
    ReportForm,
    ReviewForm,
    SubTargetFormSet,
    report_periods,
)


def _refused(request, status, title, message, target=None):
    return render(
        request,
        "supervision/refused.html",
        {"title": title, "message": message, "target": target},
        status=status,
    )


def loop_step(view):
    """Answers the loop's refusals: who may not (403), not now (409), incomplete (400)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return _refused(request, 403, "无权操作", str(exc) or "您没有权限进行此操作。")
        except TransitionError as exc:
            return _refused(request, 409, "当前不能办理", str(exc))
        except ValidationError as exc:
            return _refused(request, 400, "信息不完整", actions.refusal_text(exc))

    return login_required(wrapper)


def visible_target(request, pk) -> Target:
    target = Target.objects.visible_to(request.user).filter(pk=pk).first()
    if target is None:
        raise Http404("没有找到这个目标任务，或您无权查看")
    return target


def _back(target):
    return redirect("targets:detail", target.pk)


@loop_step
def register(request):
    if not permissions.can_supervise(request.user):
        raise PermissionDenied("只有督查员可以登记目标")
    form = RegisterForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        if form.is_valid():
            target = form.save()
            messages.success(request, f"已登记目标：{target}")
            return _back(target)
        return render(request, "supervision/register.html", {"form": form}, status=400)
    return render(request, "supervision/register.html", {"form": form})


@require_POST
@loop_step
def approve(request, pk):
    target = visible_target(request, pk)
    actions.approve(request.user, target)
    messages.success(request, "已审核通过，可以交办。")
    return _back(target)


@loop_step
def assign(request, pk):
    target = visible_target(request, pk)
    if not permissions.can_supervise(request.user, target):
        raise PermissionDenied("只有督查员可以交办目标")
    initial = {
        "lead_unit": target.lead_unit,
        "co_units": target.co_units.all(),
        "leader": target.leader,
        "deadline": target.deadline,
        "deadline_text": target.deadline_text,
    }
    form = AssignForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            actions.assign(
                request.user,
                target,
                lead_unit=data["lead_unit"],
                co_units=list(data["co_units"]),
                leader=data["leader"],
                deadline=data["deadline"],
                deadline_text=data["deadline_text"],
            )
            messages.success(request, f"已交办给{data['lead_unit']}。")
            return _back(target)
        status = 400
    else:
        status = 200
    return render(
        request, "supervision/assign.html", {"form": form, "target": target}, status=status
    )


@require_POST
@loop_step
def acknowledge(request, pk):
    target = visible_target(request, pk)
    actions.acknowledge(request.user, target)
    messages.success(request, "已签收。")
    return _back(target)


def _open_report(target, period):
    return target.reports.filter(
        period=period,
        review_state__in=[ProgressReport.Review.DRAFT, ProgressReport.Review.RETURNED],
        source_document__isnull=True,
    ).first()


@loop_step
def report(request, pk):
    target = visible_target(request, pk)
    if not permissions.can_report(request.user, target):
        raise PermissionDenied("只有已签收目标的牵头单位可以报送进展")
    periods = report_periods(target, timezone.localdate())
    period = request.POST.get("period") or request.GET.get("period") or str(periods[-1])
    existing = _open_report(target, period)
    initial = {"period": period}
    if existing is not None:
        initial.update(
            progress=existing.progress,
            reason=existing.reason,
            next_steps=existing.next_steps,
            version=existing.version,
            is_complete={True: "yes", False: "no"}.get(existing.is_complete),
        )
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial, periods=periods)
    status, kept = 200, []
    if request.method == "POST":
        valid = form.is_valid()
        # Files chosen on an earlier try of this form that failed validation (see stash.py).
        token = request.POST.get("evidence_token", "")
        if token:
            try:
                kept = stash.entries(request.user, target, token)
            except stash.StashLost as exc:
                form.add_error("evidence", str(exc))
                valid = False
        if valid:
            data = form.cleaned_data
            uploads = stash.open_files(kept) + list(data["evidence"])
            try:
                actions.save_report(
                    request.user,
                    target,
                    period=data["period"],
                    progress=data["progress"],
                    is_complete=data["is_complete"],
                    reason=data["reason"],
                    next_steps=data["next_steps"],
                    uploads=uploads,
                    submit="draft" not in request.POST,
                    report=existing,
                    expected_version=data.get("version"),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                stash.discard_after_commit(kept)
                messages.success(
                    request, "已保存草稿。" if "draft" in request.POST else "进展已报送，等待审核。"
                )
                return _back(target)
            finally:
                for upload in uploads[: len(kept)]:
                    upload.close()
        kept = _keep_evidence(request, target, kept)
        status = 400
    return render(
        request,
        "supervision/report.html",
        {
            "form": form,
            "target": target,
            "existing": existing,
            "contributions": target.contributions.filter(period=period),
            "kept_names": stash.names(kept),
            "evidence_token": stash.stash(request.user, target, (), keep=kept) if kept else "",
        },
        status=status,
    )


def _keep_evidence(request, target, kept):
    """The files of a refused post worth keeping for the next try: those kept before and the
    newly chosen ones the evidence rules accept (a refused file is chosen again anyway)."""
    fresh = []
    for upload in request.FILES.getlist("evidence"):
        try:
            actions.check_evidence(upload)
        except ValidationError:
            continue
        fresh.append(upload)
    if not fresh:
        return kept
    token = stash.stash(request.user, target, fresh, keep=kept)
    return stash.entries(request.user, target, token)


@require_POST
@loop_step
def contribute(request, pk):
    target = visible_target(request, pk)
    form = ContributionForm(request.POST, periods=report_periods(target, timezone.localdate()))
    if not form.is_valid():
        raise ValidationError([e for errs in form.errors.values() for e in errs])
    actions.contribute(
        request.user, target, period=form.cleaned_data["period"], text=form.cleaned_data["text"]
    )
    messages.success(request, "协办情况已提交，牵头单位报送时可见。")
    return _back(target)


@require_POST
@loop_step
def review(request, pk):
    report_ = get_object_or_404(ProgressReport, pk=pk)
    target = visible_target(request, report_.target_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        raise ValidationError([e for errs in form.errors.values() for e in errs])
    if form.cleaned_data["decision"] == "accept":
        actions.accept(request.user, report_, form.cleaned_data["comment"])
        messages.success(request, "报送已审核通过。")
    else:
        actions.return_report(request.user, report_, form.cleaned_data["comment"])
        messages.success(request, "报送已退回，单位将收到通知。")
    return _back(target)


@loop_step
def close(request, pk):
    target = visible_target(request, pk)
    if not permissions.can_supervise(request.user, target):
        raise PermissionDenied("只有督查员可以办结目标")
    last = actions.last_accepted_report(target)
    needs = last is not None and last.is_complete is False
    form = CloseForm(request.POST or None, request.FILES or None, needs_confirmation=needs)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.close(
                    request.user,
                    target,
                    note=data["note"],
                    uploads=data["evidence"],
                    confirm_incomplete=data.get("confirm_incomplete", False),
                    reason=data.get("reason", ""),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, "已办结销号。")
                return _back(target)
        status = 400
    elif target.state != Target.State.IN_PROGRESS:
        raise TransitionError(f"目标当前为“{target.get_state_display()}”，不能办结销号")
    return render(
        request,
        "supervision/close.html",
        {"form": form, "target": target, "last": last, "needs_confirmation": needs},
        status=status,
    )


@loop_step
def split(request, pk):
    """任务分解: the office adds several sub-targets at once, a row each."""
    target = visible_target(request, pk)
    if not permissions.can_supervise(request.user, target):
        raise PermissionDenied("只有督查员可以分解目标")
    actions.check_splittable(target)
    formset = SubTargetFormSet(request.POST if request.method == "POST" else None, prefix="sub")
    status = 200
    if request.method == "POST":
        if formset.is_valid():
            try:
                created = actions.split(request.user, target, formset.rows())
            except ValidationError as exc:
                errors = exc.message_dict.get("children") or actions.refusal_text(exc)
                formset._non_form_errors = formset.error_class(
                    errors if isinstance(errors, list) else [errors]
                )
            else:
                messages.success(request, f"已分解为 {len(created)} 个子目标，并交办给各牵头单位。")
                return _back(target)
        status = 400
    return render(
        request,
        "supervision/split.html",
        {
            "formset": formset,
            "target": target,
            "existing": target.children.filter(decomposed=True).select_related("lead_unit"),
            "rule": ROLLUP_RULE,
        },
        status=status,
    )


@require_POST
@loop_step
def publish(request, pk):
    target = visible_target(request, pk)
    actions.publish(request.user, target)
    messages.success(request, "已发布到公开页面。")
    return _back(target)


@require_POST
@loop_step
def unpublish(request, pk):
    target = visible_target(request, pk)
    actions.unpublish(request.user, target)
    messages.success(request, "已从公开页面撤回。")
    return _back(target)


@require_POST
@loop_step
def carry_over(request, pk):
    target = visible_target(request, pk)
    successor = actions.carry_over(request.user, target)
    messages.success(request, f"已结转到{successor.year}年度。")
    return redirect("targets:detail", successor.pk)


@require_POST
@loop_step
def chase(request, pk):
    target = visible_target(request, pk)
    form = ChaseForm(request.POST)
    form.is_valid()
    sent = actions.chase(request.user, target, form.cleaned_data.get("message", ""))
    messages.success(
        request,
        f"已催办，通知 {len(sent)} 人。" if sent else "已催办，但牵头单位暂无可接收通知的账号。",
    )
    return _back(target)


@login_required
def evidence(request, pk):
    return evidence_download(request.user, pk)
