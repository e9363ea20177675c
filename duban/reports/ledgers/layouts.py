"""The three ledgers as data: a title, the lines under it, the columns, the body rows and the
merged cells, ready for either writer.

* progress — the quarterly completion table (序号 | 年度目标 | 第N季度目标 | 是否完成 |
  具体工作进展 | 未完成原因 | 下步工作打算 | 市政府分管领导 | 责任单位), one row per target;
* commitments — the public-commitment progress table (任务来源 | 具体事项 | 工作进展和取得成效 |
  完成时限 | 后续举措和落实情况): 任务来源 merged down the column while it repeats, a target's
  progress blocks on rows of their own with its own cells merged over them;
* goals — the business-goal table (类别 | 序号 | 目标名称 | 目标内容), 类别 merged over its
  rows, the benchmark (标杆城市及标杆值：…) at the end of the content.

A ledger prints only the columns offices print, and adds a column only when the targets have
something that would otherwise be lost when the file is read back (a title, a deadline, units,
a leader, several sources), or that a reader must not miss: 办结情况, for a target closed
although its last accepted report said 未完成, with the office's reason (progress and
commitments ledgers; a goals table has no progress columns). Categories other than the goals table's 类别 column are printed
as a row across the table above their targets (the way offices group a ledger), targets
without a category first.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from duban.documents.importing import classify_source
from duban.targets.models import ProgressReport, SourceCategory, Target
from duban.targets.periods import Period

from .selection import COMMITMENTS, GOALS, PROGRESS, Row, Selection

GAP = "\u3000" * 6
UNITS_NOTE = "注：责任单位中排在首位的为牵头单位，其余为协办单位。"
BENCHMARK_LABEL = "标杆城市及标杆值："
# What the title says the targets are, by source; several sources: the general words.
SCOPES = {
    SourceCategory.WORK_REPORT: "政府工作报告目标任务",
    SourceCategory.WORK_PLAN: "工作要点目标任务",
    SourceCategory.BUSINESS_GOAL: "业务目标",
    SourceCategory.COMMITMENT: "公开承诺事项",
    SourceCategory.INSTRUCTION: "领导批示事项",
    SourceCategory.MEETING: "会议议定事项",
}
GENERAL_SCOPE = "重点工作任务"
# A unit named on the line above a goals table must be read back whole (Chinese only).
_LINE_UNIT = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}$")
_TYPED_NUMBER = re.compile(r"^\d{1,3}$")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: float  # in Excel's character units; a Chinese character takes two
    center: bool = False
    # The fewest Chinese characters a printed line of the column must hold in Word, however
    # many columns share the page: 序号 and "43" take two, 是否完成 and 市科技局 four.
    min_chars: int = 4


@dataclass(frozen=True)
class Merge:
    """Cells shown as one, in body coordinates (row 0 is the first row under the header)."""

    row: int
    col: int
    rows: int = 1
    cols: int = 1


@dataclass
class Ledger:
    layout: str
    title: str
    lines: list[str]  # printed between the title and the table
    columns: list[Column]
    rows: list[list[str]]  # a merged region's text is in its first cell, the others are ""
    merges: list[Merge] = field(default_factory=list)
    sections: set[int] = field(default_factory=set)  # rows that name a category across
    notes: list[str] = field(default_factory=list)
    year: int = 0
    period: Period | None = None
    count: int = 0  # targets in the ledger
    fill_in: bool = False  # a form sent to a unit: its answer cells are left for it to fill

    @property
    def header(self) -> list[str]:
        return [c.label for c in self.columns]

    def filename(self, extension: str) -> str:
        name = re.sub(r'[\\/:*?"<>|\s]+', "", self.title) or "台账"
        return f"{name}.{extension}"


@dataclass
class Contact:
    name: str = ""
    phone: str = ""


# --- cell values ----------------------------------------------------------------------------


def target_text(target: Target) -> str:
    """The target's text, with its benchmark where a goals table puts it."""
    if target.benchmark:
        return f"{target.text}\n{BENCHMARK_LABEL}{target.benchmark}"
    return target.text


