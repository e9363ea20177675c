"""Items from tables of figures: a name in the first column, numbers in the others.

    项目                     | 2020   | 2021          县区政府 | 责任目标得分 | 加分 | 综合得分 | 排名
    每万人口专利授权量（件/万人）| 160.75 | 189.83        澄江县   | 99.5        | 4.0  | 103.5   | 1

Statistical yearbooks, score tables and monitoring reports print what was measured this way. Unlike
an indicator table (metrics.py) no column says 目标 or 完成: every number is a figure reached, so
each value cell is an ``actual`` whose subject is the row's name. A column labelled with a year
gives the cell that year; a column labelled with a measure (项目数（项）, 综合得分, 排名) gives its
unit and, for 排名/名次, a rank. A row's own unit in brackets (千元/人) wins over none; a 其中 row
takes the unit of the row it is part of. Rows whose value cells are all empty are section rows
(按地区分) and give nothing.

A table is one when, below a header of one or more rows, at least two rows have a name and at
least two thirds of their filled value cells hold a bare number.
"""

from __future__ import annotations

import re

from ..blocks import Cell, Table
from ..items import Item, clean_text, squash
from ..numbers import read_cell_value

_NUMBER = re.compile(r"^[+-]?\d[\d,]*(?:\.\d+)?%?$")
_YEAR = re.compile(r"^((?:19|20)\d{2})\s*年?(?:度|末|底)?$")
_YEAR_IN_LABEL = re.compile(r"((?:19|20)\d{2})\s*年")
# A column of what is aimed at (2020年目标任务, 计划数): its figures are targets.
_TARGET_LABEL = re.compile(r"目标|任务|计划|预期")
_REACHED_LABEL = re.compile(r"得分|完成|实际|实现")
# A row that sums the others: 合计, 小计, 总计, 全市.
_SUM_ROW = re.compile(r"^(?:合计|小计|总计|全市合计|全县合计|总体)$")
_UNIT = re.compile(r"[（(]\s*([^（）()]{1,8}?)\s*[)）]")
_LATIN = re.compile(r"[A-Za-z]")
_CJK_OR_LATIN = re.compile(r"[A-Za-z\u4e00-\u9fff]")
_RANK = re.compile(r"排名|名次|位次")
_SHARE = re.compile(r"比重|占比|比例|强度")
_GROWTH = re.compile(r"增长率|增速|增幅|同比")
_TOTAL = re.compile(r"累计|合计|总计")
_PART = re.compile(r"^其中\s*[:：]?\s*")
MIN_ROWS = 2


def find_figures_table(table: Table) -> int | None:
    """The index of the first data row when `table` is a table of figures, else None."""
    found = _layout(table)
    return found[0] if found else None


def _layout(table: Table) -> tuple[int, int] | None:
    """(first data row, name column) of a table of figures, else None. The names are in the
    first column, or in the second when the first numbers the rows (序号 | 孵化器名称 | …)."""
    rows = table.rows
    if len(rows) < MIN_ROWS + 1 or table.column_count < 2:
        return None
    for name_col in (0, 1) if _numbers_rows(table) else (0,):
        first_data = next(
            (
                i
                for i, row in enumerate(rows)
                if _is_data_row(row, name_col) and not _is_years_row(row, name_col)
            ),
            None,
        )
        if first_data is None or first_data == 0 or first_data > 3:
            continue
        data = [row for row in rows[first_data:] if _name(row, name_col)]
        words = _words_columns(data, name_col, table.column_count)
        filled = [
            c
            for row in data
            for c in row[name_col + 1 :]
            if c.col not in words and squash(c.text) and c.merged_from is None
        ]
        numeric = [c for c in filled if _NUMBER.match(squash(c.text))]
        if sum(1 for row in data if _is_data_row(row, name_col)) < MIN_ROWS:
            continue
        if not filled or len(numeric) * 3 < len(filled) * 2:
            continue
        return first_data, name_col
    return None


def _numbers_rows(table: Table) -> bool:
    """Whether the first column numbers the rows: 序号 above 1, 2, 3 …"""
    return squash(table.rows[0][0].text) in ("序号", "编号", "序")


def _name(row: list[Cell], name_col: int = 0) -> str:
    return squash(row[name_col].text) if len(row) > name_col else ""


def _is_data_row(row: list[Cell], name_col: int = 0) -> bool:
    name = _name(row, name_col)
    if not name or _NUMBER.match(name):
        return False
    return any(_NUMBER.match(squash(c.text)) for c in row[name_col + 1 :] if c.merged_from is None)


def _is_years_row(row: list[Cell], name_col: int = 0) -> bool:
    """A header naming the years of its columns: 项目 | 2020 | 2021."""
    values = [squash(c.text) for c in row[name_col + 1 :] if squash(c.text)]
    years = [v for v in values if _YEAR.match(v)]
    return len(years) >= 1 and len(years) * 2 >= len(values)


