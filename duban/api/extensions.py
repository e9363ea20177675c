"""Deadline extensions (延期申请) and leaders' instructions (领导批示) over the API, with the
permissions and refusals of the pages (see `duban.supervision.extensions`)."""

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Schema
from pydantic import Field

from duban.organisations.models import Person
from duban.supervision import extensions
from duban.supervision.models import DeadlineExtension, Instruction

from .api import refusals, target_out, visible_target, visible_targets
from .auth import CallerRouter
from .schemas import Id, Input, PersonRef, TargetOut, UnitRef, _name, _text

router = CallerRouter()


# --- schemas ------------------------------------------------------------------------------


class ExtensionOut(Schema):
    id: int
    target_id: int
    unit: UnitRef | None
    old_deadline: datetime.date = Field(description="申请时的完成时限")
    old_deadline_text: str
    requested_deadline: datetime.date = Field(description="申请延至")
    reason: str
    state: str = Field(
        description="pending 待审核 / awaiting_leader 待领导审批 / approved 已批准 / "
        "refused 未批准 / withdrawn 已撤回"
    )
    state_label: str
    needs_leader: bool = Field(description="督查室审核同意后须分管领导审批")
    requested_by: str
    requested_at: datetime.datetime
    office_by: str
    office_at: datetime.datetime | None
    office_comment: str
    leader_by: str
    leader_at: datetime.datetime | None
    leader_comment: str
    decided_at: datetime.datetime | None

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()

    @staticmethod
    def resolve_requested_by(obj):
        return _name(obj.requested_by)

    @staticmethod
    def resolve_office_by(obj):
        return _name(obj.office_by)

    @staticmethod
    def resolve_leader_by(obj):
        return _name(obj.leader_by)


class ExtensionIn(Input):
    requested_deadline: datetime.date | None = Field(None, description="申请延至（必填）")
    reason: _text(2000) = Field("", description="延期理由（必填）")


class DecisionIn(Input):
    decision: Literal["approve", "refuse"] = Field(description="approve 同意 / refuse 不同意")
    comment: _text(2000) = Field("", description="意见；不同意时必填")


class InstructionOut(Schema):
    id: int
    target_id: int
    leader: PersonRef
    text: str
    origin: str = Field(description="online 在线批示 / document 批示件登记")
    origin_label: str
    created_by: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_origin_label(obj):
        return obj.get_origin_display()

    @staticmethod
    def resolve_created_by(obj):
        return _name(obj.created_by)


class InstructionIn(Input):
    text: _text(2000) = Field("", description="批示内容（必填）")


class InstructionDocumentIn(Input):
    year: int | None = Field(None, ge=1990, le=2100, description="年度（必填）")
    leader: Id | None = Field(None, description="批示领导编号（必填）")
    instruction: _text(2000) = Field("", description="批示内容（必填）")
    deadline: datetime.date | None = Field(None, description="完成时限（必填）")
    text: str = Field("", description="办理事项；不填则以批示内容作为目标内容")
    title: _text(300) = ""
    number: _text(30) = ""
    source_label: _text(100) = Field("", description="批示件文号或名称")


# --- endpoints ----------------------------------------------------------------------------


EXTENSION_NOT_FOUND = "没有找到这个延期申请，或您无权查看"


def _extensions():
    return DeadlineExtension.objects.select_related(
        "unit", "requested_by", "office_by", "leader_by", "target"
    )


def visible_extension(request, extension_id: int) -> DeadlineExtension:
    extension = _extensions().filter(pk=extension_id, target__in=visible_targets(request)).first()
    if extension is None:
        raise Http404(EXTENSION_NOT_FOUND)
    return extension


@router.get(
    "/targets/{target_id}/extensions",
    response=list[ExtensionOut],
    tags=["延期申请"],
    summary="目标的延期申请",
    openapi_extra=refusals(404),
)
def target_extensions(request, target_id: int):
    target = visible_target(request, target_id)
    return _extensions().filter(target=target)


@router.post(
    "/targets/{target_id}/extensions",
    response={201: ExtensionOut},
    tags=["延期申请"],
    summary="申请延期（牵头单位，须在完成时限前）",
    openapi_extra=refusals(400, 403, 404, 409),
)
def request_extension(request, target_id: int, payload: ExtensionIn):
    target = visible_target(request, target_id)
    extension = extensions.request_extension(
        request.auth,
        target,
        requested_deadline=payload.requested_deadline,
        reason=payload.reason,
    )
    return visible_extension(request, extension.pk)


@router.get(
    "/extensions/{extension_id}",
    response=ExtensionOut,
    tags=["延期申请"],
    summary="一份延期申请",
    openapi_extra=refusals(404),
)
def read_extension(request, extension_id: int):
    return visible_extension(request, extension_id)


@router.post(
    "/extensions/{extension_id}/decision",
    response=ExtensionOut,
    tags=["延期申请"],
    summary="审批延期申请：督查员审核待审核的申请，分管领导审批待领导审批的申请",
    openapi_extra=refusals(400, 403, 404, 409),
)
def decide_extension(request, extension_id: int, payload: DecisionIn):
    extension = visible_extension(request, extension_id)
    extensions.decide_extension(
        request.auth,
        extension,
        approve=payload.decision == "approve",
        comment=payload.comment,
    )
    return visible_extension(request, extension_id)


@router.post(
    "/extensions/{extension_id}/withdraw",
    response=ExtensionOut,
    tags=["延期申请"],
    summary="撤回延期申请（提出申请的单位，审批前）",
    openapi_extra=refusals(403, 404, 409),
)
def withdraw_extension(request, extension_id: int):
    extensions.withdraw_extension(request.auth, visible_extension(request, extension_id))
    return visible_extension(request, extension_id)


@router.get(
    "/targets/{target_id}/instructions",
    response=list[InstructionOut],
    tags=["领导批示"],
    summary="目标的领导批示",
    openapi_extra=refusals(404),
)
def target_instructions(request, target_id: int):
    target = visible_target(request, target_id)
    return Instruction.objects.filter(target=target).select_related("leader", "created_by")


@router.post(
    "/targets/{target_id}/instructions",
    response={201: InstructionOut},
    tags=["领导批示"],
    summary="作出批示（该目标的分管领导）",
    openapi_extra=refusals(400, 403, 404, 409),
)
def give_instruction(request, target_id: int, payload: InstructionIn):
    target = visible_target(request, target_id)
    return extensions.give_instruction(request.auth, target, text=payload.text)


@router.post(
    "/instruction-documents",
    response={201: TargetOut},
    tags=["领导批示"],
    summary="登记批示件为新的目标任务（督查员），来源为领导批示",
    openapi_extra=refusals(400, 403),
)
def register_instruction_document(request, payload: InstructionDocumentIn):
    leader = None
    if payload.leader is not None:
        leader = Person.objects.filter(pk=payload.leader).first()
        if leader is None:
            raise ValidationError({"leader": f"分管领导 {payload.leader} 不存在"})
    target = extensions.register_instruction_document(
        request.auth,
        year=payload.year,
        leader=leader,
        instruction=payload.instruction,
        deadline=payload.deadline,
        text=payload.text,
        title=payload.title,
        number=payload.number,
        source_label=payload.source_label,
    )
    return target_out(request, target.pk)