def status_text(report: ProgressReport | None) -> str:
    """是否完成 as the unit wrote it, else as the report's answer says."""
    if report is None:
        return ""
    if report.status_text:
        return report.status_text
    return {True: "完成", False: "未完成"}.get(report.is_complete, "")


def source_text(target: Target) -> str:
    """任务来源 as printed when it names the source, else the source's own name."""
    label = target.source_label.strip()
    if label and classify_source(label, "", "") == target.source_category:
        return label
    return target.get_source_category_display()


def units_text(row: Row) -> str:
    return "\n".join(str(u) for u in row.units)


CLOSING_HEADER = "办结情况"


def closing_text(target: Target) -> str:
    """办结情况 for a target closed although its last accepted report said 未完成: that it was,
    and the office's reason (empty for any other target)."""
    if target.state != Target.State.CLOSED or not target.closing_reason.strip():
        return ""
    return f"未完成即办结，理由：{target.closing_reason.strip()}"


def _closed_with_reason(row: Row) -> bool:
    return bool(closing_text(row.target))


def leader_text(target: Target) -> str:
    return target.leader.name if target.leader_id else ""


def scope_words(rows: list[Row]) -> str:
    sources = {row.target.source_category for row in rows}
    if len(sources) == 1:
        return SCOPES.get(sources.pop(), GENERAL_SCOPE)
    return GENERAL_SCOPE


def contact_line(contact: Contact, unit: str | None = None) -> str:
    parts = [f"单位名称：{unit}"] if unit else []
    parts += [f"联系人：{contact.name or GAP}", f"联系电话：{contact.phone}"]
    return GAP.join(parts)


def period_column_label(period: Period) -> str:
    if period.kind == "Q":
        return f"第{period.index}季度目标"
    if period.kind == "H":
        return f"{'上' if period.index == 1 else '下'}半年目标"
    if period.kind == "M":
        return "月度目标"
    return "本期目标"


def grouped(rows: list[Row]) -> list[Row]:
    """Targets without a category first, then each category in order of first appearance."""
    order: dict[str, int] = {}
    for row in rows:
        order.setdefault(row.target.category, len(order))
    return sorted(rows, key=lambda r: (r.target.category != "", order[r.target.category]))


def single_unit(rows: list[Row]) -> tuple[bool, str | None]:
    """(whether the table needs a unit column, the one unit to name above it)."""
    unit_sets = {tuple(u.pk for u in row.units) for row in rows}
    if not any(unit_sets):
        return False, None
    if len(unit_sets) == 1 and len(rows[0].units) == 1:
        name = str(rows[0].units[0])
        if _LINE_UNIT.match(name):
            return False, name
    return True, None


# --- building a table -----------------------------------------------------------------------


class _Table:
    """Body rows with, per row, the target they belong to; merges computed at the end."""

    def __init__(self, columns: list[Column]):
        self.columns = columns
        self.index = {c.key: i for i, c in enumerate(columns)}
        self.rows: list[list[str]] = []
        self.owners: list[int | None] = []  # the target's position, None for a section row
        self.sections: set[int] = set()
        self.merges: list[Merge] = []

    def section(self, name: str):
        self.sections.add(len(self.rows))
        self.merges.append(Merge(len(self.rows), 0, 1, len(self.columns)))
        self.rows.append([name] + [""] * (len(self.columns) - 1))
        self.owners.append(None)

    def add(self, owner: int, values: dict[str, str]):
        self.rows.append([values.get(c.key, "") for c in self.columns])
        self.owners.append(owner)

    def merge_runs(self, key: str, same: Callable[[int, int], bool]):
        """Merge the column's cells down over runs of rows for which `same(first, row)`; a
        section row ends a run."""
        if key not in self.index:
            return
        col, start = self.index[key], 0
        while start < len(self.rows):
            end = start + 1
            if start not in self.sections:
                while (
                    end < len(self.rows)
                    and end not in self.sections
                    and same(start, end)
                    and self.rows[start][col] != ""
                ):
                    end += 1
            if end - start > 1:
                self.merges.append(Merge(start, col, end - start, 1))
                for r in range(start + 1, end):
                    self.rows[r][col] = ""
            start = end

    def same_owner(self, a: int, b: int) -> bool:
        return self.owners[a] == self.owners[b]

    def same_value(self, key: str) -> Callable[[int, int], bool]:
        col = self.index[key]
        return lambda a, b: self.rows[a][col] == self.rows[b][col]


