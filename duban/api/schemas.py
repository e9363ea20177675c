"""What goes in and out of the API, field by field. Choices are sent as their codes, with the
Chinese label beside them (`state` "in_progress", `state_label` "办理中")."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.urls import reverse
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, StringConstraints, model_validator

from duban.queries import MAX_ID
from duban.targets.lights import Light
from duban.targets.models import ROLLUP_RULE, SourceCategory, Target
from duban.targets.periods import Period, period_label

# --- common ------------------------------------------------------------------------------


def _period(value: str) -> str:
    try:
        return str(Period.parse(value))
    except ValueError:
        raise ValueError("期次格式应为 2022、2022-Q1、2022-H1 或 2022-M03") from None


def _no_nul_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError(NUL_REFUSED)
    return value


NUL_REFUSED = "不能包含空字符（\\x00）"
PeriodCode = Annotated[str, AfterValidator(_period)]
Required = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_no_nul_text)
]


def _text(max_length: int | None = None):
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_no_nul_text)]


# Every number a caller sends is checked into range before it reaches the database: an id
# beyond a 64-bit integer (MAX_ID) overflows SQLite (a 500), and a page beyond the last is no
# page.
MAX_PAGE = 1_000_000
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _nul_free(value):
    """Refuses a NUL character anywhere in what a caller sends: PostgreSQL cannot store it in
    text, so it is refused on every database alike."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError(NUL_REFUSED)
    elif isinstance(value, dict):
        for key, item in value.items():
            _nul_free(key)
            _nul_free(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _nul_free(item)
    return value


class Checked(Schema):
    """Query parameters and bodies: no NUL character in any text."""

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data):
        if isinstance(data, dict):
            _nul_free(data)
        elif hasattr(data, "__dict__"):  # ninja hands query parameters over as an object
            _nul_free({k: v for k, v in vars(data).items() if not k.startswith("_")})
        return data


