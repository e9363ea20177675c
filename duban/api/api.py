"""The endpoints. Each one finds the object among those the caller may see (404 otherwise,
the same answer as for an id that does not exist), then hands the step to
`duban.supervision.actions`, where the rules of the loop live."""

import math

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from ninja import File, NinjaAPI, Query
from ninja.files import UploadedFile
from ninja.renderers import JSONRenderer

from duban.audit.models import AuditEvent
from duban.organisations.models import Organisation, Person, is_office_staff, person_of
from duban.supervision import actions
from duban.supervision.evidence import evidence_download
from duban.supervision.models import Contribution
from duban.targets.models import Evidence, Indicator, Milestone, ProgressReport, Target

from . import errors
from .auth import CallerRouter, SessionAuth, TokenAuth
from .docs import OfflineSwagger
from .schemas import (
    AcceptIn,
    AssignIn,
    AuditEventOut,
    ChaseIn,
    ChaseOut,
    CloseIn,
    ContributionIn,
    ContributionOut,
    ErrorOut,
    EvidenceOut,
    IndicatorOut,
    MeOut,
    MilestoneFilters,
    MilestoneOut,
    MilestonePage,
    MilestonePatch,
    PersonRef,
    ReportIn,
    ReportOut,
    ReportPatch,
    ReturnIn,
    SplitIn,
    TargetDetailOut,
    TargetFilters,
    TargetIn,
    TargetOut,
    TargetPage,
    TargetPatch,
    UnitRef,
)


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Chinese as written, not as \u escapes


api = NinjaAPI(
    title="督办 API",
    version="1",
    description=(
        "目标任务、阶段目标、进展报送与督办流程的 JSON 接口。认证方式：个人 API 令牌"
        "（`Authorization: Bearer <令牌>`，由 `duban apitoken create 账号` 生成），"
        "或网页登录会话（修改数据时须附 `X-CSRFToken` 请求头）。权限与网页相同。"
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs=OfflineSwagger(),
    renderer=Renderer(),
)
errors.install(api)
router = CallerRouter()

TARGET_NOT_FOUND = "没有找到这个目标任务，或您无权查看"
REPORT_NOT_FOUND = "没有找到这个报送，或您无权查看"


def refusals(*codes):
    """The error answers an endpoint may give, for the OpenAPI schema."""
    reasons = {
        400: "信息不完整或有误",
        401: "未登录或令牌无效",
        403: "无权操作",
        404: "不存在或无权查看",
        409: "当前状态不允许，或已被他人修改",
    }
    schema = ErrorOut.model_json_schema()
    return {
        "responses": {
            code: {
                "description": reasons[code],
                "content": {"application/json": {"schema": schema}},
            }
            for code in sorted({401, *codes})
        }
    }


# --- looking things up among what the caller may see ------------------------------------


def visible_targets(request):
    return Target.objects.visible_to(request.auth)


def visible_target(request, target_id: int) -> Target:
    target = visible_targets(request).filter(pk=target_id).first()
    if target is None:
        raise Http404(TARGET_NOT_FOUND)
    return target


def target_out(request, target_id: int) -> Target:
    target = (
        visible_targets(request)
        .with_lights()
        .select_related("lead_unit", "leader")
        .prefetch_related("co_units")
        .filter(pk=target_id)
        .first()
    )
    if target is None:
        raise Http404(TARGET_NOT_FOUND)
    return target


def reports_of(queryset):
    return queryset.select_related("unit", "submitted_by", "reviewed_by").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by"))
    )


def visible_report(request, report_id: int) -> ProgressReport:
    report = (
        reports_of(ProgressReport.objects.select_related("target"))
        .filter(pk=report_id, target__in=visible_targets(request))
        .first()
    )
    if report is None:
        raise Http404(REPORT_NOT_FOUND)
    return report


def page_of(queryset, page: int, page_size: int) -> dict:
    count = queryset.count()
    start = (page - 1) * page_size
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "pages": math.ceil(count / page_size),
        "items": list(queryset[start : start + page_size]),
    }


def _unit(unit_id: int, field: str) -> Organisation:
    unit = Organisation.objects.filter(pk=unit_id, is_active=True).first()
    if unit is None:
        raise ValidationError({field: f"单位 {unit_id} 不存在或已停用"})
    return unit


# --- who am I, and the lists a client needs to fill in a form ----------------------------


@router.get("/me", response=MeOut, tags=["参考"], summary="当前调用者", openapi_extra=refusals())
def me(request):
    user = request.auth
    person = person_of(user)
    role = person.role if person else None
    return {
        "username": user.get_username(),
        "name": person.name if person else (user.get_full_name() or user.get_username()),
        "role": role,
        "role_label": person.get_role_display() if person else "",
        "is_office_staff": is_office_staff(user),
        "unit": person.organisation if person else None,
    }


