"""Tables whose cells were printed one after another, with no row breaks.

Web pages and preview sites print a Word table in two such ways:

* one cell per line (blank lines between them, or none): 县区政府 / 责任目标得分 / … / 澄江县 / 99.5 …;
* every cell on one line with ``|`` between them: ``指标 | 项目数 (项) | … | 大型 | 664 | 11646 |``.

Nothing marks where a row ends, so the column count is found from the cells themselves: the
header is a run of short labels, and below it every column keeps one type, numbers or words
(an empty cell fits either), with at least one column of numbers. Of the header starts and
column counts that fit, the one that reads the most cells wins. The cells before the header (a
title, an annex label) stay running text. A table of words only, without a 序号 column, is not found
this way: nothing tells a row's end from a cell's. Nor is a row whose cell is printed on several
lines.
"""

from __future__ import annotations

import re

from ..blocks import Cell, Table
from ..layouts.headers import column_meaning, looks_like_header

MIN_ROWS = 2
MAX_COLUMNS = 12
MAX_HEADER_START = 8  # cells before the header: a title, an annex label, a signature …
MAX_LABEL_LENGTH = 24
MAX_KNOWN_LABEL = 10  # a longer line that names a column is a title (…重点工作任务清单)
MAX_CELL_LENGTH = 60
MIN_PIPES = 8

Span = tuple[int, int]

_NUMBER = re.compile(r"^[-+−]?\d+(?:[.,]\d+)*\s*[%％‰]?$")
_YEAR = re.compile(r"^(?:19|20)\d{2}\s*年?$")
_SENTENCE = re.compile(r"[。；;！？：:]|\d\s*月\s*\d{1,2}\s*日")


def _type(text: str) -> str:
    if not text:
        return "empty"
    return "number" if _NUMBER.match(text) else "word"


def _fits(cells: list[str], start: int, columns: int) -> int:
    """How many data rows follow a header of ``columns`` cells at ``start`` (0 if none fit)."""
    header = cells[start : start + columns]
    if len(header) < columns or any(
        not label
        or len(label) > MAX_LABEL_LENGTH
        or (_NUMBER.match(label) and not _YEAR.match(label))
        or _SENTENCE.search(label)
        for label in header
    ):
        return 0
    # A task table's header (序号 | 工作任务 | 牵头单位 …): its rows start with their number.
    numbered = looks_like_header(header) and column_meaning(header[0]) == "number"
    first_kind = "number" if numbered else "word"
    kinds: list[set[str]] = [set() for _ in range(columns)]
    rows = 0
    at = start + columns
    while at + columns <= len(cells):
        row = cells[at : at + columns]
        row_kinds = [_type(c) for c in row]
        if row_kinds[0] != first_kind or any(len(c) > MAX_CELL_LENGTH for c in row):
            break
        merged = [k | {t} - {"empty"} for k, t in zip(kinds, row_kinds, strict=True)]
        if any(len(k) > 1 for k in merged):
            break
        kinds = merged
        rows += 1
        at += columns
    numeric = numbered or sum(1 for k in kinds[1:] if k == {"number"})
    return rows if rows >= MIN_ROWS and numeric else 0


def find(cells: list[str]) -> tuple[int, int, int] | None:
    """(header start, columns, data rows) of the best table in a run of cells, or None: the
    most data cells read; of equal readings, the more rows, then the header with more labels
    that name a known column."""
    best, best_key = None, None
    for start in range(min(MAX_HEADER_START + 1, len(cells))):
        for columns in range(2, MAX_COLUMNS + 1):
            rows = _fits(cells, start, columns)
            if not rows:
                continue
            header = cells[start : start + columns]
            known = sum(len(c) <= MAX_KNOWN_LABEL and column_meaning(c) is not None for c in header)
            key = (rows * columns, rows, known, column_meaning(header[0]) == "number")
            if best_key is None or key > best_key:
                best, best_key = (start, columns, rows), key
    return best


def build(text: str, spans: list[Span], start: int, columns: int, rows: int, title=None) -> Table:
    """The table of ``rows`` data rows under the header at ``spans[start]``."""
    grid = []
    for r in range(rows + 1):
        row = []
        for c in range(columns):
            s, e = spans[start + r * columns + c]
            row.append(Cell(text[s:e], (s, e), r, c))
        grid.append(row)
    last = spans[start + (rows + 1) * columns - 1]
    return Table(grid, (spans[start][0], last[1]), title)


def line_cells(text: str, lines: list[Span]) -> list[Span]:
    """The non-blank lines of a run, as cell spans (surrounding spaces left out)."""
    cells = []
    for s, e in lines:
        raw = text[s:e]
        if raw.strip():
            lead = len(raw) - len(raw.lstrip())
            cells.append((s + lead, s + lead + len(raw.strip())))
    return cells


def pipe_cells(text: str, start: int, end: int) -> list[Span] | None:
    """The cells of one line holding a whole table with ``|`` between cells, or None."""
    line = text[start:end]
    if line.count("|") < MIN_PIPES or line.lstrip().startswith("|"):
        return None
    cells = []
    pos = start
    for piece in line.split("|"):
        lead = len(piece) - len(piece.lstrip())
        stripped = piece.strip()
        cells.append((pos + lead, pos + lead + len(stripped)) if stripped else (pos, pos))
        pos += len(piece) + 1
    if not text[cells[-1][0] : cells[-1][1]]:
        cells.pop()  # the line ends with a "|"
    return cells
