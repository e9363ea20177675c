"""Items from tables: one item per row, fields by what each column means.

Works for any table whose header names a target column (年度目标, 具体事项, 目标内容 …) and
at least one other known column, in any order: the quarterly completion table, the public
commitment table, the business-goal table, and the many variants other offices keep.

The ledger conventions this follows:

* the item's number is the 序号 column, else the number typed in front of the target text
  ("1.认真落实…"), which is then not part of the item's text;
* a row whose target cell continues a merged cell (the same task over several rows) adds its
  progress to the task above; where the parts' statuses differ the task's is the least advanced;
* a row with one value across the table is a note (注：…) or a section (一、重点目标) whose
  name is the category of the rows below it; a row equal to the header is the header repeated
  on a new page;
* 责任单位 lists the lead unit first and its co-units after it (unless one is marked 牵头);
* a bare status word where a status is not expected (办结 under 后续举措, 持续推进 under 完成时限)
  is the row's status;
* 创优目标 rows end their target text with 标杆城市及标杆值：…, the benchmark.
"""

import functools
import re
from dataclasses import dataclass

from ..blocks import Cell, Table
from ..items import Item, clean_text, join_padded_names, split_units, squash
from .headers import column_meaning, header_map, looks_like_header

_LEADING_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.、．]\s*(?!\d)")
_BENCHMARK = re.compile(r"标杆(城市|单位|地区)?(及标杆值)?\s*[:：]")
_STATUS_WORDS = re.compile(
    r"^(已?办结|已?完成|未完成|持续推进|正在推进|推进中|序时推进|进行中|滞后|已销号|长期坚持)$"
)
# From the least to the most advanced: a task is as advanced as its least advanced part.
_STATUS_ORDER = (
    ("未完成", "滞后"),
    ("持续推进", "正在推进", "推进中", "序时推进", "进行中", "长期坚持"),
    ("完成", "已完成", "办结", "已办结", "已销号"),
)
_LEADER_SEPARATORS = re.compile(r"[、，,；;/\s]+")
_NOTE = re.compile(r"^\s*(注|备注|说明|附注)\s*\d*\s*[:：]")
_SECTION_NUMBER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[)）])\s*"
)
_PERIOD_COLUMN = re.compile(r"第?\s*([1-4一二三四])\s*季度|(上|下)半年")

# Which kind of number each column holds: a plan's figure or a reported achievement.
_NUMBER_KINDS = {
    "annual_target": "target",
    "title": "target",
    "period_target": "target",
    "progress": "actual",
}


@dataclass
class Header:
    """Where a table's header ends and what each column means."""

    last_row: int  # index of the header's last row (a header may take two rows)
    columns: dict[int, str]  # column index -> field
    labels: list[str]  # each column's label, spaces removed
    rows: list[list[str]]  # every header row's labels, to recognise it repeated on a new page


def find_header(table: Table) -> Header | None:
    for index, row in enumerate(table.rows[:4]):
        if not looks_like_header(row):
            continue
        labels = [squash(c.text) for c in row]
        rows = [labels]
        below = table.rows[index + 1] if index + 1 < len(table.rows) else None
        if below is not None and _is_sub_header(below, index):
            # 完成情况 over 是否完成 | 进展: the lower label names the column where it has one.
            lower = [squash(c.text) if c.merged_from is None else "" for c in below]
            rows.append(lower)
            labels = [low or up for up, low in zip(labels, lower, strict=False)]
            return Header(index + 1, header_map(labels), labels, rows)
        return Header(index, header_map(row), labels, rows)
    return None


def _is_sub_header(row: list[Cell], header_index: int) -> bool:
    """A second header row: every value of its own names a column; the rest is empty or
    merged down from the header."""
    own = [c for c in row if c.merged_from is None and squash(c.text)]
    if not own or any(column_meaning(c.text) is None or len(squash(c.text)) > 20 for c in own):
        return False
    return all(
        c in own or not squash(c.text) or (c.merged_from or (0, 0))[0] == header_index for c in row
    )


def period_of_header(table: Table) -> str | None:
    """The period a header's milestone column names (第1季度目标 -> Q1, 上半年目标 -> H1)."""
    header = find_header(table)
    if header is None:
        return None
    for col, meaning in header.columns.items():
        if meaning == "period_target" and (m := _PERIOD_COLUMN.search(header.labels[col])):
            if m.group(2):
                return "H1" if m.group(2) == "上" else "H2"
            return "Q" + str("一二三四".find(m.group(1)) + 1 or int(m.group(1)))
    return None


def _is_origin(cell: Cell) -> bool:
    return cell.merged_from is None or cell.merged_from == (cell.row, cell.col)


def _origin(cell: Cell) -> tuple[int, int]:
    return cell.merged_from or (cell.row, cell.col)


