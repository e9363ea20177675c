"""Items from tables of measured values: statistical yearbooks, score tables, results by county.

    项目 (单位)              | 2020   | 2021          指标 | 项目数(项) | 参加项目人员(人)
    科研机构人均固定资产原价  | 848.00 | 936.87        大型 | 664        | 11646
    (千元/人)

A table is one when, below its header rows, the first column names each row and the other
columns hold numbers: every number is a value the row's name measures, of the year its column
names (2020) or the document's. The header is one row or more (a merged R&D项目 over 项目数 …);
a column's label is its lowest own label. The unit is the column's bracket (项), else the row
name's ((千元/人)); a 其中 row and the rows under it without a unit of their own take the unit of
the row above. A row with a name and no numbers (按企业规模分) is a section. Columns of text (an
English translation of the name) are skipped.

Such tables report what was measured: their values are ``actual`` unless a column says it holds
a target (目标, 计划, 预期), when the indicator-table layout (``metrics``) reads it anyway.
"""

import dataclasses
import re
from decimal import Decimal

from ..blocks import Cell, Table
from ..items import Item, clean_text, squash
from ..numbers import read_cell_value

_YEAR_LABEL = re.compile(r"^((?:19|20)\d{2})\s*年?(?:度)?$")
_YEAR_IN_LABEL = re.compile(r"((?:19|20)\d{2})\s*年")
_BRACKET_UNIT = re.compile(r"[（(]\s*([^（）()0-9]{1,8}?)\s*[)）]\s*$")
_TARGET_LABEL = re.compile(r"目标|计划|预期|任务")
# A score or a result of a target is measured (责任目标得分), though its label names the target.
_RESULT_LABEL = re.compile(r"得分|分数|成绩|排名|完成|实际|实现")
_RANK = re.compile(r"排名|名次|位次|排序")
_GROWTH = re.compile(r"增长率|增长|增速|增幅|年均增长")
_SHARE = re.compile(r"比重|占比|比例|占.{1,20}的?比|率$")
_SUB_ROW = re.compile(r"^\s*其中\s*[:：]?\s*")
MIN_ROWS = 2


def _number(text: str) -> bool:
    stripped = text.strip()
    return (
        bool(stripped)
        and read_cell_value(stripped, unit="", subject=None, kind="actual", year=None) is not None
    )


def _header_cell_text(cell: Cell) -> str:
    return squash(cell.text)


def find_values_header(table: Table) -> int | None:
    """The index of the header's last row, when the table is one of measured values."""
    rows = table.rows
    if table.column_count < 2 or len(rows) < MIN_ROWS + 1:
        return None
    first_data = None
    for index, row in enumerate(rows[:5]):
        numbers = [c for c in row[1:] if _number(c.text)]
        if numbers and all(_YEAR_LABEL.match(c.text.strip()) for c in numbers):
            continue  # a header of years (2020 | 2021)
        if _is_data_row(row):
            first_data = index
            break
        if any(_number(c.text) and not _YEAR_LABEL.match(c.text.strip()) for c in row[1:]):
            return None  # numbers in a row that is not data: not this layout
    if not first_data:
        return None
    data = [row for row in rows[first_data:] if any(squash(c.text) for c in row)]
    numeric = [row for row in data if _is_data_row(row)]
    if len(numeric) < MIN_ROWS or len(numeric) * 2 < len(data):
        return None
    return first_data - 1


def _is_data_row(row: list[Cell]) -> bool:
    name = squash(row[0].text)
    if not name or _number(row[0].text):
        return False
    values = [c for c in row[1:] if squash(c.text)]
    return (
        bool(values)
        and sum(_number(c.text) for c in values) * 2 >= len(values)
        and any(_number(c.text) for c in values)
    )


def _labels(table: Table, last_header: int) -> list[str]:
    """Each column's label: its lowest own header text."""
    labels = []
    for col in range(table.column_count):
        label = ""
        for row in table.rows[: last_header + 1]:
            cell = row[col]
            own = cell.merged_from in (None, (cell.row, cell.col))
            if squash(cell.text) and (own or not label):
                label = clean_text(cell.text)
        labels.append(label)
    return labels


