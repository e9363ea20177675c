"""The steps of the loop, each checked for role and state, for the pages and the API alike.

Every function raises `PermissionDenied` (with a Chinese message) when the user may not take
the step, `TransitionError` when the target or report is not in a state that allows it, and
`ValidationError` when what was submitted is incomplete. Nothing is written in those cases.
"""

import datetime
import mimetypes
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from duban.audit.recorder import record
from duban.targets.models import (
    CLOSING_STATUS,
    LIVE_OWN_REPORT,
    Evidence,
    Milestone,
    ProgressReport,
    Target,
    TransitionError,
)
from duban.targets.periods import Period

from . import channels, permissions
from .models import Contribution, Notification
from .notifications import (
    email_after_commit,
    notify_and_email,
    notify_users,
    office_staff,
    unit_reporters_of,
)

__all__ = ["TransitionError"]

ALLOWED_EVIDENCE = {
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".wps",
    ".et",
    ".txt",
    ".jpg",
    ".jpeg",
    ".png",
    ".zip",
    ".ofd",
}


def refusal_text(exc: ValidationError) -> str:
    """A refused step's messages as one line for a person."""
    if hasattr(exc, "error_dict"):
        return "；".join(m for msgs in exc.message_dict.values() for m in msgs)
    return "；".join(exc.messages)


def check_period(period: str) -> Period:
    try:
        return Period.parse(period)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from exc


def _require(allowed: bool, message: str):
    if not allowed:
        raise PermissionDenied(message)


def approve(user, target: Target):
    _require(permissions.can_supervise(user, target), "只有督查员可以审核目标")
    target.approve()


def quarterly_milestones(target: Target, start: datetime.date) -> list[Period]:
    """The quarters from the assignment to the deadline (or to the year's end)."""
    first = Period.quarter_of(max(start, datetime.date(target.year, 1, 1)))
    last_day = target.deadline or datetime.date(target.year, 12, 31)
    last = Period.quarter_of(last_day)
    periods, current = [], first
    while current <= last and len(periods) < 12:
        periods.append(current)
        year, quarter = (
            (current.year + 1, 1) if current.index == 4 else (current.year, current.index + 1)
        )
        current = Period(year, "Q", quarter)
    return periods


@transaction.atomic
def assign(
    user,
    target: Target,
    *,
    lead_unit,
    co_units=(),
    leader=None,
    deadline=None,
    deadline_text=None,
    milestones=True,
):
    _require(permissions.can_supervise(user, target), "只有督查员可以交办目标")
    if lead_unit is None:
        raise ValidationError({"lead_unit": "请选择牵头单位"})
    target.assign(
        lead_unit=lead_unit,
        co_units=co_units,
        leader=leader,
        deadline=deadline,
        deadline_text=deadline_text,
    )
    # Checked after the state change so a refused step (409) outranks a missing field (400);
    # the transaction undoes the change.
    if target.deadline is None and not target.deadline_text:
        raise ValidationError({"deadline": "请填写完成时限：日期或文字（如“持续推进”）"})
    if milestones and not target.milestones.exists():
        for period in quarterly_milestones(target, timezone.localdate()):
            Milestone.objects.create(
                target=target, period=str(period), text=f"{period.label}阶段任务（待细化）"
            )
    notify_unit(
        target,
        Notification.Kind.ASSIGNED,
        f"新交办：{target}",
        key=f"assigned:{target.pk}:{target.lead_unit_id}",
    )


def acknowledge(user, target: Target):
    _require(permissions.is_lead_unit_user(user, target), "只有牵头单位可以签收")
    target.acknowledge()


def check_evidence(upload) -> None:
    limit = settings.DUBAN_EVIDENCE_MAX_BYTES
    name = PurePath(upload.name).name
    if upload.size == 0:
        raise ValidationError({"evidence": f"“{name}”是空文件"})
    if upload.size > limit:
        raise ValidationError({"evidence": f"“{name}”超过 {limit // (1024 * 1024)} MB 的大小限制"})
    if PurePath(name).suffix.lower() not in ALLOWED_EVIDENCE:
        raise ValidationError({"evidence": f"“{name}”的文件类型不允许上传"})


def attach_evidence(user, report: ProgressReport, uploads) -> list[Evidence]:
    for upload in uploads:
        check_evidence(upload)
    stored = []
    for upload in uploads:
        name = PurePath(upload.name).name
        stored.append(
            Evidence.objects.create(
                report=report,
                file=upload,
                name=name,
                size=upload.size,
                content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
                uploaded_by=user,
            )
        )
    return stored


