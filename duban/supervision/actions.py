"""The steps of the loop, each checked for role and state, for the pages and the API alike.

Every function raises `PermissionDenied` (with a Chinese message) when the user may not take
the step, `TransitionError` when the target or report is not in a state that allows it, and
`ValidationError` when what was submitted is incomplete. Nothing is written in those cases.
"""

import datetime
import hashlib
import mimetypes
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
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


def content_hash(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def stored_hash(item: Evidence) -> str:
    """An evidence row's content hash, worked out (and kept) for a row stored before hashes."""
    if not item.sha256:
        try:
            with item.file.open("rb") as handle:
                item.sha256 = content_hash(handle)
        except (FileNotFoundError, ValueError):
            return ""
        Evidence.objects.filter(pk=item.pk).update(sha256=item.sha256)
    return item.sha256


def _store_evidence(user, uploads, existing, **owner) -> list[Evidence]:
    """Stores each upload whose content is not already among `existing` (nor earlier in
    `uploads`): a file sent again with a revised report, under whatever name, is listed once."""
    for upload in uploads:
        check_evidence(upload)
    seen = {stored_hash(item) for item in existing} - {""}
    stored = []
    for upload in uploads:
        digest = content_hash(upload)
        if digest in seen:
            continue
        seen.add(digest)
        name = PurePath(upload.name).name
        stored.append(
            Evidence.objects.create(
                file=File(upload, name=name),
                name=name,
                size=upload.size,
                sha256=digest,
                content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
                uploaded_by=user,
                **owner,
            )
        )
    return stored


def attach_evidence(user, report: ProgressReport, uploads) -> list[Evidence]:
    return _store_evidence(user, uploads, report.evidence.all(), report=report)


def attach_closing_evidence(user, target: Target, uploads) -> list[Evidence]:
    return _store_evidence(
        user, uploads, target.evidence_files.filter(report__isnull=True), target=target
    )


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


def last_accepted_report(target: Target) -> ProgressReport | None:
    """The latest report the office accepted (the unit's own or a document's answer): the
    newest period, then the newest review."""
    return (
        target.reports.filter(review_state=ProgressReport.Review.ACCEPTED)
        .exclude(status_text=CLOSING_STATUS, source_document__isnull=True)
        .order_by("-period", "-reviewed_at", "-created_at", "-pk")
        .first()
    )


def closing_needs_confirmation(target: Target) -> bool:
    """Whether the last accepted report says 未完成: closing then asks for a confirmation and
    a reason."""
    last = last_accepted_report(target)
    return last is not None and last.is_complete is False


INCOMPLETE_CONFIRMATION = "最近一次审核通过的报送为“未完成”，办结前请勾选确认并填写办结理由"


@transaction.atomic
def close(
    user,
    target: Target,
    *,
    note: str,
    uploads=(),
    confirm_incomplete: bool = False,
    reason: str = "",
):
    """办结销号, with the office's closing note and evidence kept on the target itself: closing
    never writes a report in the unit's name. When the last accepted report says 未完成,
    the office confirms and gives its reason."""
    _require(permissions.can_supervise(user, target), "只有督查员可以办结目标")
    if target.state != Target.State.IN_PROGRESS:
        raise TransitionError(f"目标当前为“{target.get_state_display()}”，不能办结销号")
    lock_target(target)
    errors = {}
    if not note.strip():
        errors["note"] = "请填写办结说明"
    reason = reason.strip()
    if closing_needs_confirmation(target):
        if not confirm_incomplete:
            errors["confirm_incomplete"] = INCOMPLETE_CONFIRMATION
        elif not reason:
            errors["reason"] = "请填写未完成即办结的理由"
    else:
        reason = ""
    for upload in uploads:
        check_evidence(upload)
    if errors:
        raise ValidationError(errors)
    target.close(note=note.strip(), reason=reason, user=user)
    attach_closing_evidence(user, target, uploads)
    because = f"（未完成即办结，理由：{reason}）" if reason else ""
    notify_and_email(
        unit_reporters_of(target),
        target,
        Notification.Kind.CLOSED,
        f"目标已办结：“{target}”已办结销号。办结说明：{note.strip()}{because}",
        key=f"closed:{target.pk}:{target.closed_at:%Y%m%d%H%M%S%f}",
        actor=user,
    )


def carry_over(user, target: Target) -> Target:
    _require(permissions.can_supervise(user, target), "只有督查员可以结转目标")
    return target.carry_over()


@transaction.atomic
def chase(user, target: Target, message: str = "") -> list[Notification]:
    """催办 by hand: a notification (and e-mail) to the lead unit's reporters now, and a
    message to its group robots, posted once the step has committed (outside the request)."""
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


# --- decomposition (任务分解) ----------------------------------------------------------------

MAX_SUB_TARGETS = 50
SPLITTABLE = {Target.State.APPROVED, Target.State.ASSIGNED, Target.State.IN_PROGRESS}


def check_splittable(target: Target) -> None:
    if target.state == Target.State.REGISTERED:
        raise TransitionError("目标当前为“待审核”，审核通过后才能分解")
    if target.state not in SPLITTABLE:
        raise TransitionError(f"目标当前为“{target.get_state_display()}”，不能分解")


def _check_sub_target(parent: Target, n: int, row: dict) -> list[str]:
    """What is missing or wrong in one row of a split, each message naming its row."""
    found = []
    if not (row.get("text") or "").strip():
        found.append("请填写子目标内容")
    unit = row.get("lead_unit")
    if unit is None:
        found.append("请选择牵头单位")
    elif not unit.is_active:
        found.append(f"牵头单位“{unit}”已停用")
    deadline, text = row.get("deadline"), (row.get("deadline_text") or "").strip()
    if deadline is None and not text:
        found.append("请填写完成时限")
    elif deadline is not None and parent.deadline is not None and deadline > parent.deadline:
        found.append(f"完成时限不能晚于上级目标的完成时限（{parent.deadline:%Y年%m月%d日}）")
    periods = set()
    for period, text_ in row.get("milestones") or ():
        try:
            Period.parse(period)
        except ValueError as exc:
            found.append(f"阶段目标：{exc}")
            continue
        if period in periods:
            found.append(f"阶段目标的期次 {period} 重复")
        periods.add(period)
        if not (text_ or "").strip():
            found.append(f"请填写 {period} 的阶段目标内容")
    return [f"第{n}个子目标：{message}" for message in found]


@transaction.atomic
def split(user, target: Target, rows: list[dict]) -> list[Target]:
    """任务分解: several sub-targets of `target` at once, each with its own text, lead unit,
    deadline and milestones, each then assigned through the loop to its own unit. Each row is
    a dict of text, lead_unit, deadline and/or deadline_text, and milestones
    [(period, text)] (none: the quarters to its deadline, as `assign` makes them). All rows
    or none are stored."""
    _require(permissions.can_supervise(user, target), "只有督查员可以分解目标")
    lock_target(target)
    target.refresh_from_db()
    check_splittable(target)
    if not rows:
        raise ValidationError({"children": "请至少填写一个子目标"})
    if len(rows) > MAX_SUB_TARGETS:
        raise ValidationError({"children": f"一次最多分解 {MAX_SUB_TARGETS} 个子目标"})
    problems = [m for n, row in enumerate(rows, 1) for m in _check_sub_target(target, n, row)]
    if problems:
        raise ValidationError({"children": problems})
    already = target.children.filter(decomposed=True).count()
    created = []
    for n, row in enumerate(rows, already + 1):
        child = Target(
            year=target.year,
            number=f"{target.number}-{n}" if target.number else str(n),
            text=row["text"].strip(),
            source_category=target.source_category,
            source_label=target.source_label,
            category=target.category,
            parent=target,
            decomposed=True,
            leader=target.leader,
            state=Target.State.APPROVED,
        )
        child._audit_transition = f"由上级目标“{target}”分解产生"
        child.save()
        for period, text in row.get("milestones") or ():
            Milestone.objects.create(target=child, period=period, text=text.strip())
        assign(
            user,
            child,
            lead_unit=row["lead_unit"],
            leader=target.leader,
            deadline=row.get("deadline"),
            deadline_text=(row.get("deadline_text") or "").strip() or None,
        )
        created.append(child)
    units = "、".join(dict.fromkeys(str(c.lead_unit) for c in created))
    record(
        target,
        "transition",
        after={"新增子目标": len(created)},
        summary=f"任务分解：新增子目标{len(created)}项（{units}）"[:200],
    )
    return created


# --- publishing (公开承诺事项) ----------------------------------------------------------------


@transaction.atomic
def publish(user, target: Target) -> Target:
    """Puts a target on the public page (不登录可查看), by an explicit step of the office."""
    _require(permissions.can_supervise(user, target), "只有督查员可以发布公开事项")
    if target.published_at is not None:
        raise TransitionError("该事项已发布到公开页面")
    target.is_public = True
    target.published_at = timezone.now()
    target._audit_transition = "发布到公开页面"
    target.save()
    return target


@transaction.atomic
def unpublish(user, target: Target) -> Target:
    """Takes a target off the public page; it stays marked as a public commitment."""
    _require(permissions.can_supervise(user, target), "只有督查员可以撤回公开事项")
    if target.published_at is None:
        raise TransitionError("该事项尚未发布到公开页面")
    target.published_at = None
    target._audit_transition = "撤回公开发布"
    target.save()
    return target
