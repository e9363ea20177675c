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
_UNIT = re.compile(r"[（(]\s*([^（）()]{1,8}?)\s*[)）]")
_LATIN = re.compile(r"[A-Za-z]")
_RANK = re.compile(r"排名|名次|位次")
_SHARE = re.compile(r"比重|占比|比例")
_GROWTH = re.compile(r"增长率|增速|增幅")
_PART = re.compile(r"^其中\s*[:：]?\s*")
MIN_ROWS = 2


def find_figures_table(table: Table) -> int | None:
    """The index of the first data row when `table` is a table of figures, else None."""
    rows = table.rows
    if len(rows) < MIN_ROWS + 1 or table.column_count < 2:
        return None
    first_data = next(
        (i for i, row in enumerate(rows) if _is_data_row(row) and not _is_years_row(row)), None
    )
    if first_data is None or first_data == 0 or first_data > 3:
        return None
    data = [row for row in rows[first_data:] if _name(row)]
    words = {col for col in range(1, table.column_count) if _is_words_column(data, col)}
    filled = [
        c
        for row in data
        for c in row[1:]
        if c.col not in words and squash(c.text) and c.merged_from is None
    ]
    numeric = [c for c in filled if _NUMBER.match(squash(c.text))]
    if sum(1 for row in data if _is_data_row(row)) < MIN_ROWS:
        return None
    if not filled or len(numeric) * 3 < len(filled) * 2:
        return None
    return first_data


def _name(row: list[Cell]) -> str:
    return squash(row[0].text) if row else ""


def _is_data_row(row: list[Cell]) -> bool:
    name = _name(row)
    if not name or _NUMBER.match(name):
        return False
    return any(_NUMBER.match(squash(c.text)) for c in row[1:] if c.merged_from is None)


def _is_years_row(row: list[Cell]) -> bool:
    """A header naming the years of its columns: 项目 | 2020 | 2021."""
    values = [squash(c.text) for c in row[1:] if squash(c.text)]
    years = [v for v in values if _YEAR.match(v)]
    return len(years) >= 1 and len(years) * 2 >= len(values)


def figures_items(table: Table, *, year: int | None) -> list[Item]:
    first_data = find_figures_table(table)
    if first_data is None:
        return []
    columns = [_column(table, col, first_data) for col in range(table.column_count)]
    items = []
    parent_unit, in_parts = "", False
    for row in table.rows[first_data:]:
        name_cell = row[0]
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
        for col, cell in enumerate(row[1:], start=1):
            label, col_unit, col_year, skip = columns[col]
            if skip or cell.merged_from is not None or not _NUMBER.match(squash(cell.text)):
                continue
            found = _read_signed(cell, unit or col_unit, name, col_year or year)
            if found is None:
                continue
            measure = _measure(label, name)
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


def _read_signed(cell: Cell, unit: str, name: str, year: int | None):
    """A cell's figure; a leading minus (a fall in a growth column) makes it negative."""
    text = cell.text
    lead = len(text) - len(text.lstrip())
    negative = text[lead : lead + 1] in ("-", "−")
    if negative:
        text = " " * (lead + 1) + text[lead + 1 :]
    found = read_cell_value(
        text, unit=unit, subject=name, kind="actual", year=year, offset=cell.span[0]
    )
    if found is None or not negative:
        return found
    return _with(found, value=-found.value, span=(found.span[0] - 1, found.span[1]))


def _column(table: Table, col: int, first_data: int) -> tuple[str, str, int | None, bool]:
    """(label, unit, year, skip) of a value column, from its header cells joined top down."""
    labels = []
    for row in table.rows[:first_data]:
        text = squash(row[col].text) if col < len(row) else ""
        if text and text not in labels:
            labels.append(text)
    label = labels[-1] if labels else ""
    year = _YEAR.match(label)
    unit = _UNIT.search(label)
    return (
        label,
        unit.group(1) if unit else "",
        int(year.group(1)) if year else None,
        _is_words_column(table.rows[first_data:], col),
    )


def _is_words_column(rows: list[list[Cell]], col: int) -> bool:
    """A column of words in another script (a bilingual yearbook's English names)."""
    texts = [squash(r[col].text) for r in rows if col < len(r)]
    latin = sum(1 for text in texts if _LATIN.search(text) and not _NUMBER.match(text))
    return latin * 2 > len(texts)


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
    return "other"


def _with(found, **changes):
    return found._replace(**changes)