@transaction.atomic
def save_report(
    user,
    target: Target,
    *,
    period: str,
    progress: str,
    is_complete,
    reason: str = "",
    next_steps: str = "",
    uploads=(),
    submit: bool = True,
    report: ProgressReport | None = None,
    expected_version: int | None = None,
    unit=None,
):
    """Writes the lead unit's report for a period (a draft, or submitted for review).
    Editing an existing report needs the version that was read: a second person's save of a
    stale copy is refused and nothing is lost. `unit` names the lead unit a report returned by
    file is written for, so office staff may store it on the unit's behalf."""
    allowed = (
        permissions.can_report(user, target)
        if unit is None
        else permissions.can_report_for(user, target, unit)
    )
    _require(allowed, "只有已签收目标的牵头单位可以报送进展")
    check_period(period)
    # Every write of a unit's report for the target waits here for the one before it, so the
    # check below sees what a racing post (a double click, a second reporter) stored.
    lock_target(target)
    if report is None:
        if _already_reported(target, period):
            raise TransitionError(ALREADY_REPORTED)
        report = ProgressReport(
            target=target,
            period=period,
            unit=target.lead_unit,
            milestone=target.milestones.filter(period=period).first(),
        )
    elif report.target_id != target.pk:
        raise PermissionDenied("报送不属于该目标")
    elif report.review_state not in {ProgressReport.Review.DRAFT, ProgressReport.Review.RETURNED}:
        raise TransitionError(f"报送当前为“{report.get_review_state_display()}”，不能修改")
    elif submit and _own_report_live(report):
        # A draft or a returned report sent while another report of the unit's for the
        # period waits for review or was accepted.
        raise TransitionError(ALREADY_REPORTED)
    returned = report.review_state == ProgressReport.Review.RETURNED
    report.progress, report.is_complete = progress, is_complete
    report.reason, report.next_steps = reason, next_steps
    report.status_text = {True: "完成", False: "未完成"}.get(is_complete, "")
    for upload in uploads:
        check_evidence(upload)
    if submit:
        report.check_complete()
    if report.pk is None:
        report.save()
    elif not report.save_if_unchanged(expected_version or 0):
        raise TransitionError("该报送已被他人修改，您的修改未保存。请刷新页面后在最新内容上修改。")
    attach_evidence(user, report, uploads)
    if submit:
        try:
            with transaction.atomic():  # a savepoint: the refusal below leaves nothing written
                report.submit(user)
        except IntegrityError:
            # The database's constraint (one live report per target, unit and period) caught
            # what the lock above did not: the same refusal as the check.
            if _own_report_live(report):
                raise TransitionError(ALREADY_REPORTED) from None
            raise
        _notify_submitted(user, report, resubmitted=returned)
    return report


ALREADY_REPORTED = "本期进展已报送，请等待审核结果"


def lock_target(target: Target) -> None:
    """Holds the target's row until the transaction ends (PostgreSQL; SQLite writes one
    transaction at a time anyway)."""
    Target.objects.select_for_update().filter(pk=target.pk).values_list("pk").first()


def _already_reported(target: Target, period: str) -> bool:
    """Whether the period already has a report sent for review or accepted (the unit's own or
    a document's answer): a new report for it is refused."""
    return target.reports.filter(
        period=period,
        review_state__in=[ProgressReport.Review.SUBMITTED, ProgressReport.Review.ACCEPTED],
    ).exists()


def _own_report_live(report: ProgressReport) -> bool:
    """Whether another report of the unit's own for the report's period is live, as the
    database's constraint counts them: sending this one too is refused."""
    return (
        ProgressReport.objects.filter(
            LIVE_OWN_REPORT, target_id=report.target_id, unit=report.unit, period=report.period
        )
        .exclude(pk=report.pk)
        .exists()
    )


def _notify_submitted(user, report: ProgressReport, *, resubmitted: bool):
    """Tells the office that a report waits for review, naming target, unit and period."""
    target, unit = report.target, report.unit or report.target.lead_unit or "（未定单位）"
    if resubmitted:
        # A report is returned and sent again as often as it takes: each return is one event.
        kind, key = Notification.Kind.RESUBMITTED, f"resubmitted:{report.pk}:{_stamp(report)}"
        when = f"（{report.reviewed_at:%Y-%m-%d}退回）" if report.reviewed_at else ""
        message = (
            f"重新报送：{unit}修改后重新报送了“{target}”{report.period_label}进展{when}，请审核。"
        )
    else:
        kind, key = Notification.Kind.SUBMITTED, f"submitted:{report.pk}"
        message = f"报送待审核：{unit}报送了“{target}”{report.period_label}进展，请审核。"
    notify_and_email(office_staff(), target, kind, message, key, actor=user)


