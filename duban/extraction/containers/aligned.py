"""A table of figures printed as aligned text: a name at the left, numbers at the right.

    项     目                Item                          2020     2021
    专利授权量   (件)       Patents granted                 1200     1350
                           (pieces)
     其中:发明专利           Invention patents               210      260

Yearbook pages and reports copied as text print their tables this way: the column labels end the
header line (here two years), and every row ends with as many numbers. A row's name is its text up
to the first Latin letter (bilingual yearbooks print an English name after it); lines in between
without numbers are the wrapped rest of a name and are left as they are. A run is a table only
with a header and at least three rows, so a sentence ending in two numbers stays a sentence.
"""

from __future__ import annotations

import re

from ..blocks import Cell, Table

MIN_ROWS = 3
MAX_WRAPPED_LINES = 2
_TOKEN = re.compile(r"\S+")
_NUMBER = re.compile(r"^[+-]?\d[\d,]*(?:\.\d+)?%?$")
_YEAR = re.compile(r"^(?:19|20)\d{2}年?$")
_NAME_END = re.compile(r"[A-Za-z]|\s{2,}[+-]?\d")


def _trailing(text: str, start: int, end: int, test) -> list[tuple[int, int]]:
    """Spans of the tokens at the end of the line that pass `test`, in order."""
    tokens = [(m.start() + start, m.end() + start) for m in _TOKEN.finditer(text[start:end])]
    found = []
    for s, e in reversed(tokens):
        if not test(text[s:e]):
            break
        found.append((s, e))
    return found[::-1]


def _name(text: str, start: int, stop: int) -> tuple[int, int] | None:
    segment = text[start:stop]
    cut = _NAME_END.search(segment)
    head = segment[: cut.start()] if cut else segment
    lead = len(head) - len(head.lstrip())
    content = head.strip()
    if not content or not re.search(r"[\u4e00-\u9fff]", content):
        return None
    return start + lead, start + lead + len(content)


def parse(text: str, lines: list[tuple[int, int]], first: int) -> tuple[Table, int] | None:
    """The table whose header is ``lines[first]`` and the index of the line after it, or None."""
    start, end = lines[first]
    years = _trailing(text, start, end, lambda t: bool(_YEAR.match(t)))
    if not years:
        return None
    columns = len(years)
    label = _name(text, start, years[0][0])
    if label is None:
        return None
    grid = [[label, *years]]
    i, wrapped = first + 1, 0
    while i < len(lines):
        s, e = lines[i]
        numbers = _trailing(text, s, e, lambda t: bool(_NUMBER.match(t)))
        if len(numbers) >= columns:
            name = _name(text, s, numbers[-columns][0])
            if name is None:
                break
            grid.append([name, *numbers[-columns:]])
            wrapped = 0
        elif text[s:e].strip() and wrapped < MAX_WRAPPED_LINES and len(grid) > 1:
            wrapped += 1
        else:
            break
        i += 1
    if len(grid) - 1 < MIN_ROWS:
        return None
    rows = [
        [Cell(text[s:e], (s, e), r, c) for c, (s, e) in enumerate(row)]
        for r, row in enumerate(grid)
    ]
    return Table(rows, (grid[0][0][0], grid[-1][-1][1])), i


def starts_table(text: str, start: int, end: int) -> bool:
    """A line that could head such a table: it ends with years."""
    return bool(_trailing(text, start, end, lambda t: bool(_YEAR.match(t))))
