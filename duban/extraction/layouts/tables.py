"""Items from tables: one item per row, fields by what each column means.

Works for any table whose header names a target column (年度目标, 具体事项, 目标内容 …) and
at least one other known column, in any order: the quarterly completion table, the public
commitment table, the business-goal table, and the many variants other offices keep.
"""

import re

from ..blocks import Cell, Table
from ..items import Item, clean_text, split_units, squash
from .headers import header_map, looks_like_header

_LEADING_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.、．]\s*")
_BENCHMARK = re.compile(r"标杆(城市|单位|地区)?(及标杆值)?\s*[:：]")
_STATUS_WORDS = re.compile(r"^(已?办结|已?完成|未完成|持续推进|正在推进|推进中|序时推进|滞后)$")
_LEADER_SEPARATORS = re.compile(r"[、，,；;/\s]+")
_NOTE = re.compile(r"^\s*(注|备注|说明)\s*[:：]")

# Which kind of number each column holds: a plan's figure or a reported achievement.
_NUMBER_KINDS = {
    "annual_target": "target",
    "title": "target",
    "period_target": "target",
    "progress": "actual",
}


def find_header(table: Table) -> tuple[int, dict[int, str]] | None:
    for index, row in enumerate(table.rows[:4]):
        if looks_like_header(row):
            return index, header_map(row)
    return None


def _is_origin(cell: Cell) -> bool:
    return cell.merged_from is None or cell.merged_from == (cell.row, cell.col)


def table_items(table: Table, *, year: int | None) -> list[Item]:
    found = find_header(table)
    if found is None:
        return []
    header_index, columns = found
    by_field = {name: index for index, name in columns.items()}
    header_labels = [squash(c.text) for c in table.rows[header_index]]
    items: list[Item] = []
    for row in table.rows[header_index + 1 :]:
        if [squash(c.text) for c in row] == header_labels:
            continue  # the header repeated on a new page
        cells = {name: row[index] for name, index in by_field.items() if index < len(row)}
        text_cell = cells.get("annual_target") or cells.get("title")
        if text_cell is None or not squash(text_cell.text):
            continue
        if _NOTE.match(text_cell.text) and all(c.merged_from == row[0].merged_from for c in row):
            continue  # a note row spanning the table
        if not _is_origin(text_cell) and items:
            # The same task carried over several rows: more progress for the item above.
            _continue_item(items[-1], cells, year)
            continue
        items.append(_row_item(cells, year))
    return items


def _row_item(cells: dict[str, Cell], year) -> Item:
    text_cell = cells.get("annual_target") or cells["title"]
    start, end = text_cell.span
    text = clean_text(text_cell.text)
    benchmark = None
    match = _BENCHMARK.search(text_cell.text)
    if match and "benchmark" not in cells:
        # 创优目标 rows end with 标杆城市及标杆值：…; the target is the text before it.
        before = text_cell.text[: match.start()].rstrip()
        end = start + len(before) if text_cell.text.startswith(before) else end
        text = clean_text(before)
        benchmark = (
            clean_text(text_cell.text[match.end() :]),
            (text_cell.span[0] + match.end(), text_cell.span[1]),
        )
    item = Item(span=(start, end), text=text, kind="row")
    number_cell = cells.get("number")
    if number_cell is not None and squash(number_cell.text):
        item.number = squash(number_cell.text)
        item.field_spans["number"] = list(number_cell.span)
    elif match := _LEADING_NUMBER.match(text):
        item.number = match.group(1)
    if "title" in cells and "annual_target" in cells:
        item.title = clean_text(cells["title"].text) or None
        if item.title:
            item.field_spans["title"] = list(cells["title"].span)
    for name in ("source_category", "category"):
        if name in cells:
            item.set(name, squash(cells[name].text), cells[name].span)
    if "annual_target" in cells and "title" not in cells:
        item.set("annual_target", text, (start, end))
    for name in ("period_target", "progress", "reason", "next_steps", "remark"):
        if name in cells:
            item.set(name, clean_text(cells[name].text), cells[name].span)
    if "status" in cells:
        item.set("status", squash(cells["status"].text), cells["status"].span)
    elif "next_steps" in item.fields and _STATUS_WORDS.match(squash(item.fields["next_steps"])):
        item.set("status", squash(item.fields["next_steps"]), cells["next_steps"].span)
    if "deadline" in cells:
        item.set("deadline", squash(cells["deadline"].text), cells["deadline"].span)
    if "leaders" in cells:
        # Names are short; an export that breaks one across lines leaves a lone character.
        names = _join_short(_LEADER_SEPARATORS.split(cells["leaders"].text))
        item.set("leaders", names, cells["leaders"].span)
    _set_units(item, cells)
    if "benchmark" in cells:
        item.set("benchmark", clean_text(cells["benchmark"].text), cells["benchmark"].span)
    elif benchmark:
        item.set("benchmark", benchmark[0], benchmark[1])
    for name, kind in _NUMBER_KINDS.items():
        cell = cells.get(name)
        if cell is not None and _is_origin(cell):
            span = (start, end) if cell is text_cell else cell.span
            item.number_sources.append((span, kind, year))
    return item


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


def _set_units(item: Item, cells: dict[str, Cell]):
    if "units" in cells:
        units = split_units(cells["units"].text)
        if units:
            # The ledger's rule: the first responsible unit leads, the others co-operate.
            item.set("lead_unit", units[0], cells["units"].span)
            item.set("co_units", units[1:], cells["units"].span)
    if "lead_unit" in cells:
        units = split_units(cells["lead_unit"].text)
        if units:
            item.set("lead_unit", units[0], cells["lead_unit"].span)
            extra = units[1:]
            if extra:
                item.set("co_units", [*item.fields.get("co_units", []), *extra])
    if "co_units" in cells:
        units = split_units(cells["co_units"].text)
        co = [*item.fields.get("co_units", []), *units]
        item.set(
            "co_units", [u for u in co if u != item.fields.get("lead_unit")], cells["co_units"].span
        )


def _continue_item(item: Item, cells: dict[str, Cell], year):
    for name in ("progress", "next_steps", "reason"):
        cell = cells.get(name)
        if cell is None or not _is_origin(cell):
            continue
        addition = clean_text(cell.text)
        if not addition:
            continue
        previous = item.fields.get(name)
        item.fields[name] = f"{previous}\n{addition}" if previous else addition
        if name in item.field_spans:
            item.field_spans[name][1] = max(item.field_spans[name][1], cell.span[1])
        else:
            item.field_spans[name] = list(cell.span)
        if name == "progress":
            item.number_sources.append((cell.span, "actual", year))