def _single_value(row: list[Cell]) -> str | None:
    """The text of a row that holds one value of its own across the table (a note or a
    section), or None. Values carried down from the rows above do not count."""
    # Read cell by cell and left at the second value: most rows are data rows, with a value
    # in every column.
    origin = text = None
    for cell in row:
        if not squash(cell.text):
            continue
        cell_origin = _origin(cell)
        if cell_origin[0] != cell.row or (origin is not None and cell_origin != origin):
            return None
        if origin is None:
            origin, text = cell_origin, cell.text
    return text


def table_items(table: Table, *, year: int | None, unit: str | None = None) -> list[Item]:
    """One item per data row. ``unit`` is the unit whose table this is (单位名称：…), the lead
    unit of every row when the table has no unit column."""
    header = find_header(table)
    if header is None:
        return []
    by_field = {name: index for index, name in header.columns.items()}
    # Columns whose label names no known field (主要措施, 建设内容 …): their figures still count.
    unknown = [i for i, label in enumerate(header.labels) if label and i not in header.columns]
    items: list[Item] = []
    section: str | None = None
    # A row can repeat the header only if its first cell does: the whole row is compared then.
    header_starts = {labels[0] for labels in header.rows if labels}
    for row in table.rows[header.last_row + 1 :]:
        repeats_start = not row or squash(row[0].text) in header_starts
        if repeats_start and [squash(c.text) for c in row] in header.rows:
            continue  # the header repeated on a new page
        cells = {name: row[index] for name, index in by_field.items() if index < len(row)}
        text_cell = cells.get("annual_target") or cells.get("title")
        single = _single_value(row) if len(row) > 2 else None
        if single is not None and not _is_data_row(row, text_cell):
            if not _NOTE.match(single):
                section = squash(_SECTION_NUMBER.sub("", single)) or None
            continue
        if text_cell is None or not squash(text_cell.text):
            continue
        if not _is_origin(text_cell) and items:
            # The same task carried over several rows: more progress for the item above.
            _continue_item(items[-1], cells, year)
            continue
        item = _row_item(cells, year)
        _set_details(item, [row[i] for i in unknown if i < len(row)], year)
        if section and "category" not in item.fields:
            item.set("category", section)
        if unit and "lead_unit" not in item.fields and not _has_unit_column(by_field):
            item.set("lead_unit", unit)
        items.append(item)
    return items


def _set_details(item: Item, cells: list[Cell], year) -> None:
    """The text of the row's columns of no known meaning, as ``details``; their figures are
    read as the task's (a 主要措施 column's 新增孵化器3家)."""
    own = [c for c in cells if _is_origin(c) and squash(c.text)]
    if not own:
        return
    span = (min(c.span[0] for c in own), max(c.span[1] for c in own))
    item.set("details", "\n".join(clean_text(c.text) for c in own), span)
    for cell in own:
        item.number_sources.append((cell.span, "target", year))


def _is_data_row(row: list[Cell], text_cell: Cell | None) -> bool:
    """A row with a single value is still a data row when the value is its own target text,
    not a value spanning the table."""
    if text_cell is None or not squash(text_cell.text) or not _is_origin(text_cell):
        return False
    position = (text_cell.row, text_cell.col)
    return not any(c is not text_cell and c.merged_from == position for c in row)


def _has_unit_column(by_field: dict[str, int]) -> bool:
    return bool({"units", "lead_unit", "co_units"} & set(by_field))


def _target_text(text_cell: Cell) -> tuple[tuple[int, int], str, str | None, tuple | None]:
    """(span, cleaned text, typed number, benchmark) of the target cell."""
    raw = text_cell.text
    start, end = text_cell.span
    number = None
    if m := _LEADING_NUMBER.match(raw):
        number = m.group(1)
        raw = raw[m.end() :]
        start += m.end()
    benchmark = None
    match = _BENCHMARK.search(raw)
    if match:
        # 创优目标 rows end with 标杆城市及标杆值：…; the target is the text before it.
        before = raw[: match.start()].rstrip()
        benchmark = (clean_text(raw[match.end() :]), (start + match.end(), end))
        end = start + len(before)
        raw = before
    return (start, end), clean_text(raw), number, benchmark


def _row_item(cells: dict[str, Cell], year) -> Item:
    text_cell = cells.get("annual_target") or cells["title"]
    span, text, typed_number, benchmark = _target_text(text_cell)
    item = Item(span=span, text=text, kind="row")
    number_cell = cells.get("number")
    if number_cell is not None and squash(number_cell.text):
        item.number = squash(number_cell.text)
        item.field_spans["number"] = list(number_cell.span)
    else:
        item.number = typed_number
    if "title" in cells and "annual_target" in cells:
        item.title = clean_text(cells["title"].text) or None
        if item.title:
            item.field_spans["title"] = list(cells["title"].span)
    for name in ("source_category", "category"):
        if name in cells:
            item.set(name, squash(cells[name].text), cells[name].span)
    if "annual_target" in cells:
        item.set("annual_target", text, span)
    for name in ("period_target", "progress", "reason", "next_steps", "remark"):
        if name in cells:
            item.set(name, clean_text(cells[name].text), cells[name].span)
    if "deadline" in cells:
        item.set("deadline", squash(cells["deadline"].text), cells["deadline"].span)
    _set_status(item, cells)
    if "evidence" in cells:
        item.set("evidence", clean_text(cells["evidence"].text), cells["evidence"].span)
    for name in ("contacts", "leaders"):
        if name in cells:
            item.set(name, list(_names_of(cells[name].text)), cells[name].span)
    set_units(item, cells)
    if "benchmark" in cells:
        item.set("benchmark", clean_text(cells["benchmark"].text), cells["benchmark"].span)
    elif benchmark:
        item.set("benchmark", benchmark[0], benchmark[1])
    for name, kind in _NUMBER_KINDS.items():
        cell = cells.get(name)
        if cell is not None and _is_origin(cell):
            source = span if cell is text_cell else cell.span
            item.number_sources.append((source, kind, year))
    return item


