"""Deadline extensions (延期申请) and leaders' instructions (领导批示), for the pages and the API
alike. Like `actions.py`, every function raises `PermissionDenied` (403) when the user may not
take the step, `TransitionError` (409) when the target or request is not in a state that
allows it, and `ValidationError` (400) when what was sent is incomplete; nothing is written in
those cases.

An extension goes:

  the lead unit asks (待审核)          before the deadline passes, with a reason and a later date;
                                      one open request per target
  office staff review it              refuse (未批准, with a reason), or approve: final when the
                                      office's rule does not ask for the leader, else 待领导审批
  the leader in charge decides        approve (已批准) or refuse (未批准, with a reason)

Until it is decided, the unit that asked may withdraw it (已撤回); nothing else changes.

The rule: settings.DUBAN_EXTENSION_LEADER_APPROVAL (on by default) asks for the approval of the
target's leader in charge (Target.leader) whenever the target has one; a target without a leader
is decided by the office. A leader without an account of their own cannot sign in: office staff
then record the leader's decision for them, and the trail says so.

Only an approved request changes the target: its deadline becomes the approved date (the
deadline's wording, which would otherwise still be printed, is cleared; the trail keeps it), its
extension count goes up by one, sub-targets that shared its old deadline follow, and so do
milestones that were due on it (earlier milestones keep their dates: MILESTONE_RULE). Lights and
reminders follow the deadline by themselves (a reminder is keyed by the date it is about). A
refused request leaves everything as it was. Each decision is claimed by one conditional UPDATE,
so two clicks on 同意 make one decision; the second is told it was already decided.

Notifications: a request goes to the office staff; a request waiting for the leader to the
leader; the outcome to the lead unit's reporters (and to the office when the leader decided).
An instruction goes to the lead unit's reporters and the office staff.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from duban.audit.readable import person_label
from duban.audit.recorder import record
from duban.organisations.models import Person, person_of
from duban.targets.models import SourceCategory, Target, TransitionError, format_deadline

from . import permissions
from .actions import lock_target
from .models import DeadlineExtension, Instruction, Notification
from .notifications import notify_and_email, office_staff, unit_reporters_of

REASON_MAX = 2000
MAX_YEARS_AHEAD = 5  # a date further off is a typing slip (2062 for 2026), not a plan
INSTRUCTION_MAX = 2000
EXTENDABLE = (Target.State.ASSIGNED, Target.State.IN_PROGRESS)
State = DeadlineExtension.State
STATE_LABEL = str(DeadlineExtension._meta.get_field("state").verbose_name)
OPEN_EXISTS = "该目标已有待审批的延期申请，请等待审批结果"


def _require(allowed: bool, message: str):
    if not allowed:
        raise PermissionDenied(message)


def _date(value: datetime.date | None) -> str:
    return f"{value:%Y年%m月%d日}" if value else "（未定）"


def leader_approval_needed(target: Target) -> bool:
    """Whether the office's rule asks the target's leader in charge to approve an extension."""
    return bool(settings.DUBAN_EXTENSION_LEADER_APPROVAL and target.leader_id)


def open_extension(target: Target) -> DeadlineExtension | None:
    return target.extensions.filter(state__in=DeadlineExtension.OPEN_STATES).first()


# --- asking -------------------------------------------------------------------------------


def check_extendable(target: Target, today=None) -> None:
    """Refuses (TransitionError) a request the target's state does not allow now: not being
    handled, no date to move, the deadline already passed, or a request already open."""
    today = today or timezone.localdate()
    if target.state not in EXTENDABLE:
        raise TransitionError(f"目标当前为“{target.get_state_display()}”，不能申请延期")
    if target.deadline is None:
        raise TransitionError("该目标没有确定的完成日期，无需申请延期")
    if target.deadline < today:
        raise TransitionError(
            f"完成时限（{_date(target.deadline)}）已过，不能再申请延期；请与督查室联系"
        )
    if open_extension(target) is not None:
        raise TransitionError(OPEN_EXISTS)


@transaction.atomic
def request_extension(
    user, target: Target, *, requested_deadline, reason: str, today=None
) -> DeadlineExtension:
    """The lead unit asks to move the deadline to `requested_deadline`, giving `reason`."""
    _require(permissions.is_lead_unit_user(user, target), "只有牵头单位可以申请延期")
    lock_target(target)  # a second request racing this one waits, then sees it
    target = Target.objects.get(pk=target.pk)
    today = today or timezone.localdate()
    check_extendable(target, today)
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "请填写延期理由"
    elif len(reason) > REASON_MAX:
        errors["reason"] = f"延期理由不能超过 {REASON_MAX} 字"
    if requested_deadline is None:
        errors["requested_deadline"] = "请填写申请延至的日期"
    elif requested_deadline <= target.deadline:
        errors["requested_deadline"] = (
            f"申请延至的日期须晚于现在的完成时限（{_date(target.deadline)}）"
        )
    elif requested_deadline.year > today.year + MAX_YEARS_AHEAD:
        errors["requested_deadline"] = f"申请延至的日期不能晚于{today.year + MAX_YEARS_AHEAD}年底"
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            extension = DeadlineExtension.objects.create(
                target=target,
                unit=target.lead_unit,
                old_deadline=target.deadline,
                old_deadline_text=target.deadline_text,
                requested_deadline=requested_deadline,
                reason=reason,
                requested_by=user,
            )
    except IntegrityError:
        raise TransitionError(OPEN_EXISTS) from None  # the database's one-open-request rule
    notify_and_email(
        office_staff(),
        target,
        Notification.Kind.EXTENSION,
        f"延期申请：{target.lead_unit}申请将“{target}”的完成时限由{_date(target.deadline)}"
        f"延至{_date(requested_deadline)}。理由：{reason}",
        key=f"extension:{extension.pk}",
        actor=user,
    )
    return extension


# --- deciding -----------------------------------------------------------------------------


@transaction.atomic
def decide_extension(
    user, extension: DeadlineExtension, *, approve: bool, comment: str = ""
) -> DeadlineExtension:
    """Office staff's review of a pending request, or the leader's decision on one waiting for
    them: approve, or refuse with a reason."""
    target = extension.target
    stage = extension.state
    if not permissions.can_decide_extension(user, extension):
        if stage == State.PENDING:
            raise PermissionDenied("只有督查员可以审核延期申请")
        if stage == State.AWAITING_LEADER:
            raise PermissionDenied("只有该目标的分管领导可以审批延期申请")
        if permissions.can_supervise(user, target) or permissions.is_leader_of(user, target):
            if stage == State.WITHDRAWN:
                raise TransitionError("该延期申请已由申请单位撤回，不能再审批")
            raise TransitionError(
                f"该延期申请已审批（{extension.get_state_display()}），不能再审批"
            )
        raise PermissionDenied("只有督查员或分管领导可以审批延期申请")
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": "不同意延期时请填写理由"})
    if len(comment) > REASON_MAX:
        raise ValidationError({"comment": f"意见不能超过 {REASON_MAX} 字"})
    lock_target(target)
    target = Target.objects.select_related("leader__user", "lead_unit").get(pk=target.pk)
    if approve and target.state == Target.State.CLOSED:
        raise TransitionError("目标已办结，不能再延期")

    now = timezone.now()
    by_leader = stage == State.AWAITING_LEADER
    if by_leader:
        fields = {"leader_by": user, "leader_at": now, "leader_comment": comment}
        new_state = State.APPROVED if approve else State.REFUSED
        proxy = not permissions.is_leader_of(user, target)
        who = "分管领导" + ("（领导无系统账号，由督查员代为登记）" if proxy else "")
        opinion_label = "领导意见"
        decider_label = "领导审批人"
    else:
        to_leader = approve and leader_approval_needed(target)
        fields = {
            "office_by": user,
            "office_at": now,
            "office_comment": comment,
            "needs_leader": to_leader,
        }
        new_state = (
            State.AWAITING_LEADER if to_leader else State.APPROVED if approve else State.REFUSED
        )
        who = "督查员"
        opinion_label = "审核意见"
        decider_label = "审核人"
    if new_state in (State.APPROVED, State.REFUSED):
        fields["decided_at"] = now
    # One conditional UPDATE claims the decision: a second click, or a second person deciding
    # the same request at the same moment, finds it no longer in the state it read.
    claimed = DeadlineExtension.objects.filter(pk=extension.pk, state=stage).update(
        state=new_state, **fields
    )
    if not claimed:
        raise TransitionError("该延期申请已由他人审批，请刷新页面查看结果")
    extension.refresh_from_db()
    verdict = {
        State.AWAITING_LEADER: "审核同意，报分管领导审批",
        State.APPROVED: "同意延期",
        State.REFUSED: "不同意延期",
    }[new_state]
    after = {STATE_LABEL: new_state.label, decider_label: person_label(user)}
    if comment:
        after[opinion_label] = comment
    record(
        extension,
        "transition",
        before={STATE_LABEL: State(stage).label},
        after=after,
        summary=f"{who}{verdict}",
    )
    if new_state == State.APPROVED:
        _extend(target, extension)
    _notify_decision(user, target, extension, comment, by_leader=by_leader)
    return extension


MILESTONE_RULE = (
    "延期获批后，截止日期与原完成时限相同的阶段目标随之延至新的完成时限；"
    "截止日期早于原完成时限的阶段目标不变。"
)


def _extend(target: Target, extension: DeadlineExtension):
    """Moves the target's deadline to the approved date; its sub-targets that shared the old
    deadline move with it, and so do the milestones of each that were due on it
    (MILESTONE_RULE: the last stage is the deadline itself; earlier stages keep their dates,
    the office set them for a reason)."""
    old = (target.deadline, target.deadline_text)
    new = extension.requested_deadline
    label = format_deadline(*old)
    target.deadline, target.deadline_text = new, ""
    target.extension_count += 1
    target._audit_transition = f"延期：完成时限由{label}延至{_date(new)}"
    target.save()
    _move_milestones(target, old[0], new)
    for child in target.children.exclude(state=Target.State.CLOSED).order_by("pk"):
        if (child.deadline, child.deadline_text) == old:
            child.deadline, child.deadline_text = new, ""
            child._audit_transition = f"延期：完成时限由{label}延至{_date(new)}（随上级目标）"
            child.save()
            _move_milestones(child, old[0], new)


def _move_milestones(target: Target, old: datetime.date, new: datetime.date) -> None:
    """The target's milestones due on the old deadline move to the new one, each in the
    trail (the target's timeline) with its old and new date."""
    for milestone in target.milestones.filter(due_date=old).order_by("period", "pk"):
        milestone.due_date = new
        milestone._audit_transition = f"随延期调整截止日期：由{_date(old)}延至{_date(new)}"
        milestone.save()


def _notify_decision(user, target, extension, comment, *, by_leader: bool):
    state = extension.state
    opinion = f"意见：{comment}" if comment else ""
    asked = f"“{target}”的延期申请（延至{_date(extension.requested_deadline)}）"
    if state == State.AWAITING_LEADER:
        leader_user = getattr(target.leader, "user", None) if target.leader_id else None
        if leader_user is not None and leader_user.is_active:
            notify_and_email(
                [leader_user],
                target,
                Notification.Kind.EXTENSION,
                f"延期申请待您审批：{target.lead_unit}申请将“{target}”的完成时限由"
                f"{_date(extension.old_deadline)}延至{_date(extension.requested_deadline)}，"
                f"理由：{extension.reason}。督查室已审核同意。{opinion}",
                key=f"extension-leader:{extension.pk}",
                actor=user,
            )
        return
    outcome = "已批准" if state == State.APPROVED else "未批准"
    recipients = unit_reporters_of(target)
    if by_leader:
        recipients += office_staff()
    notify_and_email(
        recipients,
        target,
        Notification.Kind.EXTENSION_DECIDED,
        f"延期申请{outcome}：{asked}{outcome}"
        + (f"，完成时限现为{_date(target.deadline)}。" if state == State.APPROVED else "。")
        + opinion,
        key=f"extension-decided:{extension.pk}",
        actor=user,
    )


# --- withdrawing ----------------------------------------------------------------------------

WITHDRAW_REFUSED = "只有提出申请的单位可以撤回延期申请"


@transaction.atomic
def withdraw_extension(user, extension: DeadlineExtension) -> DeadlineExtension:
    """The unit that asked withdraws its request while it is undecided (待审核 or 待领导审批):
    已撤回, the target as it was; the office (and the leader, when it was waiting for them)
    are told. Claimed by one conditional UPDATE, as a decision is: two clicks withdraw once,
    and a decision taken a moment before wins."""
    unit = permissions.unit_of(user)
    if unit is None or unit.pk != extension.unit_id:
        raise PermissionDenied(WITHDRAW_REFUSED)
    # The state as it is now (a decision waits for this lock, or this for it), not as the
    # caller read it: the trail records the stage it was withdrawn from.
    current = DeadlineExtension.objects.select_for_update().get(pk=extension.pk)
    stage = current.state
    if stage == State.WITHDRAWN:
        raise TransitionError("该延期申请已撤回，无需再次撤回")
    if stage not in DeadlineExtension.OPEN_STATES:
        raise TransitionError(f"该延期申请已审批（{current.get_state_display()}），不能撤回")
    # SQLite has no row locks: there the UPDATE's own check of the state decides.
    claimed = DeadlineExtension.objects.filter(pk=extension.pk, state=stage).update(
        state=State.WITHDRAWN, decided_at=timezone.now()
    )
    if not claimed:
        raise TransitionError("该延期申请刚刚已被审批或撤回，请刷新页面查看结果")
    extension.refresh_from_db()
    record(
        extension,
        "transition",
        before={STATE_LABEL: State(stage).label},
        after={STATE_LABEL: State.WITHDRAWN.label, "撤回人": person_label(user)},
        summary="申请单位撤回延期申请",
    )
    target = extension.target
    recipients = office_staff()
    if stage == State.AWAITING_LEADER and target.leader_id:
        leader_user = getattr(target.leader, "user", None)
        if leader_user is not None and leader_user.is_active:
            recipients.append(leader_user)
    notify_and_email(
        recipients,
        target,
        Notification.Kind.EXTENSION,
        f"延期申请已撤回：{extension.unit}撤回了“{target}”的延期申请"
        f"（原申请延至{_date(extension.requested_deadline)}），完成时限不变。",
        key=f"extension-withdrawn:{extension.pk}",
        actor=user,
    )
    return extension


# --- leaders' instructions ------------------------------------------------------------------


def _check_text(text: str, field: str = "text") -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: "请填写批示内容"})
    if len(text) > INSTRUCTION_MAX:
        raise ValidationError({field: f"批示内容不能超过 {INSTRUCTION_MAX} 字"})
    return text