@router.get(
    "/units", response=list[UnitRef], tags=["参考"], summary="单位列表", openapi_extra=refusals()
)
def units(request):
    return Organisation.objects.filter(is_active=True)


@router.get(
    "/leaders",
    response=list[PersonRef],
    tags=["参考"],
    summary="分管领导列表",
    openapi_extra=refusals(),
)
def leaders(request):
    return Person.objects.filter(role=Person.Role.LEADER, is_active=True)


# --- targets -----------------------------------------------------------------------------


@router.get(
    "/targets",
    response=TargetPage,
    tags=["目标任务"],
    summary="目标任务列表（仅本人可见的）",
    openapi_extra=refusals(400),
)
def list_targets(request, filters: Query[TargetFilters]):
    targets = filters.apply(visible_targets(request).with_lights())
    targets = targets.select_related("lead_unit", "leader").prefetch_related("co_units")
    return page_of(targets, filters.page, filters.page_size)


@router.post(
    "/targets",
    response={201: TargetOut},
    tags=["目标任务"],
    summary="登记目标（督查员）",
    openapi_extra=refusals(400, 403),
)
def register_target(request, payload: TargetIn):
    fields = payload.model_dump(exclude={"parent_id"})
    fields["parent"] = _parent(payload.parent_id)
    target = actions.register(request.auth, **fields)
    return target_out(request, target.pk)


def _parent(parent_id):
    if parent_id is None:
        return None
    parent = Target.objects.filter(pk=parent_id).first()
    if parent is None:
        raise ValidationError({"parent_id": f"上级目标 {parent_id} 不存在"})
    return parent


@router.get(
    "/targets/{target_id}",
    response=TargetDetailOut,
    tags=["目标任务"],
    summary="目标任务详情",
    openapi_extra=refusals(404),
)
def read_target(request, target_id: int):
    return target_out(request, target_id)


@router.patch(
    "/targets/{target_id}",
    response=TargetOut,
    tags=["目标任务"],
    summary="更正目标信息（督查员，留痕）",
    openapi_extra=refusals(400, 403, 404),
)
def update_target(request, target_id: int, payload: TargetPatch):
    target = visible_target(request, target_id)
    changes = payload.model_dump(exclude_unset=True)
    if "parent_id" in changes:
        changes["parent"] = _parent(changes.pop("parent_id"))
    actions.update_target(request.auth, target, **changes)
    return target_out(request, target_id)


@router.get(
    "/targets/{target_id}/milestones",
    response=list[MilestoneOut],
    tags=["阶段目标"],
    summary="目标的阶段目标",
    openapi_extra=refusals(404),
)
def target_milestones(request, target_id: int):
    return visible_target(request, target_id).milestones.all()


@router.get(
    "/targets/{target_id}/reports",
    response=list[ReportOut],
    tags=["进展报送"],
    summary="目标的进展报送（含佐证材料）",
    openapi_extra=refusals(404),
)
def target_reports(request, target_id: int):
    target = visible_target(request, target_id)
    return reports_of(target.reports.order_by("-period", "-created_at"))


@router.get(
    "/targets/{target_id}/indicators",
    response=list[IndicatorOut],
    tags=["目标任务"],
    summary="目标的量化指标",
    openapi_extra=refusals(404),
)
def target_indicators(request, target_id: int):
    return Indicator.objects.filter(target=visible_target(request, target_id))


@router.get(
    "/targets/{target_id}/timeline",
    response=list[AuditEventOut],
    tags=["目标任务"],
    summary="目标的留痕记录",
    openapi_extra=refusals(404),
)
def target_timeline(request, target_id: int):
    target = visible_target(request, target_id)
    return AuditEvent.objects.for_target(target.pk).select_related(
        "object_type", "actor__person__organisation"
    )


@router.get(
    "/targets/{target_id}/contributions",
    response=list[ContributionOut],
    tags=["进展报送"],
    summary="协办单位填报的协办情况",
    openapi_extra=refusals(404),
)
def target_contributions(request, target_id: int):
    target = visible_target(request, target_id)
    return Contribution.objects.filter(target=target).select_related("unit", "created_by")


# --- the loop ----------------------------------------------------------------------------


@router.post(
    "/targets/{target_id}/approve",
    response=TargetOut,
    tags=["督办流程"],
    summary="审核通过（督查员）",
    openapi_extra=refusals(403, 404, 409),
)
def approve(request, target_id: int):
    actions.approve(request.auth, visible_target(request, target_id))
    return target_out(request, target_id)