def _deadline_worth_printing(row) -> bool:
    return bool(row.target.deadline_label) and not row.target.deadline_is_implied


def _optional(rows: list[Row], test: Callable[[Row], bool]) -> bool:
    return any(test(row) for row in rows)


def _walk(rows: list[Row], table: _Table, sections: bool = True):
    """Yield (position, row) in ledger order, writing a section row above each category."""
    current = ""
    for position, row in enumerate(grouped(rows) if sections else rows):
        category = row.target.category
        if sections and category and category != current:
            table.section(category)
        current = category
        yield position, row


@dataclass
class FillIn:
    """A progress ledger as a fill-in form (填报表) for one unit: what the office knows (年度目标,
    the period's milestone, leader, units) printed, the answer columns left empty, the unit
    named in the title and the contact line, and when to send it back."""

    unit: str
    deadline: datetime.date | None = None


def build(
    selection: Selection, contact: Contact | None = None, *, fill_in: FillIn | None = None
) -> Ledger:
    contact = contact or Contact()
    if fill_in is not None:
        if selection.layout != PROGRESS:
            raise ValueError("only the progress ledger is a fill-in form")
        ledger = _progress(selection, contact, fill_in)
        ledger.fill_in = True
    else:
        builder = {PROGRESS: _progress, COMMITMENTS: _commitments, GOALS: _goals}
        ledger = builder[selection.layout](selection, contact)
    ledger.layout = selection.layout
    ledger.year, ledger.period, ledger.count = selection.year, selection.period, len(selection.rows)
    return ledger


def _progress(selection: Selection, contact: Contact, fill_in: FillIn | None = None) -> Ledger:
    rows, period = selection.rows, selection.period
    columns = [Column("number", "序号", 5, center=True, min_chars=2)]
    if _optional(rows, lambda r: bool(r.target.title)):
        columns.append(Column("title", "目标名称", 12))
    columns += [
        Column("text", "年度目标", 26),
        Column("milestone", period_column_label(period), 22),
        Column("status", "是否完成", 9, center=True),
        Column("progress", "具体工作进展", 38),
        Column("reason", "未完成原因", 13),
        Column("next_steps", "下步工作打算", 24),
        Column("leader", "市政府分管领导", 9, center=True),
        Column("units", "责任单位", 14, center=True, min_chars=5),
    ]
    if _optional(rows, _deadline_worth_printing):
        columns.append(Column("deadline", "完成时限", 8, center=True))
    if len({r.target.source_category for r in rows}) > 1:
        columns.append(Column("source", "任务来源", 9, center=True))
    if fill_in is None and _optional(rows, _closed_with_reason):
        columns.append(Column("closing", CLOSING_HEADER, 16))
    table = _Table(columns)
    for position, row in _walk(rows, table):
        target = row.target
        report = None if fill_in else row.report
        table.add(
            position,
            {
                "number": target.number,
                "title": target.title,
                "text": target_text(target),
                "milestone": row.milestone.text if row.milestone else "",
                "status": status_text(report),
                "progress": report.progress if report else "",
                "reason": report.reason if report else "",
                "next_steps": report.next_steps if report else "",
                "leader": leader_text(target),
                "units": units_text(row),
                "deadline": target.deadline_label,
                "source": source_text(target),
                "closing": closing_text(target),
            },
        )
    title = f"{period.label}{scope_words(rows)}完成情况"
    lines, notes = [contact_line(contact)], [UNITS_NOTE]
    if fill_in is not None:
        title = f"{fill_in.unit}{title}填报表"
        lines = [contact_line(contact, fill_in.unit)]
        if fill_in.deadline:
            day = fill_in.deadline
            notes.append(f"请于{day.year}年{day.month}月{day.day}日前填写本表并报送。")
    return Ledger(
        layout=PROGRESS,
        title=title,
        lines=lines,
        columns=columns,
        rows=table.rows,
        merges=table.merges,
        sections=table.sections,
        notes=notes,
    )