def _set_status(item: Item, cells: dict[str, Cell]):
    """The status column, else a bare status word where another column was expected."""
    if "status" in cells:
        item.set("status", squash(cells["status"].text), cells["status"].span)
        return
    for name in ("next_steps", "progress", "deadline", "remark"):
        if name not in item.fields:
            continue
        value = squash(item.fields[name])
        if _STATUS_WORDS.match(value):
            item.set("status", value, cells[name].span)
            if name == "next_steps":
                # 办结 under 后续举措 says what happened, not what comes next.
                item.fields.pop(name)
                item.field_spans.pop(name, None)
            return


def _status_rank(status: str) -> int:
    for rank, words in enumerate(_STATUS_ORDER):
        if status in words:
            return rank
    return len(_STATUS_ORDER)


# Memoised (a few recent texts): a ledger names the same few people down its rows.
@functools.lru_cache(maxsize=1024)
def _names_of(text: str) -> tuple[str, ...]:
    """The people a contacts or leaders cell names. Names are short; an export that breaks one
    across lines leaves a lone character."""
    return tuple(_join_short(_LEADER_SEPARATORS.split(join_padded_names(text.strip()))))


def _join_short(parts: list[str]) -> list[str]:
    names: list[str] = []
    for part in (p.strip() for p in parts):
        if not part or part in {"无", "/"}:
            continue
        if names and (len(part) == 1 or len(names[-1]) == 1):
            names[-1] += part
        else:
            names.append(part)
    return names


_ROLE_MARK = re.compile(r"[（(]\s*(牵头|主办|配合|协办|参与)\s*[)）]")
_MARKED_LEAD = re.compile(r"([^、，,；;/\s（(]+)[（(]\s*(?:牵头|主办)\s*[)）]")


# Memoised (a few recent texts): a ledger names the same few units down its rows.
@functools.lru_cache(maxsize=1024)
def _units_of(text: str) -> tuple[tuple[str, ...], str | None]:
    """Unit names of a cell's text, and the one marked （牵头）, if any."""
    marked = _MARKED_LEAD.search(text)
    names = tuple(split_units(_ROLE_MARK.sub("", text)))
    lead = marked.group(1) if marked else None
    return names, lead if lead in names else None


def set_units(item: Item, cells: dict[str, Cell]):
    """lead_unit and co_units from the unit columns a row has."""
    lead, co = None, []
    for name in ("units", "lead_unit", "co_units"):
        cell = cells.get(name)
        if cell is None:
            continue
        units, marked = _units_of(cell.text)
        if name == "co_units":
            co += units
        elif units:
            # The ledger's rule: the first responsible unit leads, the others co-operate.
            first = marked or units[0]
            if lead is None:
                lead = first
                item.set("lead_unit", lead, cell.span)
            co += [u for u in units if u != first]
    co = [u for i, u in enumerate(co) if u != lead and u not in co[:i]]
    if co:
        spans = [cells[n].span for n in ("units", "co_units", "lead_unit") if n in cells]
        item.set("co_units", co, spans[-1] if "co_units" in cells else spans[0])


def _continue_item(item: Item, cells: dict[str, Cell], year):
    for name in ("progress", "next_steps", "reason"):
        cell = cells.get(name)
        if cell is None or not _is_origin(cell):
            continue
        addition = clean_text(cell.text)
        if not addition:
            continue
        if _STATUS_WORDS.match(squash(addition)) and name != "progress":
            _merge_status(item, squash(addition), cell.span)
            continue
        previous = item.fields.get(name)
        item.fields[name] = f"{previous}\n{addition}" if previous else addition
        if name in item.field_spans:
            item.field_spans[name][1] = max(item.field_spans[name][1], cell.span[1])
        else:
            item.field_spans[name] = list(cell.span)
        if name == "progress":
            item.number_sources.append((cell.span, "actual", year))
    status = cells.get("status")
    if status is not None and _is_origin(status) and squash(status.text):
        _merge_status(item, squash(status.text), status.span)


def _merge_status(item: Item, status: str, span):
    current = item.fields.get("status")
    if current is None or _status_rank(status) < _status_rank(current):
        item.set("status", status, span)
