"""A web page's table flattened to text: one row a line, cells separated by spaces.

    序号 重点任务 牵头单位 配合单位 完成时限
    一、创新主体                                  a section row
    1 新增高新技术企业40家以上 市科技局 市财政局 市税务局 2025年12月
    2 建成省级重点实验室2家 高新区管委会 市科技局 2025年11月
    市教育局                                      the units cell, broken over a line

The header is a line of short labels, at least two of which name a known column, one of them
the task (``layouts.headers``). A row starts with its number when the first column is 序号.
Spaces also separate the units of a units cell, so a row may have more words than columns:
the number takes the first word, the deadline the last when it reads like a date, the unit
columns the words that end like a unit name (the lead unit one, the co-units the rest), and
the task everything else. A line of unit names only continues the row's last unit column; a
line of a section number and a name (一、创新主体) is a row of its own, the rows' category.
The table ends at the first other line.
"""

from __future__ import annotations

import re

from ..blocks import Cell, Table
from ..items import UNIT_END, split_units
from ..layouts.headers import column_meaning, looks_like_header, resolve_responsible

MAX_HEADER_LENGTH = 80
MAX_LABEL_LENGTH = 10
MIN_LABELS = 3
MAX_UNIT_LENGTH = 20
_WORD = re.compile(r"[^ \t\u3000]+")
_ROW_NUMBER = re.compile(r"^\d{1,3}[.、．]?$")
_SECTION = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[)）])\s*\S{1,30}\s*$"
)
_DATE_LIKE = re.compile(r"\d{1,4}\s*[年月日]|年底|月底|年内|季度|持续|长期|全年|前$|底$")
_UNIT_FIELDS = ("units", "lead_unit", "co_units")
_TEXT_FIELDS = ("annual_target", "title", "progress", "next_steps", "remark", "category")

Span = tuple[int, int]


def _words(text: str, start: int, end: int) -> list[Span]:
    return [(start + m.start(), start + m.end()) for m in _WORD.finditer(text[start:end])]


def header_columns(line: str) -> list[str | None] | None:
    """The meanings of a header line's labels, or None when the line is not such a header."""
    if len(line) > MAX_HEADER_LENGTH or "\t" in line or "|" in line:
        return None
    labels = line.split()
    if len(labels) < MIN_LABELS or any(len(label) > MAX_LABEL_LENGTH for label in labels):
        return None
    if not looks_like_header(labels):
        return None
    return resolve_responsible([column_meaning(label) for label in labels])


def _is_unit(word: str) -> bool:
    """A word that names one unit (市科技局, 高新区管委会): no digits, ends like a unit."""
    if len(word) > MAX_UNIT_LENGTH or any(ch.isdigit() for ch in word):
        return False
    units = split_units(word)
    return len(units) == 1 and units[0] == word and bool(UNIT_END.search(word))


def _is_units_line(text: str, words: list[Span]) -> bool:
    return bool(words) and all(_is_unit(text[s:e]) for s, e in words)


def parse(text: str, lines: list[Span], i: int, meanings: list[str | None]):
    """(rows of cell spans, the line after the table) for the header at line ``i``; rows are
    lists of per-column lists of word spans. None when no row follows."""
    columns = len(meanings)
    header_words = _words(text, *lines[i])
    rows: list[list[list[Span]]] = [[[w] for w in header_words]]
    numbered = meanings[0] == "number"
    unit_columns = [c for c, m in enumerate(meanings) if m in _UNIT_FIELDS]
    j = i + 1
    blanks = 0
    while j < len(lines):
        start, end = lines[j]
        line = text[start:end]
        words = _words(text, start, end)
        if not words:
            blanks += 1
            if blanks > 1:
                break
            j += 1
            continue
        blanks = 0
        first = text[words[0][0] : words[0][1]]
        if _SECTION.match(line) and len(words) <= 2:
            section = [[] for _ in range(columns)]
            section[0] = [(words[0][0], words[-1][1])]
            rows.append(section)
        elif (not numbered or _ROW_NUMBER.match(first)) and len(words) >= 2:
            row = _align(text, words, meanings)
            if row is None:
                break
            rows.append(row)
        elif len(rows) > 1 and unit_columns and _is_units_line(text, words):
            last = rows[-1]
            target = max(unit_columns)
            if not last[target]:
                break
            last[target].extend(words)
        else:
            break
        j += 1
    if len(rows) < 2:
        return None
    while j > i + 1 and not text[lines[j - 1][0] : lines[j - 1][1]].strip():
        j -= 1
    return rows, j


def _align(text: str, words: list[Span], meanings: list[str | None]) -> list[list[Span]] | None:
    """The words of a row given to its columns (see the module's description)."""
    columns = len(meanings)
    cells: list[list[Span]] = [[] for _ in range(columns)]
    if len(words) == columns:
        return [[w] for w in words]
    left, right = 0, len(words)
    first, last = 0, columns - 1
    if meanings[0] == "number":
        cells[0] = [words[0]]
        left, first = 1, 1
    if meanings[last] == "deadline" and right > left:
        s, e = words[right - 1]
        if _DATE_LIKE.search(text[s:e]):
            cells[last] = [words[right - 1]]
            right -= 1
        last -= 1
    # Unit columns from the right: the rightmost takes every unit word but the ones the unit
    # columns to its left need; the others one each.
    units = [c for c in range(first, last + 1) if meanings[c] in _UNIT_FIELDS]
    if units:
        run = right
        while run > left and _is_unit(text[words[run - 1][0] : words[run - 1][1]]):
            run -= 1
        available = words[run:right]
        if not available:
            return None
        for c in units[:-1]:
            if len(available) > 1:
                cells[c] = [available.pop(0)]
        cells[units[-1]] = available
        right = run
    texts = [c for c in range(first, last + 1) if c not in units]
    middle = words[left:right]
    if not texts or not middle:
        return None if not texts and middle else cells
    # The task column takes what the other text columns leave, one word each.
    main = next((c for c in texts if meanings[c] in ("annual_target", "title")), texts[0])
    others = [c for c in texts if c != main]
    for c in reversed(others):
        if len(middle) > 1 and c > main:
            cells[c] = [middle.pop()]
    for c in others:
        if len(middle) > 1 and c < main:
            cells[c] = [middle.pop(0)]
    cells[main] = middle
    return cells


def to_table(text: str, rows: list[list[list[Span]]], title: str | None = None) -> Table:
    grid: list[list[Cell]] = []
    for r, row in enumerate(rows):
        cells = []
        previous_end = row[0][0][0] if row[0] else _first_start(row)
        for c, words in enumerate(row):
            if not words:
                cells.append(Cell("", (previous_end, previous_end), r, c))
                continue
            span = (words[0][0], words[-1][1])
            contiguous = all(
                not text[a[1] : b[0]].strip() for a, b in zip(words, words[1:], strict=False)
            )
            body = text[span[0] : span[1]] if contiguous else "\n".join(text[s:e] for s, e in words)
            cells.append(Cell(body, span, r, c))
            previous_end = span[1]
        grid.append(cells)
    end = max(cell.span[1] for row in grid for cell in row)
    return Table(grid, (grid[0][0].span[0], end), title)


def _first_start(row: list[list[Span]]) -> int:
    return next(words[0][0] for words in row if words)
