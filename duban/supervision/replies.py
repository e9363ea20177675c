"""Replies by file (报送表回传): a unit's filled-in form for a period, read with the same
extraction as any document, each row matched to its target by the identity rules, shown in a
preview, and stored as the unit's submitted reports (待审核) exactly as if it had reported
online: through `actions.save_report`, with its permissions and audit trail.

The form comes back as the unit returns it: re-saved, rows reordered or deleted, cells
wrapped differently, the .xlsx saved as .docx or printed to PDF; the extraction reads all of
these, and a row is found by its printed number within its source, else by its text.

What a row becomes is worked out twice from the stored reading: for the preview, and again
at confirmation inside the transaction, against the targets and reports as they are then:

* matched to a target the unit leads and reports on: stored (a new report; a draft or
  returned report revised and sent; a report still waiting for review replaced — the trail
  keeps what it said), unless the period's report was already accepted, which is kept;
* matched to a target the unit does not lead (a co-unit's row, another unit's row): refused;
* matched to nothing, left blank, or incomplete: listed, not stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.http import urlencode

from duban.documents.importing import classify_source, completion
from duban.documents.planning import item_mention, target_candidates
from duban.extraction.containers import ReadError
from duban.extraction.containers.errors import one_line
from duban.extraction.isolated import extract_isolated
from duban.organisations.models import Organisation, is_office_staff, normalise_name
from duban.targets.identity import match_mentions
from duban.targets.models import ProgressReport, SourceCategory, Target
from duban.targets.periods import Period
from duban.web.threads import waiting_elsewhere

from . import actions, permissions
from .models import ReplyDraft

# The answer cells of the form, in the order it prints them.
ANSWER_FIELDS = (
    ("status", "是否完成"),
    ("progress", "具体工作进展"),
    ("reason", "未完成原因"),
    ("next_steps", "下步工作打算"),
)
# What a row of the stored reading is.
MATCHED, UNMATCHED, EMPTY, INCOMPLETE = "matched", "unmatched", "empty", "incomplete"
# What confirming does with a row, worked out against the reports stored now.
NEW, REVISE, REPLACE, KEPT, REFUSED = "new", "revise", "replace", "kept", "refused"
STORING = (NEW, REVISE, REPLACE)
ACTION_LABELS = {
    NEW: "报送",
    REVISE: "报送",
    REPLACE: "替换",
    KEPT: "不覆盖",
    REFUSED: "拒绝",
    UNMATCHED: "未匹配",
    EMPTY: "未填写",
    INCOMPLETE: "不完整",
}
REPLACED_SUMMARY = "撤回待审核的报送，由新上传的报送表替换"
_SPACES = re.compile(r"\s+")
# Unit names shorter than this (科技局) are too common inside other words to name a unit.
_MIN_NAME = 3


class ReplyError(Exception):
    """A file that cannot be read as this unit's form for this period; the message is for
    users, in Chinese."""


def upload_url(unit=None, period: str | Period | None = None) -> str:
    """The upload page with the unit and period chosen (for the round page's links)."""
    url = reverse("supervision:reply_upload")
    query = {}
    if unit is not None:
        query["unit"] = getattr(unit, "pk", unit)
    if period:
        query["period"] = str(period)
    return f"{url}?{urlencode(query)}" if query else url


def flat(text: str | None) -> str:
    """A cell's text without its line breaks and spaces: a re-wrapped cell is the same cell."""
    return _SPACES.sub("", text or "")


# --- reading ----------------------------------------------------------------------------------


def read_reply(data: bytes, name: str, *, unit: Organisation, period: Period | None) -> dict:
    """The reading of an uploaded form: the document's period and every row with its answers
    and the target it answers. Raises ReplyError for a file that is not this unit's form for
    the period (or no form at all)."""
    try:
        with waiting_elsewhere():  # another thread serves meanwhile (duban.web.threads)
            result = extract_isolated(data, name=name)  # in a child with memory and CPU limits
    except ReadError as exc:
        raise ReplyError(str(exc)) from exc
    meta = result.get("document") or {}
    period = _check_period(meta, period)
    _check_unit(meta, unit)
    items = [i for i in result.get("items") or [] if i.get("kind") == "row"]
    if not items:
        hint = (
            "从 PDF 中没有读出表格，请上传填好的 .xlsx 或 .docx 文件"
            if PurePath(name).suffix.lower() == ".pdf"
            else "请上传按报送表格式（序号、年度目标、是否完成、具体工作进展……）填写的表格"
        )
        raise ReplyError(f"文件中没有读到报送表的行。{hint}")
    rows = [_row(item) for item in items]
    _match_rows(rows, items, meta, unit, period)
    return {
        "document": {k: meta.get(k) for k in ("title", "issuer", "year", "period")},
        "period": str(period),
        "rows": rows,
    }


def _check_period(meta: dict, chosen: Period | None) -> Period:
    printed = meta.get("period")
    found = None
    if printed:
        try:
            found = Period.parse(printed)
        except ValueError:
            found = None
    if chosen is None and found is None:
        raise ReplyError("没有从文件标题中识别出报送期次，请选择期次后重新上传")
    if chosen is not None and found is not None and found != chosen:
        raise ReplyError(
            f"这是{found.label}的报送表（{meta.get('title') or '标题未识别'}），"
            f"不是所选的{chosen.label}。请上传{chosen.label}的报送表，或改选期次"
        )
    return chosen or found


def _names_in(text: str, org: Organisation) -> list[str]:
    return [n for n in org.names() if len(n) >= _MIN_NAME and n in text]


def _check_unit(meta: dict, unit: Organisation) -> None:
    """A form that names another unit (in its title, or 单位名称：…) is that unit's form."""
    issuer = normalise_name(meta.get("issuer") or "")
    if issuer and issuer not in unit.names():
        other = Organisation.find_by_name(issuer)
        if other is None or other.pk != unit.pk:
            raise ReplyError(
                f"这是“{meta.get('issuer')}”的报送表（单位名称：{meta.get('issuer')}），"
                f"不是{unit}的。请上传{unit}的报送表，或改选单位"
            )
    title = normalise_name(meta.get("title") or "")
    if not title or _names_in(title, unit):
        return
    skip = {unit.pk} | {a.pk for a in unit.ancestors()}
    for org in Organisation.objects.filter(is_active=True).exclude(pk__in=skip):
        if _names_in(title, org):
            raise ReplyError(
                f"这是{org}的报送表（{meta.get('title')}），不是{unit}的。"
                f"请上传{unit}的报送表，或改选单位"
            )


def _row(item: dict) -> dict:
    fields = item.get("fields") or {}
    answers = {key: (fields.get(key) or "").strip() for key, _label in ANSWER_FIELDS}
    row = {
        "key": item["id"],
        "number": item.get("number") or "",
        "text": item.get("text") or fields.get("annual_target") or "",
        "answers": answers,
        "outcome": UNMATCHED,
        "problem": "",
        "target": None,
        "similarity": 0,
        "by_number": False,
    }
    if not any(answers.values()):
        row["problem"] = "本行未填写，不会保存"
        return row
    report = ProgressReport(
        progress=answers["progress"],
        is_complete=completion(answers["status"]),
        reason=answers["reason"],
    )
    try:
        if answers["status"] and report.is_complete is None:
            raise ValidationError(
                {"is_complete": f"“是否完成”应填写“完成”或“未完成”，表中为“{answers['status']}”"}
            )
        report.check_complete()
    except ValidationError as exc:
        row["problem"] = actions.refusal_text(exc)
    return row


def _stated_source(meta: dict):
    """The source a row states (its 任务来源 cell, else the form's title), or "" when it states
    none: a form for one unit need not say, and its rows are then matched in any source."""

    def classify(label: str, _meta: dict) -> str:
        found = classify_source(label, "", meta.get("title") or "", "")
        return "" if found == SourceCategory.OTHER and "其他" not in (label or "") else found

    return classify


def _match(mentions, candidates) -> dict:
    """Mentions that state their source match within it; the others match in any source."""
    found = {}
    stated = [m for m in mentions if m.source_category]
    if stated:
        found.update(match_mentions(stated, candidates).matches)
    taken = {m.candidate.pk for m in found.values()}
    unstated = [m for m in mentions if not m.source_category]
    if unstated:
        for c in candidates:
            c.source_category = ""
        rest = [c for c in candidates if c.pk not in taken]
        found.update(match_mentions(unstated, rest).matches)
    return found


def _match_rows(rows, items, meta, unit, period) -> None:
    """Each row to a target of the period's year the unit leads or co-operates on; a row left
    over is looked for, by its printed number, among the other units' targets, to be refused
    by name rather than listed as unknown."""
    classify = _stated_source(meta)
    mentions = [item_mention(item, meta, classify) for item in items]
    own = Target.objects.for_unit(unit.pk).filter(year=period.year)
    found = _match(mentions, target_candidates(own))
    left = [m for m in mentions if m.key not in found and m.number]
    if left:
        others = (
            Target.objects.filter(year=period.year, number__in={m.number for m in left})
            .exclude(pk__in=own.values("pk"))
            .order_by("pk")
        )
        found.update(_match(left, target_candidates(others)))
    for row in rows:
        match = found.get(row["key"])
        if match is not None:
            row.update(
                outcome=MATCHED,
                target=match.candidate.pk,
                similarity=match.percent,
                by_number=match.by_number,
            )
        if row["problem"]:
            row["outcome"] = INCOMPLETE if any(row["answers"].values()) else EMPTY


# --- what confirming will do ------------------------------------------------------------------


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class RowPlan:
    row: dict
    action: str  # new | revise | replace | kept | refused | unmatched | empty | incomplete
    message: str
    target: Target | None = None
    current: ProgressReport | None = None
    changes: list[Change] = field(default_factory=list)
    shows_target: bool = False  # whether the user may see the target it matched

    @property
    def stores(self) -> bool:
        return self.action in STORING

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]

    @property
    def answers(self) -> dict:
        return self.row["answers"]