def _value_columns(table: Table, last_header: int) -> list[int]:
    columns = []
    for col in range(1, table.column_count):
        cells = [r[col] for r in table.rows[last_header + 1 :] if squash(r[col].text)]
        if cells and sum(_number(c.text) for c in cells) * 10 >= 6 * len(cells):
            columns.append(col)
    return columns


def values_items(table: Table, *, year: int | None, kind: str = "actual") -> list[Item]:
    last_header = find_values_header(table)
    if last_header is None:
        return []
    labels = _labels(table, last_header)
    columns = _value_columns(table, last_header)
    items: list[Item] = []
    carried_unit = ""  # the unit a 其中 row and the rows under it take from the row above
    for row in table.rows[last_header + 1 :]:
        name_cell = row[0]
        raw_name = squash(name_cell.text)
        if not raw_name or not any(_number(row[c].text) for c in columns):
            carried_unit = ""
            continue  # a section row (按地区分) or an empty one
        name = _SUB_ROW.sub("", raw_name)
        own_unit = ""
        if bracket := _BRACKET_UNIT.search(name):
            own_unit = bracket.group(1)
            name = name[: bracket.start()]
        if own_unit:
            row_unit = carried_unit = own_unit
        elif _SUB_ROW.match(raw_name) or (items and carried_unit and _follows_sub_row(items)):
            row_unit = carried_unit
        else:
            row_unit = carried_unit = ""
        item = _name_item(name_cell)
        item.fields["sub_row"] = bool(_SUB_ROW.match(raw_name)) or row_unit != own_unit
        seen: dict[str, int] = {}
        for col in columns:
            cell = row[col]
            if cell.merged_from not in (None, (cell.row, cell.col)):
                continue
            label = labels[col]
            squashed_label = squash(label)
            unit_match = _BRACKET_UNIT.search(squashed_label)
            unit = unit_match.group(1) if unit_match else row_unit
            named = _YEAR_LABEL.match(squashed_label) or _YEAR_IN_LABEL.search(squashed_label)
            cell_kind = kind
            if _TARGET_LABEL.search(squashed_label) and not _RESULT_LABEL.search(squashed_label):
                cell_kind = "target"
            found = read_cell_value(
                cell.text,
                unit=unit,
                subject=name,
                kind=cell_kind,
                year=int(named.group(1)) if named else year,
                offset=cell.span[0],
            )
            if found is None:
                continue
            measure = _measure(squashed_label, name, found.unit)
            found = dataclasses.replace(found, measure=measure, **_counted(found))
            item.cell_indicators.append(found)
            # actual_value, actual_value_2 … as the indicator-table layout names its cells.
            seen[found.kind] = seen.get(found.kind, 0) + 1
            number = seen[found.kind]
            field = f"{found.kind}_value" + (f"_{number}" if number > 1 else "")
            item.set(field, squash(cell.text), cell.span)
        if item.cell_indicators:
            items.append(item)
    for item in items:
        item.fields.pop("sub_row", None)
    return items


def _follows_sub_row(items: list[Item]) -> bool:
    return bool(items[-1].fields.get("sub_row"))


def _name_item(cell: Cell) -> Item:
    """The row's item: the name cell as printed (its span and text agree)."""
    text = cell.text
    start, end = cell.span
    if text == "" or len(text) != end - start:
        return Item(span=cell.span, text=clean_text(text), kind="row")
    lead = len(text) - len(text.lstrip())
    stripped = text.strip()
    return Item(span=(start + lead, start + lead + len(stripped)), text=stripped, kind="row")


_COUNTING = ("人", "家", "个", "项", "件", "人次", "名", "所", "台", "套")


def _counted(found) -> dict:
    """万 before a counting unit multiplies (195 万人 -> 1950000 人), as in running text."""
    unit = found.unit or ""
    if unit[:1] not in ("万", "千") or unit[1:] not in _COUNTING:
        return {}
    factor = 10000 if unit[0] == "万" else 1000
    value = Decimal(str(found.value)) * factor
    if value != value.to_integral_value():
        return {}
    return {"value": int(value), "unit": unit[1:]}


def _measure(label: str, name: str, unit: str) -> str:
    for text in (label, name):
        if _RANK.search(text):
            return "rank"
        if _GROWTH.search(text):
            return "growth"
        if _SHARE.search(text):
            return "share"
    return "share" if unit in ("%", "‰") else "other"