@router.post(
    "/targets/{target_id}/assign",
    response=TargetOut,
    tags=["督办流程"],
    summary="交办（督查员）",
    openapi_extra=refusals(400, 403, 404, 409),
)
def assign(request, target_id: int, payload: AssignIn):
    """The deadline may be left out if the target already has one."""
    actions.assign(
        request.auth,
        visible_target(request, target_id),
        lead_unit=_unit(payload.lead_unit, "lead_unit"),
        co_units=[_unit(pk, "co_units") for pk in dict.fromkeys(payload.co_units)],
        leader=_leader(payload.leader),
        deadline=payload.deadline,
        deadline_text=payload.deadline_text,
    )
    return target_out(request, target_id)


def _leader(person_id):
    if person_id is None:
        return None
    leader = Person.objects.filter(pk=person_id, role=Person.Role.LEADER, is_active=True).first()
    if leader is None:
        raise ValidationError({"leader": f"分管领导 {person_id} 不存在或已不在岗"})
    return leader


@router.post(
    "/targets/{target_id}/acknowledge",
    response=TargetOut,
    tags=["督办流程"],
    summary="签收（牵头单位）",
    openapi_extra=refusals(403, 404, 409),
)
def acknowledge(request, target_id: int):
    actions.acknowledge(request.auth, visible_target(request, target_id))
    return target_out(request, target_id)


@router.post(
    "/targets/{target_id}/close",
    response=TargetOut,
    tags=["督办流程"],
    summary="办结销号（督查员）",
    openapi_extra=refusals(400, 403, 404, 409),
)
def close(request, target_id: int, payload: CloseIn):
    """When the last accepted report says 未完成, `confirm_incomplete` and a `reason` are
    required. Closing writes no report in the unit's name: the note is the target's own."""
    actions.close(
        request.auth,
        visible_target(request, target_id),
        note=payload.note,
        confirm_incomplete=payload.confirm_incomplete,
        reason=payload.reason,
    )
    return target_out(request, target_id)


@router.post(
    "/targets/{target_id}/split",
    response={201: list[TargetOut]},
    tags=["督办流程"],
    summary="任务分解（督查员）：新增若干子目标，各自交办给其牵头单位；返回新的子目标",
    openapi_extra=refusals(400, 403, 404, 409),
)
def split(request, target_id: int, payload: SplitIn):
    target = visible_target(request, target_id)
    rows = []
    for n, row in enumerate(payload.children, 1):
        unit = None
        if row.lead_unit is not None:
            unit = Organisation.objects.filter(pk=row.lead_unit).first()
            if unit is None:
                raise ValidationError(
                    {"children": f"第{n}个子目标：牵头单位 {row.lead_unit} 不存在"}
                )
        rows.append(
            {
                "text": row.text,
                "lead_unit": unit,
                "deadline": row.deadline,
                "deadline_text": row.deadline_text,
                "milestones": [(m.period, m.text) for m in row.milestones],
            }
        )
    created = actions.split(request.auth, target, rows)
    return [target_out(request, child.pk) for child in created]


@router.post(
    "/targets/{target_id}/publish",
    response=TargetOut,
    tags=["督办流程"],
    summary="发布到公开页面（督查员，留痕）",
    openapi_extra=refusals(403, 404, 409),
)
def publish(request, target_id: int):
    actions.publish(request.auth, visible_target(request, target_id))
    return target_out(request, target_id)


@router.post(
    "/targets/{target_id}/unpublish",
    response=TargetOut,
    tags=["督办流程"],
    summary="撤回公开发布（督查员，留痕）",
    openapi_extra=refusals(403, 404, 409),
)
def unpublish(request, target_id: int):
    actions.unpublish(request.auth, visible_target(request, target_id))
    return target_out(request, target_id)


@router.post(
    "/targets/{target_id}/carry-over",
    response={201: TargetOut},
    tags=["督办流程"],
    summary="结转到下一年度（督查员）；返回新年度的目标",
    openapi_extra=refusals(403, 404, 409),
)
def carry_over(request, target_id: int):
    successor = actions.carry_over(request.auth, visible_target(request, target_id))
    return target_out(request, successor.pk)


@router.post(
    "/targets/{target_id}/chase",
    response=ChaseOut,
    tags=["督办流程"],
    summary="催办（督查员）",
    openapi_extra=refusals(400, 403, 404, 409),
)
def chase(request, target_id: int, payload: ChaseIn):
    sent = actions.chase(request.auth, visible_target(request, target_id), payload.message)
    detail = f"已催办，通知 {len(sent)} 人" if sent else "已催办，但牵头单位暂无可接收通知的账号"
    return {"notified": len(sent), "detail": detail}


@router.post(
    "/targets/{target_id}/reports",
    response={201: ReportOut},
    tags=["进展报送"],
    summary="填写本期进展（牵头单位）：报送或存草稿",
    openapi_extra=refusals(400, 403, 404, 409),
)
def create_report(request, target_id: int, payload: ReportIn):
    target = visible_target(request, target_id)
    report = actions.start_report(request.auth, target, **payload.model_dump())
    return visible_report(request, report.pk)


