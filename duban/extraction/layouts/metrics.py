"""Items from indicator tables: one indicator per row, its values in cells of their own.

    序号 | 指标名称       | 单位 | 2023年目标 | 1-6月完成 | 完成进度 | 责任单位
    1    | 高新技术企业数量 | 家   | 1500       | 1260      | 84%      | 市科技局

A table is one when its header names an indicator column (指标, 指标名称, 考核指标 …) and at least
one column of values: a target (目标, 计划, 预期 …) or an achievement (完成, 实际, 累计 …). Here 单位
is the unit of measure, not a responsible unit. A value cell is read with the unit column's unit
(or the one the cell or the indicator's name prints: 研发投入（亿元）), the indicator's name as
its subject, and the year its column names (2023年目标), else the document's. Rates and progress
columns (完成率, 完成进度) are derived from the others and not read as indicators.
"""

import re
from dataclasses import dataclass

from ..blocks import Cell, Table
from ..items import Item, clean_text, squash
from .figures import read_signed
from .headers import column_meaning, resolve_responsible
from .tables import set_units

_NAME = re.compile(r"^(主要|考核|统计|评价|核心)?指标(名称|内容|项目?)?$")
_MEASURE_UNIT = re.compile(r"^(计量)?单位$")
_RATE = re.compile(r"率|进度|比例|百分比|完成情况")
_TARGET = re.compile(r"目标|计划|预期|任务|考核值")
_ACTUAL = re.compile(r"完成|实际|累计|实现|现状|基数|基期|本月|当月|本期")
# What a value column measures, by its label: 累计同比(±%) a growth, 1-5月累计 a total.
_GROWTH_COLUMN = re.compile(r"同比|增长|增速|增幅")
_TOTAL_COLUMN = re.compile(r"累计|合计")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_UNIT_IN_NAME = re.compile(r"[（(]\s*([^（）()]{1,6})\s*[)）]\s*$")


@dataclass
class _Columns:
    name: int
    unit: int | None
    values: list[tuple[int, str, int | None]]  # (column, kind, year named in its label)
    other: dict[int, str]  # column -> field, for 序号, 责任单位, 备注 …
    labels: list[str]  # every column's label


def find_metrics_header(table: Table) -> tuple[int, _Columns] | None:
    for index, row in enumerate(table.rows[:4]):
        columns = _columns(row)
        if columns is not None:
            return index, columns
    return None


def _columns(row: list[Cell]) -> _Columns | None:
    labels = [squash(c.text) for c in row]
    names = [i for i, label in enumerate(labels) if _NAME.match(label)]
    if not names:
        return None
    unit = next((i for i, label in enumerate(labels) if _MEASURE_UNIT.match(label)), None)
    values, other = [], {}
    for i, label in enumerate(labels):
        if i == names[0] or i == unit or not label:
            continue
        year = _YEAR.search(label)
        year = int(year.group(1)) if year else None
        if _RATE.search(label) and not _TARGET.search(label):
            continue
        if _TARGET.search(label) and not _ACTUAL.search(label):
            values.append((i, "target", year))
        elif _ACTUAL.search(label):
            values.append((i, "actual", year))
        elif meaning := column_meaning(label):
            other[i] = meaning
    other = dict(zip(other, resolve_responsible(list(other.values())), strict=True))
    if not values:
        return None
    return _Columns(names[0], unit, values, other, labels)


def has_achievements(table: Table) -> bool:
    found = find_metrics_header(table)
    return found is not None and any(kind == "actual" for _c, kind, _y in found[1].values)


def period_label(table: Table) -> str | None:
    """The label of the achievement column (1-6月完成), which may name the period reported."""
    found = find_metrics_header(table)
    if found is None:
        return None
    index, columns = found
    for col, kind, _year in columns.values:
        if kind == "actual":
            return squash(table.rows[index][col].text)
    return None


def metrics_items(table: Table, *, year: int | None) -> list[Item]:
    found = find_metrics_header(table)
    if found is None:
        return []
    header_index, columns = found
    header = [squash(c.text) for c in table.rows[header_index]]
    items = []
    for row in table.rows[header_index + 1 :]:
        if [squash(c.text) for c in row] == header or columns.name >= len(row):
            continue
        name_cell = row[columns.name]
        if not squash(name_cell.text):
            continue
        items.append(_row_item(row, name_cell, columns, year))
    return items


def _row_item(row: list[Cell], name_cell: Cell, columns: _Columns, year: int | None) -> Item:
    name = clean_text(name_cell.text)
    unit = squash(row[columns.unit].text) if columns.unit is not None else ""
    if bracket := _UNIT_IN_NAME.search(name):
        unit = unit or bracket.group(1)
        name = name[: bracket.start()].rstrip()
    item = Item(span=name_cell.span, text=clean_text(name_cell.text), kind="row")
    cells = {field: row[i] for i, field in columns.other.items() if i < len(row)}
    if "number" in cells and squash(cells["number"].text):
        item.number = squash(cells["number"].text)
    if "category" in cells:
        item.set("category", squash(cells["category"].text), cells["category"].span)
    if "remark" in cells:
        item.set("remark", clean_text(cells["remark"].text), cells["remark"].span)
    if "deadline" in cells:
        item.set("deadline", squash(cells["deadline"].text), cells["deadline"].span)
    if unit:
        item.set("unit", unit)
    set_units(item, cells)
    seen: dict[str, int] = {}
    for col, kind, named_year in columns.values:
        if col >= len(row) or row[col].merged_from is not None:
            continue
        cell = row[col]
        label = columns.labels[col]
        growth = bool(_GROWTH_COLUMN.search(label))
        found = read_signed(cell, "%" if growth else unit, name, named_year or year, kind)
        if found is not None:
            if growth:
                found = found._replace(measure="growth")
            elif _TOTAL_COLUMN.search(label):
                found = found._replace(measure="total")
            item.cell_indicators.append(found)
            # target_value, actual_value; a second column of a kind: target_value_2 …
            seen[kind] = seen.get(kind, 0) + 1
            field = f"{kind}_value" + (f"_{seen[kind]}" if seen[kind] > 1 else "")
            item.set(field, squash(cell.text), cell.span)
    return item