class Input(Checked):
    """Unknown fields are refused, so a misspelt field is not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    detail: str = Field(description="原因（中文）")
    errors: dict[str, list[str]] | None = Field(None, description="逐字段的错误信息")


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


class UnitRef(Schema):
    id: int
    name: str
    short_name: str


class PersonRef(Schema):
    id: int
    name: str
    title: str


class MeOut(Schema):
    username: str
    name: str
    role: str | None = Field(description="office 督查员 / unit 单位填报员 / leader 分管领导")
    role_label: str
    is_office_staff: bool
    unit: UnitRef | None


# --- targets -----------------------------------------------------------------------------


class TargetOut(Schema):
    id: int
    year: int
    number: str
    title: str
    text: str
    source_category: str
    source_category_label: str
    source_label: str
    category: str
    parent_id: int | None
    deadline: datetime.date | None
    deadline_text: str
    deadline_label: str
    lead_unit: UnitRef | None
    co_units: list[UnitRef]
    leader: PersonRef | None
    benchmark: str
    is_public: bool = Field(description="公开承诺事项（发布后才在公开页面显示）")
    published_at: datetime.datetime | None = Field(description="发布到公开页面的时间；未发布为空")
    decomposed: bool = Field(description="由督查员分解产生的子目标（各自流转）")
    state: str
    state_label: str
    light: str = Field(description="green 绿灯 / yellow 黄灯 / red 红灯 / done 已办结")
    return_count: int
    extension_count: int = Field(description="经批准的延期次数")
    acknowledged_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    closing_note: str = Field(description="办结说明（督查室的办结记录）")
    closing_reason: str = Field(description="最近报送为“未完成”时办结的理由")
    created_at: datetime.datetime
    updated_at: datetime.datetime
    carried_from_id: int | None
    source_document_id: int | None
    span_start: int | None
    span_end: int | None
    url: str = Field(description="网页中的目标页面")

    @staticmethod
    def resolve_source_category_label(obj):
        return obj.get_source_category_display()

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()

    @staticmethod
    def resolve_co_units(obj):
        return [u for u in obj.co_units.all() if u.pk != obj.lead_unit_id]

    @staticmethod
    def resolve_light(obj):
        light = obj.light  # a list's annotation (with_lights) shadows the method
        return light if isinstance(light, str) else light()

    @staticmethod
    def resolve_url(obj):
        return reverse("targets:detail", args=[obj.pk])


class RollupOut(Schema):
    total: int = Field(description="分解子目标数")
    closed: int = Field(description="已办结的子目标数")
    complete: bool = Field(description="子目标是否全部办结")
    light: str = Field(description="汇总灯色：上级目标与各子目标中最严重者")
    rule: str = Field(description="汇总规则")


class TargetDetailOut(TargetOut):
    source_text: str = Field(description="目标在来源文件中的原文")
    rollup: RollupOut | None = Field(description="分解子目标的汇总；未分解为空")
    parent_text: str = Field(
        description="上级目标的内容（只读）；调用者看不到上级目标时也给出，以便了解背景"
    )

    @staticmethod
    def resolve_rollup(obj):
        rollup = obj.rollup()
        return {**rollup, "rule": ROLLUP_RULE} if rollup else None

    @staticmethod
    def resolve_parent_text(obj):
        return obj.parent.text if obj.parent_id else ""


class TargetPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[TargetOut]


class TargetFilters(Checked):
    year: int | None = Field(None, ge=1990, le=2100)
    source: SourceCategory | None = Field(None, description="任务来源")
    state: Target.State | None = Field(None, description="办理状态")
    unit: Id | None = Field(None, description="责任单位编号（牵头或协办）")
    leader: Id | None = Field(None, description="分管领导编号")
    light: Light | None = Field(None, description="红黄绿灯")
    category: _text(50) | None = Field(None, description="目标类别，如 重点目标")
    q: _text(100) | None = Field(None, description="关键词，空格分隔，须全部出现")
    extended: bool | None = Field(None, description="true 有延期 / false 未延期")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(50, ge=1, le=200)

    def apply(self, targets):
        """The same filters as the target list page; `targets` must carry `with_lights`."""
        return targets.filtered(
            q=self.q,
            year=self.year,
            source=self.source,
            category=self.category,
            unit=self.unit,
            leader=self.leader,
            state=self.state,
            light=self.light,
            extended=self.extended,
        )


class TargetFields(Input):
    number: _text(30) = ""
    title: _text(300) = ""
    source_category: SourceCategory = SourceCategory.OTHER
    source_label: _text(100) = ""
    category: _text(50) = ""
    deadline: datetime.date | None = None
    deadline_text: _text(100) = ""
    benchmark: str = ""
    is_public: bool = False
    parent_id: Id | None = Field(None, description="上级目标编号")


class TargetIn(TargetFields):
    year: int = Field(ge=1990, le=2100)
    text: Required


class TargetPatch(TargetFields):
    """Only the fields sent are changed."""

    year: int = Field(None, ge=1990, le=2100)
    text: Required = None


class AssignIn(Input):
    lead_unit: Id = Field(description="牵头单位编号")
    co_units: list[Id] = Field(default_factory=list, description="协办单位编号")
    leader: Id | None = Field(None, description="分管领导编号")
    deadline: datetime.date | None = None
    deadline_text: _text(100) | None = Field(None, description="如 2026年6月底、持续推进")


class CloseIn(Input):
    note: Required = Field(description="办结说明")
    confirm_incomplete: bool = Field(
        False, description="最近一次审核通过的报送为“未完成”时须为 true，并填写 reason"
    )
    reason: _text(2000) = Field("", description="未完成即办结的理由")


class MilestoneRow(Input):
    period: PeriodCode = Field(description="如 2026-Q3")
    text: Required = Field(description="阶段目标")


class SubTargetIn(Input):
    text: _text(2000) = Field("", description="子目标内容")
    lead_unit: Id | None = Field(None, description="牵头单位编号")
    deadline: datetime.date | None = None
    deadline_text: _text(100) = Field("", description="如 2026年9月底前")
    milestones: list[MilestoneRow] = Field(
        default_factory=list, description="阶段目标；不填则按季度生成"
    )


class SplitIn(Input):
    children: list[SubTargetIn] = Field(description="子目标，每项各有牵头单位、完成时限")


class ChaseIn(Input):
    message: _text(500) = Field("", description="催办内容，不填则用默认内容")


class ChaseOut(Schema):
    notified: int = Field(description="收到通知的人数")
    detail: str


# --- milestones --------------------------------------------------------------------------


class MilestoneOut(Schema):
    id: int
    target_id: int
    period: str
    period_label: str
    text: str
    due_date: datetime.date | None


class MilestonePage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[MilestoneOut]


class MilestoneFilters(Checked):
    target: Id | None = Field(None, description="目标编号")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(50, ge=1, le=200)


class MilestonePatch(Input):
    text: Required = None
    due_date: datetime.date | None = Field(None, description="不填（null）则为期末")


# --- reports -----------------------------------------------------------------------------


class EvidenceOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    uploaded_by: str
    uploaded_at: datetime.datetime
    download_url: str

    @staticmethod
    def resolve_uploaded_by(obj):
        return _name(obj.uploaded_by)

    @staticmethod
    def resolve_download_url(obj):
        return reverse("api:evidence_download", args=[obj.pk])


class ReportOut(Schema):
    id: int
    target_id: int
    milestone_id: int | None
    period: str
    period_label: str
    unit: UnitRef | None
    progress: str
    status_text: str
    is_complete: bool | None
    reason: str
    next_steps: str
    review_state: str
    review_state_label: str
    review_comment: str
    submitted_by: str
    submitted_at: datetime.datetime | None
    reviewed_by: str
    reviewed_at: datetime.datetime | None
    version: int = Field(description="修改时须原样带回（乐观锁）")
    created_at: datetime.datetime
    imported: bool = Field(description="由文件导入的报送不能在线修改")
    flags: list[str] = Field(description="所填内容前后不一致之处")
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_review_state_label(obj):
        return obj.get_review_state_display()

    @staticmethod
    def resolve_submitted_by(obj):
        return _name(obj.submitted_by)

    @staticmethod
    def resolve_reviewed_by(obj):
        return _name(obj.reviewed_by)

    @staticmethod
    def resolve_imported(obj):
        return obj.source_document_id is not None

    @staticmethod
    def resolve_flags(obj):
        return obj.flags()

    @staticmethod
    def resolve_evidence(obj):
        return list(obj.evidence.all())


class ReportIn(Input):
    period: PeriodCode = Field(description="如 2026-Q2")
    progress: str = Field("", description="具体工作进展")
    is_complete: bool | None = Field(None, description="是否完成")
    reason: str = Field("", description="未完成原因")
    next_steps: str = Field("", description="下步工作打算")
    submit: bool = Field(True, description="true 报送审核；false 存为草稿")


class ReportPatch(Input):
    """Only the fields sent are changed. `version` is the one last read."""

    version: int = Field(ge=0, le=MAX_ID)
    progress: str = None
    is_complete: bool | None = None
    reason: str = None
    next_steps: str = None
    submit: bool = Field(False, description="true 修改后报送审核")


class AcceptIn(Input):
    comment: _text(2000) = Field("", description="审核意见")


class ReturnIn(Input):
    comment: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class ContributionOut(Schema):
    id: int
    target_id: int
    period: str
    period_label: str
    unit: UnitRef
    text: str
    created_by: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_period_label(obj):
        return period_label(obj.period)

    @staticmethod
    def resolve_created_by(obj):
        return _name(obj.created_by)


class ContributionIn(Input):
    period: PeriodCode
    text: Required = Field(description="协办情况")


# --- indicators and the trail ------------------------------------------------------------


class IndicatorOut(Schema):
    id: int
    target_id: int | None
    report_id: int | None
    subject: str
    kind: str
    kind_label: str
    measure: str
    measure_label: str
    comparator: str
    value: str
    value_max: str | None
    unit: str
    year: int | None
    display_value: str

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_measure_label(obj):
        return obj.get_measure_display()

    @staticmethod
    def resolve_value(obj):
        return _decimal(obj.value)

    @staticmethod
    def resolve_value_max(obj):
        return _decimal(obj.value_max) if obj.value_max is not None else None


def _decimal(value) -> str:
    return format(Decimal(str(value)).normalize(), "f")


class AuditEventOut(Schema):
    id: int
    created_at: datetime.datetime
    actor_name: str
    channel: str
    action: str
    action_label: str
    summary: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict | None
    after: dict | None
    actor_label: str = Field(description="操作人及其单位，如 张三（云台县科技局）")
    changes: list[str] = Field(
        description="变更内容，供人阅读：字段：设为 X / 清空（原为 X）/ X → Y，时间为北京时间"
    )

    @staticmethod
    def resolve_action_label(obj):
        return obj.get_action_display()

    @staticmethod
    def resolve_actor_label(obj):
        return obj.actor_label

    @staticmethod
    def resolve_changes(obj):
        from duban.audit.readable import created_rows

        rows = created_rows(obj) if obj.action == "create" else obj.readable_changes()
        return [f"{field}：{text}" for field, text in rows]

    @staticmethod
    def resolve_object_type(obj):
        model = obj.object_type.model_class()
        return str(model._meta.verbose_name) if model else obj.object_type.model