def _stamp(report: ProgressReport) -> str:
    """The time of the report's last review, as a key names it."""
    return f"{report.reviewed_at:%Y%m%d%H%M%S%f}" if report.reviewed_at else "-"


def contribute(user, target: Target, *, period: str, text: str) -> Contribution:
    _require(permissions.can_contribute(user, target), "只有协办单位可以填写协办情况")
    check_period(period)
    if not text.strip():
        raise ValidationError({"text": "请填写协办情况"})
    return Contribution.objects.create(
        target=target, period=period, unit=permissions.unit_of(user), text=text, created_by=user
    )


@transaction.atomic
def accept(user, report: ProgressReport, comment: str = ""):
    _require(permissions.can_supervise(user, report.target), "只有督查员可以审核报送")
    report.accept(user, comment)
    opinion = f"意见：{comment.strip()}" if comment.strip() else ""
    notify_and_email(
        unit_reporters_of(report.target),
        report.target,
        Notification.Kind.ACCEPTED,
        f"报送已通过：“{report.target}”{report.period_label}进展已审核通过。{opinion}",
        key=f"accepted:{report.pk}",
        actor=user,
    )


@transaction.atomic
def return_report(user, report: ProgressReport, comment: str):
    _require(permissions.can_supervise(user, report.target), "只有督查员可以退回报送")
    report.return_for_revision(user, comment)
    notify_and_email(
        unit_reporters_of(report.target),
        report.target,
        Notification.Kind.RETURNED,
        f"报送被退回：{report.target}（{report.period_label}）。意见：{comment}",
        key=f"returned:{report.pk}:{_stamp(report)}",
        actor=user,
    )
    channels.queue_step(
        report.target,
        Notification.Kind.RETURNED,
        f"{report.period_label}进展报送被退回，请修改后重新报送。意见：{comment}",
        key=f"returned:{report.pk}:{_stamp(report)}",
    )


@transaction.atomic
def close(user, target: Target, *, note: str, uploads=()):
    """办结销号, with a closing note and the final evidence, kept as an accepted report."""
    _require(permissions.can_supervise(user, target), "只有督查员可以办结目标")
    if not note.strip():
        raise ValidationError({"note": "请填写办结说明"})
    if target.state != Target.State.IN_PROGRESS:
        raise TransitionError(f"目标当前为“{target.get_state_display()}”，不能办结销号")
    period = str(Period.quarter_of(timezone.localdate()))
    final = ProgressReport.objects.create(
        target=target,
        period=period,
        unit=target.lead_unit,
        progress=note,
        is_complete=True,
        status_text=CLOSING_STATUS,  # outside the one-live-report constraint
        review_state=ProgressReport.Review.ACCEPTED,
        reviewed_by=user,
        reviewed_at=timezone.now(),
        review_comment="办结销号",
        submitted_by=user,
        submitted_at=timezone.now(),
    )
    attach_evidence(user, final, uploads)
    target.close()
    notify_and_email(
        unit_reporters_of(target),
        target,
        Notification.Kind.CLOSED,
        f"目标已办结：“{target}”已办结销号。办结说明：{note.strip()}",
        key=f"closed:{target.pk}:{target.closed_at:%Y%m%d%H%M%S%f}",
        actor=user,
    )


def carry_over(user, target: Target) -> Target:
    _require(permissions.can_supervise(user, target), "只有督查员可以结转目标")
    return target.carry_over()


def chase(user, target: Target, message: str = "") -> list[Notification]:
    """催办 by hand: a notification (and e-mail) to the lead unit's reporters now."""
    _require(permissions.can_supervise(user, target), "只有督查员可以催办")
    if target.state in {Target.State.REGISTERED, Target.State.APPROVED, Target.State.CLOSED}:
        raise TransitionError(f"目标当前为“{target.get_state_display()}”，无需催办")
    text = message.strip() or f"请抓紧办理并报送进展：{target}"
    key = f"chase:{target.pk}:{timezone.now():%Y%m%d%H%M%S%f}"
    sent = notify_unit(target, Notification.Kind.CHASE, text, key=key)
    channels.queue_step(target, Notification.Kind.CHASE, text, key=key)
    record(target, "notice", after={"催办内容": text}, summary="人工催办")
    email_after_commit(sent)  # at once, or when the step's transaction commits
    return sent