@router.post(
    "/targets/{target_id}/contributions",
    response={201: ContributionOut},
    tags=["进展报送"],
    summary="填报协办情况（协办单位）",
    openapi_extra=refusals(400, 403, 404, 409),
)
def contribute(request, target_id: int, payload: ContributionIn):
    target = visible_target(request, target_id)
    return actions.contribute(request.auth, target, period=payload.period, text=payload.text)


# --- reports -----------------------------------------------------------------------------


@router.get(
    "/reports/{report_id}",
    response=ReportOut,
    tags=["进展报送"],
    summary="一份进展报送",
    openapi_extra=refusals(404),
)
def read_report(request, report_id: int):
    return visible_report(request, report_id)


@router.patch(
    "/reports/{report_id}",
    response=ReportOut,
    tags=["进展报送"],
    summary="修改草稿或被退回的报送（牵头单位），须带回 version",
    openapi_extra=refusals(400, 403, 404, 409),
)
def revise_report(request, report_id: int, payload: ReportPatch):
    report = visible_report(request, report_id)
    fields = payload.model_dump(exclude_unset=True, exclude={"version", "submit"})
    actions.revise_report(
        request.auth, report, expected_version=payload.version, submit=payload.submit, **fields
    )
    return visible_report(request, report_id)


@router.post(
    "/reports/{report_id}/accept",
    response=ReportOut,
    tags=["进展报送"],
    summary="审核通过报送（督查员）",
    openapi_extra=refusals(400, 403, 404, 409),
)
def accept_report(request, report_id: int, payload: AcceptIn):
    actions.accept(request.auth, visible_report(request, report_id), payload.comment)
    return visible_report(request, report_id)


@router.post(
    "/reports/{report_id}/return",
    response=ReportOut,
    tags=["进展报送"],
    summary="退回报送（督查员，须填退回意见）",
    openapi_extra=refusals(400, 403, 404, 409),
)
def return_report(request, report_id: int, payload: ReturnIn):
    actions.return_report(request.auth, visible_report(request, report_id), payload.comment)
    return visible_report(request, report_id)


@router.post(
    "/reports/{report_id}/evidence",
    response={201: list[EvidenceOut]},
    tags=["进展报送"],
    summary="上传佐证材料（牵头单位，multipart 字段 files，可多个）",
    openapi_extra=refusals(400, 403, 404, 409),
)
def upload_evidence(request, report_id: int, files: File[list[UploadedFile]]):
    report = visible_report(request, report_id)
    return actions.add_evidence(request.auth, report, files)


@router.get(
    "/evidence/{evidence_id}/download",
    tags=["进展报送"],
    summary="下载佐证材料",
    url_name="evidence_download",
    openapi_extra=refusals(404),
)
def download_evidence(request, evidence_id: int):
    return evidence_download(request.auth, evidence_id)


# --- milestones --------------------------------------------------------------------------


@router.get(
    "/milestones",
    response=MilestonePage,
    tags=["阶段目标"],
    summary="阶段目标列表（可按目标筛选）",
    openapi_extra=refusals(400, 404),
)
def list_milestones(request, filters: Query[MilestoneFilters]):
    if filters.target is not None:
        milestones = visible_target(request, filters.target).milestones.all()
    else:
        milestones = Milestone.objects.filter(target__in=visible_targets(request))
    return page_of(milestones.order_by("target_id", "period"), filters.page, filters.page_size)


@router.patch(
    "/milestones/{milestone_id}",
    response=MilestoneOut,
    tags=["阶段目标"],
    summary="修改阶段目标的内容或截止日期（督查员）",
    openapi_extra=refusals(400, 403, 404),
)
def update_milestone(request, milestone_id: int, payload: MilestonePatch):
    milestone = (
        Milestone.objects.select_related("target")
        .filter(pk=milestone_id, target__in=visible_targets(request))
        .first()
    )
    if milestone is None:
        raise Http404("没有找到这个阶段目标，或您无权查看")
    actions.update_milestone(request.auth, milestone, **payload.model_dump(exclude_unset=True))
    return milestone


# --- anything else under /api/ -----------------------------------------------------------


@router.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
def unknown(request, rest: str):
    raise Http404(f"没有这个接口：{request.path}")


# Deadline extensions and leaders' instructions, and the units' group robots: their own
# modules, mounted before the router above so that its catch-all answers only what none knows.
from .channels import router as channel_router  # noqa: E402
from .extensions import router as extension_router  # noqa: E402

api.add_router("", extension_router)
api.add_router("", channel_router)
api.add_router("", router)