@dataclass
class ReplyPlan:
    unit: Organisation
    period: Period
    rows: list[RowPlan]

    def of(self, *actions_) -> list[RowPlan]:
        return [r for r in self.rows if r.action in actions_]

    @property
    def storing(self) -> list[RowPlan]:
        return self.of(*STORING)

    @property
    def replacing(self) -> list[RowPlan]:
        return self.of(REPLACE)

    @property
    def kept(self) -> list[RowPlan]:
        return self.of(KEPT)

    @property
    def refused(self) -> list[RowPlan]:
        return self.of(REFUSED)

    @property
    def not_stored(self) -> list[RowPlan]:
        return self.of(UNMATCHED, EMPTY, INCOMPLETE)

    def summary(self) -> str:
        parts = [f"报送 {len(self.storing)} 项（待审核）"]
        if self.replacing:
            parts.append(f"其中替换本单位此前待审核的报送 {len(self.replacing)} 项")
        if self.kept:
            parts.append(f"已通过审核未覆盖 {len(self.kept)} 项")
        if self.refused:
            parts.append(f"拒绝 {len(self.refused)} 项")
        if self.not_stored:
            parts.append(f"未保存 {len(self.not_stored)} 项")
        return "，".join(parts)


def status_of(report: ProgressReport | None) -> str:
    if report is None:
        return ""
    return report.status_text or {True: "完成", False: "未完成"}.get(report.is_complete, "")