def figures_items(table: Table, *, year: int | None) -> list[Item]:
    found = _layout(table)
    if found is None:
        return []
    first_data, name_col = found
    data = table.rows[first_data:]
    words = _words_columns(data, name_col, table.column_count)
    columns = [_column(table, col, first_data, col in words) for col in range(table.column_count)]
    items = []
    parent_unit, in_parts = "", False
    for row in data:
        if len(row) <= name_col:
            continue
        name_cell = row[name_col]
        raw_name = clean_text(name_cell.text)
        if not squash(raw_name):
            continue
        row_unit, name = _unit_and_name(raw_name)
        # "其中：高级职称" and the rows under it without a unit of their own are parts of the
        # row above them, counted in its unit.
        if _PART.match(name):
            in_parts = True
            name = _PART.sub("", name)
        elif row_unit:
            in_parts = False
        if not in_parts:
            parent_unit = row_unit
        unit = row_unit or (parent_unit if in_parts else "")
        item = Item(span=name_cell.span, text=clean_text(name_cell.text), kind="row")
        for col, cell in enumerate(row[name_col + 1 :], start=name_col + 1):
            label, col_unit, col_year, skip = columns[col]
            if skip or cell.merged_from is not None or not _NUMBER.match(squash(cell.text)):
                continue
            found = read_signed(cell, unit or col_unit, name, col_year or year)
            if found is None:
                continue
            aimed = _TARGET_LABEL.search(label) and not _REACHED_LABEL.search(label)
            if col_year and year and col_year > year or aimed:
                # a plan's column of a later year (2030年), or of targets: what is aimed at
                found = _with(found, kind="target")
            measure = _measure(label, name)
            if _SUM_ROW.match(name) and measure == "other":
                measure = "total"
            if measure != found.measure:
                found = _with(found, measure=measure)
            item.cell_indicators.append(found)
            # actual_value, actual_value_2 … as the indicator-table layout names its cells, so
            # every figure points at a field of its row.
            field = "actual_value" + (
                f"_{len(item.cell_indicators)}" if item.cell_indicators[1:] else ""
            )
            item.set(field, squash(cell.text), cell.span)
        if item.cell_indicators:
            items.append(item)
    return items


def read_signed(cell: Cell, unit: str, name: str, year: int | None, kind: str = "actual"):
    """A cell's figure; a leading minus (a fall in a growth column) makes it negative."""
    text = cell.text
    lead = len(text) - len(text.lstrip())
    negative = text[lead : lead + 1] in ("-", "−")
    if negative:
        text = " " * (lead + 1) + text[lead + 1 :]
    found = read_cell_value(
        text, unit=unit, subject=name, kind=kind, year=year, offset=cell.span[0]
    )
    if found is None or not negative:
        return found
    return _with(found, value=-found.value, span=(found.span[0] - 1, found.span[1]))


def _column(
    table: Table, col: int, first_data: int, words: bool
) -> tuple[str, str, int | None, bool]:
    """(label, unit, year, skip) of a value column, from its header cells joined top down."""
    labels = []
    for row in table.rows[:first_data]:
        text = squash(row[col].text) if col < len(row) else ""
        if text and text not in labels:
            labels.append(text)
    label = labels[-1] if labels else ""
    year = _YEAR.match(label) or _YEAR_IN_LABEL.search(label)
    unit = _UNIT.search(label)
    return (
        label,
        unit.group(1) if unit else "",
        int(year.group(1)) if year else None,
        words,
    )


def _words_columns(rows: list[list[Cell]], name_col: int, count: int) -> set[int]:
    """The columns of words, not figures: a bilingual yearbook's English names; beside a
    numbered list of names, also its words in any script (所在地, 级别, 等次)."""
    return {
        col
        for col in range(name_col + 1, count)
        if _is_words_column(rows, col, any_script=name_col > 0)
    }


def _is_words_column(rows: list[list[Cell]], col: int, any_script: bool = False) -> bool:
    texts = [squash(r[col].text) for r in rows if col < len(r)]
    letters = _CJK_OR_LATIN if any_script else _LATIN
    words = sum(1 for text in texts if letters.search(text) and not _NUMBER.match(text))
    return words * 2 > len(texts)


def _unit_and_name(name: str) -> tuple[str, str]:
    """ "每万人口专利授权量 (件/万人)" -> ("件/万人", "每万人口专利授权量")."""
    found = _UNIT.search(name)
    if not found:
        return "", name.strip()
    return found.group(1), squash(name[: found.start()] + name[found.end() :])


def _measure(label: str, name: str) -> str:
    if _RANK.search(label):
        return "rank"
    for text in (label, name):
        if _GROWTH.search(text):
            return "growth"
        if _SHARE.search(text):
            return "share"
    if _TOTAL.search(label):
        return "total"
    return "other"


def _with(found, **changes):
    return found._replace(**changes)
