"""A table a web page flattened onto one line: every cell, header and rows alike, between pipes.

    9-6 …情况(2017年) | 指标 | 项目数 (项) | 经费 (万元) | 工业企业总计 | 9204 | 912007 | 按规模分 | | | 大型 | 664 | …

The rows are found again from the cells' rhythm: a name followed by the same number k of cells
that are numbers or empty, over and over to the end of the line. The k cells just before the first
row are the column labels and the cell before them the name column's label; anything earlier is
the table's title. A line is read this way only when at least three rows repeat the rhythm and
they run to the end of the line, so a sentence with a few pipes in it stays a sentence.
"""

from __future__ import annotations

import re

from ..blocks import Cell, Paragraph, Table

MIN_CELLS = 12
MIN_ROWS = 3
MAX_VALUES = 12
_NUMBER = re.compile(r"^[+-]?\d[\d,]*(?:\.\d+)?%?$")


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, left = [], start
    for position in [m.start() + start for m in re.finditer(r"\|", text[start:end])] + [end]:
        raw = text[left:position]
        lead = len(raw) - len(raw.lstrip())
        content = raw.strip()
        spans.append((left + lead, left + lead + len(content)))
        left = position + 1
    while spans and spans[-1][0] == spans[-1][1]:
        spans.pop()  # the pipe that closes the line
    return spans


def _rows_from(texts: list[str], first: int, k: int) -> int:
    """How many name-then-k-values groups run from `first` to the end of the cells (0 if they do
    not end exactly there)."""
    count, i = 0, first
    while i + k < len(texts):
        name, values = texts[i], texts[i + 1 : i + 1 + k]
        if len(values) < k or not name or _NUMBER.match(name):
            return 0
        if not all(not v or _NUMBER.match(v) for v in values):
            return 0
        count, i = count + 1, i + 1 + k
    return count if i == len(texts) else 0


def parse_line(text: str, start: int, end: int) -> list[Paragraph | Table] | None:
    """The title paragraph and table of a flattened table line, or None if it is not one."""
    if text.count("|", start, end) < MIN_CELLS:
        return None
    spans = _cells(text, start, end)
    texts = [text[s:e] for s, e in spans]
    best = None
    for k in range(1, MAX_VALUES + 1):
        for first in range(k + 1, len(texts) - k * MIN_ROWS):
            rows = _rows_from(texts, first, k)
            if rows >= MIN_ROWS:
                numbers = sum(1 for t in texts[first:] if _NUMBER.match(t))
                if numbers >= rows and (best is None or first < best[1]):
                    best = (k, first)
                break  # the earliest start for this k
    if best is None:
        return None
    k, first = best
    header_at = first - k - 1
    blocks: list[Paragraph | Table] = []
    if header_at > 0:
        title_start, title_end = spans[0][0], spans[header_at - 1][1]
        blocks.append(Paragraph(text[title_start:title_end], (title_start, title_end)))
    grid_spans = [spans[header_at:first]]
    grid_spans += [spans[i : i + 1 + k] for i in range(first, len(spans), k + 1)]
    rows = [
        [Cell(text[s:e], (s, e), r, c) for c, (s, e) in enumerate(row)]
        for r, row in enumerate(grid_spans)
    ]
    table_span = (grid_spans[0][0][0], max(e for row in grid_spans for _s, e in row))
    blocks.append(Table(rows, table_span, blocks[0].text if blocks else None))
    return blocks