def notify_unit(target: Target, kind: str, message: str, key: str) -> list[Notification]:
    """An in-app notification to every active reporter of the lead unit (once per key)."""
    return notify_users(unit_reporters_of(target), target, kind, message, key)


# --- registering and correcting by hand, revising reports (used by the API) ----------------

TARGET_FIELDS = (
    "year",
    "number",
    "title",
    "text",
    "source_category",
    "source_label",
    "category",
    "deadline",
    "deadline_text",
    "benchmark",
    "is_public",
    "parent",
)
OPEN_REVIEW_STATES = (ProgressReport.Review.DRAFT, ProgressReport.Review.RETURNED)


def _only(changes: dict, allowed) -> dict:
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise ValidationError({name: "该字段不能在此修改" for name in unknown})
    return changes


def register(user, **fields) -> Target:
    """立项 by hand: a new target, waiting for approval."""
    _require(permissions.can_supervise(user), "只有督查员可以登记目标")
    target = Target(**_only(fields, TARGET_FIELDS))
    target.full_clean(exclude=["search_text"])
    target.save()
    return target


def update_target(user, target: Target, **changes) -> Target:
    """Corrects what was recorded of a target; the trail keeps the values it replaces. A new
    deadline text without a date sets the date anew from the text."""
    _require(permissions.can_supervise(user, target), "只有督查员可以修改目标")
    _only(changes, TARGET_FIELDS)
    if "deadline" not in changes and changes.get("deadline_text", target.deadline_text) != (
        target.deadline_text
    ):
        changes["deadline"] = None
    for name, value in changes.items():
        setattr(target, name, value)
    target.full_clean(exclude=["search_text"])
    target.save()
    return target


def update_milestone(user, milestone: Milestone, **changes) -> Milestone:
    """A milestone's text or due date; a due date left empty falls at the period's end."""
    _require(permissions.can_supervise(user, milestone.target), "只有督查员可以修改阶段目标")
    for name, value in _only(changes, ("text", "due_date")).items():
        setattr(milestone, name, value)
    milestone.full_clean()
    milestone.save()
    return milestone


def _require_open(report: ProgressReport):
    if report.source_document_id is not None:
        raise TransitionError("该报送由文件导入，不能在线修改；请新建本期报送")
    if report.review_state not in OPEN_REVIEW_STATES:
        raise TransitionError(f"报送当前为“{report.get_review_state_display()}”，不能修改")


@transaction.atomic
def start_report(user, target: Target, *, period: str, **fields) -> ProgressReport:
    """A new report for a period, refused while that period has one still being written
    (a draft, or one returned), which is to be revised instead."""
    _require(permissions.can_report(user, target), "只有已签收目标的牵头单位可以报送进展")
    lock_target(target)  # two clients starting the period's report at once: one waits
    open_ = target.reports.filter(
        period=period, review_state__in=OPEN_REVIEW_STATES, source_document__isnull=True
    ).first()
    if open_ is not None:
        raise TransitionError(
            f"本期已有“{open_.get_review_state_display()}”的报送（编号 {open_.pk}），请修改该报送"
        )
    return save_report(user, target, period=period, **fields)


@transaction.atomic
def revise_report(
    user, report: ProgressReport, *, expected_version: int, submit=False, **fields
) -> ProgressReport:
    """Edits a draft or returned report (the fields not given keep their values), and sends
    it if `submit`. A stale `expected_version` is refused as in `save_report`."""
    lock_target(report.target)  # first the target, as `save_report` does: no deadlock
    report = ProgressReport.objects.select_for_update().select_related("target").get(pk=report.pk)
    _require(permissions.can_report(user, report.target), "只有已签收目标的牵头单位可以修改报送")
    _require_open(report)
    values = {
        "progress": report.progress,
        "is_complete": report.is_complete,
        "reason": report.reason,
        "next_steps": report.next_steps,
    }
    values.update(_only(fields, values))
    return save_report(
        user,
        report.target,
        period=report.period,
        submit=submit,
        report=report,
        expected_version=expected_version,
        **values,
    )


@transaction.atomic
def add_evidence(user, report: ProgressReport, uploads) -> list[Evidence]:
    """佐证材料 added to a draft or returned report, checked as `check_evidence` checks."""
    _require(
        permissions.can_report(user, report.target), "只有已签收目标的牵头单位可以上传佐证材料"
    )
    _require_open(report)
    if not uploads:
        raise ValidationError({"evidence": "请选择要上传的文件"})
    return attach_evidence(user, report, uploads)