def _changes(report: ProgressReport | None, answers: dict) -> list[Change]:
    changes = []
    for key, label in ANSWER_FIELDS:
        before = status_of(report) if key == "status" else getattr(report, key, "") or ""
        after = answers.get(key) or ""
        if flat(before) != flat(after):
            changes.append(Change(label, before, after))
    return changes


def _refusal(user, target: Target, unit: Organisation) -> str:
    if target.lead_unit_id != unit.pk:
        if target.co_units.filter(pk=unit.pk).exists():
            return (
                f"{unit}是该目标的协办单位，进展由牵头单位{target.lead_unit}报送；"
                "协办情况请在目标页填写"
            )
        lead = target.lead_unit if is_office_staff(user) else "其他单位"
        return f"该目标由{lead or '其他单位'}牵头，{unit}不能报送"
    if target.state != Target.State.IN_PROGRESS:
        return f"目标当前为“{target.get_state_display()}”，签收后才能报送进展"
    return f"您不能代{unit}报送"


def plan_reply(user, unit: Organisation, period: Period, result: dict) -> ReplyPlan:
    """What confirming the reading would do now, row by row."""
    ids = {row["target"] for row in result.get("rows") or [] if row.get("target")}
    targets = Target.objects.select_related("lead_unit").in_bulk(ids)
    visible = set(Target.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    plans = []
    for row in result.get("rows") or []:
        target = targets.get(row.get("target"))
        if row["outcome"] in (EMPTY, INCOMPLETE):
            plans.append(RowPlan(row, row["outcome"], row["problem"], target))
        elif target is None:
            plans.append(RowPlan(row, UNMATCHED, "没有找到对应的目标任务，不会保存"))
        else:
            plans.append(_plan_row(user, unit, period, row, target))
        plans[-1].shows_target = target is not None and target.pk in visible
    return ReplyPlan(unit, period, plans)


def _plan_row(user, unit, period, row, target) -> RowPlan:
    if not permissions.can_report_for(user, target, unit):
        return RowPlan(row, REFUSED, _refusal(user, target, unit), target)
    reports = target.reports.filter(period=str(period)).order_by("-created_at", "-pk")
    accepted = reports.filter(review_state=ProgressReport.Review.ACCEPTED).first()
    if accepted is not None:
        when = f"{accepted.reviewed_at:%Y-%m-%d}" if accepted.reviewed_at else ""
        return RowPlan(
            row,
            KEPT,
            f"本期报送已于{when}审核通过，不覆盖；如需更正请联系督查室",
            target,
            accepted,
            _changes(accepted, row["answers"]),
        )
    current = reports.first()
    if current is None:
        action, message = NEW, "新报送，待审核"
    elif current.review_state == ProgressReport.Review.SUBMITTED:
        when = f"{current.submitted_at:%Y-%m-%d %H:%M}" if current.submitted_at else ""
        action, message = REPLACE, f"替换本单位{when}报送、尚未审核的本期进展"
    else:
        state = current.get_review_state_display()
        action, message = REVISE, f"更新本期“{state}”的报送并报送审核"
    return RowPlan(row, action, message, target, current, _changes(current, row["answers"]))


# --- storing ----------------------------------------------------------------------------------


def create_draft(user, upload, *, unit: Organisation, period: Period | None) -> ReplyDraft:
    """Reads an uploaded form and keeps it, with its reading, until it is confirmed."""
    name = one_line(PurePath(upload.name).name) or "未命名文件"
    data = upload.read()
    result = read_reply(data, name, unit=unit, period=period)
    try:
        # The file is kept as each answered report's evidence, by the evidence rules.
        actions.check_evidence(upload)
    except ValidationError as exc:
        raise ReplyError(actions.refusal_text(exc)) from exc
    draft = ReplyDraft(
        uploaded_by=user, unit=unit, period=result["period"], name=name, result=result
    )
    draft.file.save(name, ContentFile(data), save=False)
    draft.save()
    return draft


@dataclass
class Confirmed:
    plan: ReplyPlan
    reports: list[ProgressReport]


def confirm(user, pk: int) -> Confirmed | None:
    """Stores a draft's answers as the unit's submitted reports, all or none; None if the
    draft was no longer pending (confirmed or discarded meanwhile)."""
    with transaction.atomic():
        draft = ReplyDraft.objects.select_for_update().select_related("unit").get(pk=pk)
        if not draft.is_pending:
            return None
        plan = plan_reply(user, draft.unit, Period.parse(draft.period), draft.result)
        data = draft.read_file()
        stored = []
        for row in plan.storing:
            stored.append(_store_row(user, draft, row, data))
        draft.status = ReplyDraft.Status.CONFIRMED
        draft.result = {**draft.result, "summary": plan.summary()}
        draft.save(update_fields=["status", "result"])
    return Confirmed(plan, stored)


def _store_row(user, draft: ReplyDraft, row: RowPlan, data: bytes | None) -> ProgressReport:
    answers = row.answers
    report = row.current
    if report is not None and report.review_state == ProgressReport.Review.SUBMITTED:
        report.withdraw(REPLACED_SUMMARY)
    uploads = [ContentFile(data, name=draft.name)] if data else []
    return actions.save_report(
        user,
        row.target,
        period=draft.period,
        progress=answers["progress"],
        is_complete=completion(answers["status"]),
        reason=answers["reason"],
        next_steps=answers["next_steps"],
        uploads=uploads,
        submit=True,
        report=report,
        expected_version=report.version if report is not None else None,
        unit=draft.unit,
    )


def discard(draft: ReplyDraft) -> bool:
    """Drops a pending draft and its file; False if it was no longer pending."""
    if not draft.is_pending:
        return False
    draft.delete_file()
    draft.status = ReplyDraft.Status.DISCARDED
    draft.save(update_fields=["file", "status"])
    return True