@transaction.atomic
def give_instruction(user, target: Target, *, text: str) -> Instruction:
    """The leader in charge writes an instruction on the target; the lead unit and the office
    are told."""
    if not permissions.is_leader_of(user, target):
        raise PermissionDenied("只有该目标的分管领导可以作出批示")
    if target.state == Target.State.CLOSED:
        raise TransitionError("目标已办结，不能再批示")
    text = _check_text(text)
    instruction = Instruction.objects.create(
        target=target,
        leader=person_of(user),
        text=text,
        origin=Instruction.Origin.ONLINE,
        created_by=user,
    )
    notify_and_email(
        unit_reporters_of(target) + office_staff(),
        target,
        Notification.Kind.INSTRUCTION,
        f"领导批示：{instruction.leader.name}对“{target}”批示：{text}",
        key=f"instruction:{instruction.pk}",
        actor=user,
    )
    return instruction


@transaction.atomic
def register_instruction_document(
    user,
    *,
    year: int | None,
    leader: Person | None,
    instruction: str,
    deadline: datetime.date | None,
    text: str = "",
    title: str = "",
    number: str = "",
    source_label: str = "",
    today=None,
) -> Target:
    """Office staff register an instruction document (批示件) as a new target of source
    领导批示, with its leader, instruction and deadline; it then goes through the loop (审核,
    交办 …) like any target."""
    _require(permissions.can_supervise(user), "只有督查员可以登记批示件")
    today = today or timezone.localdate()
    errors = {}
    if year is None:
        errors["year"] = "请填写年度"
    elif not 1990 <= year <= 2100:
        errors["year"] = "年度应在 1990 到 2100 之间"
    if leader is None:
        errors["leader"] = "请选择批示领导"
    elif leader.role != Person.Role.LEADER or not leader.is_active:
        errors["leader"] = "所选人员不是在岗的分管领导"
    try:
        instruction = _check_text(instruction, "instruction")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if deadline is None:
        errors["deadline"] = "请填写完成时限"
    elif deadline < today:
        errors["deadline"] = "完成时限不能早于今天"
    if errors:
        raise ValidationError(errors)
    target = Target(
        year=year,
        number=number.strip(),
        title=title.strip(),
        text=(text or "").strip() or instruction,
        source_category=SourceCategory.INSTRUCTION,
        source_label=source_label.strip(),
        leader=leader,
        deadline=deadline,
    )
    target.full_clean(exclude=["search_text"])
    target._audit_transition = "登记批示件"
    target.save()
    Instruction.objects.create(
        target=target,
        leader=leader,
        text=instruction,
        origin=Instruction.Origin.DOCUMENT,
        created_by=user,
    )
    return target