def _commitments(selection: Selection, contact: Contact) -> Ledger:
    rows = selection.rows
    typed = all(_TYPED_NUMBER.match(r.target.number) or not r.target.number for r in rows)
    needs_units, unit = single_unit(rows)
    columns = [] if typed else [Column("number", "序号", 5, center=True, min_chars=2)]
    columns.append(Column("source", "任务来源", 10, center=True))
    if _optional(rows, lambda r: bool(r.target.title)):
        columns.append(Column("title", "目标名称", 12))
    columns += [
        Column("text", "具体事项", 32),
        Column("progress", "工作进展和取得成效", 60),
        Column("deadline", "完成时限", 8, center=True),
        Column("next_steps", "后续举措和落实情况", 22),
    ]
    if needs_units:
        columns.append(Column("units", "责任单位", 14, center=True, min_chars=5))
    if _optional(rows, lambda r: bool(r.target.leader_id)):
        columns.append(Column("leader", "分管领导", 9, center=True))
    if _optional(rows, _closed_with_reason):
        columns.append(Column("closing", CLOSING_HEADER, 16))
    table = _Table(columns)
    for position, row in _walk(rows, table):
        target = row.target
        text = target_text(target)
        if typed and target.number:
            text = f"{target.number}.{text}"
        task = {
            "number": target.number,
            "source": source_text(target),
            "title": target.title,
            "text": text,
            "deadline": target.deadline_label,
            "units": units_text(row),
            "leader": leader_text(target),
            "closing": closing_text(target),
        }
        for report in row.reports or [None]:
            block = {
                "progress": report.progress if report else "",
                "next_steps": (report.next_steps or status_text(report)) if report else "",
            }
            table.add(position, {**task, **block})
    for key in ("number", "title", "text", "deadline", "units", "leader", "closing"):
        table.merge_runs(key, table.same_owner)
    table.merge_runs("source", table.same_value("source"))
    scope = scope_words(rows)
    return Ledger(
        layout=COMMITMENTS,
        title=f"{selection.period.label}{scope}进展情况",
        lines=[contact_line(contact, unit)],
        columns=columns,
        rows=table.rows,
        merges=table.merges,
        sections=table.sections,
        notes=[UNITS_NOTE] if needs_units else [],
    )


def _goals(selection: Selection, contact: Contact) -> Ledger:
    rows = selection.rows
    needs_units, unit = single_unit(rows)
    columns = [
        Column("category", "类别", 10, center=True),
        Column("number", "序号", 5, center=True, min_chars=2),
        Column("title", "目标名称", 18),
        Column("text", "目标内容", 90),
    ]
    if _optional(rows, _deadline_worth_printing):
        columns.append(Column("deadline", "完成时限", 8, center=True))
    if _optional(rows, lambda r: bool(r.target.leader_id)):
        columns.append(Column("leader", "分管领导", 9, center=True))
    if needs_units:
        columns.append(Column("units", "责任单位", 14, center=True, min_chars=5))
    if len({r.target.source_category for r in rows}) > 1:
        columns.append(Column("source", "任务来源", 9, center=True))
    table = _Table(columns)
    for position, row in _walk(grouped(rows), table, sections=False):
        target = row.target
        table.add(
            position,
            {
                "category": target.category,
                "number": target.number,
                "title": target.title,
                "text": target_text(target),
                "deadline": target.deadline_label,
                "leader": leader_text(target),
                "units": units_text(row),
                "source": source_text(target),
            },
        )
    table.merge_runs("category", table.same_value("category"))
    return Ledger(
        layout=GOALS,
        title=f"{selection.year}年度{scope_words(rows)}",
        lines=[contact_line(contact, unit)],
        columns=columns,
        rows=table.rows,
        merges=table.merges,
        sections=table.sections,
        notes=[UNITS_NOTE] if needs_units else [],
    )
