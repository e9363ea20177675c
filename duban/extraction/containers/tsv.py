"""A table copied from a spreadsheet or a web page as tab-separated lines: one row a line.

    序号<TAB>重点工作<TAB>目标任务<TAB>牵头处室<TAB>责任人<TAB>完成时限
    一、企业创新主体培育                                     a section row
    1<TAB>高企培育<TAB>新认定高新技术企业80家以上<TAB>高新技术处<TAB>吴建平<TAB>2026年11月
    2    科技金融    新增“科技贷”15亿元    规划财务处    许文斌    2026年12月

The header is a line of at least three tab-separated labels that names the task and another
known column (``layouts.headers``); every following line with a tab is a row, cut or padded to
the header's width. A row retyped with runs of spaces instead of tabs (an editor's tab
expansion) is read the same way when it splits into exactly the header's width; a short line
with a section number (一、…) is a row of its own, the rows' category. A blank line inside the
table is skipped; the table ends at the first other line. Unlike the table-as-text export
(``tabbed``), no line starts with a tab.
"""

from __future__ import annotations

import re

from ..blocks import Cell, Table
from ..layouts.headers import looks_like_header

MIN_COLUMNS = 3
MAX_LABEL_LENGTH = 20
MAX_SECTION_LENGTH = 30

Span = tuple[int, int]

_SPACES = re.compile(r" {2,}|\u3000+")
_SECTION = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[)）])"
)


def _split(text: str, start: int, end: int, separator: re.Pattern[str]) -> list[Span]:
    spans, at = [], start
    for m in [*separator.finditer(text, start, end), None]:
        stop = m.start() if m else end
        piece = text[at:stop]
        lead = len(piece) - len(piece.lstrip())
        content = piece.strip()
        spans.append((at + lead, at + lead + len(content)))
        at = m.end() if m else end
    return spans


_TAB = re.compile("\t")


def is_header(line: str) -> bool:
    if "\t" not in line or line.startswith(("\t", " \t")):
        return False
    labels = [label.strip() for label in line.split("\t")]
    while labels and not labels[-1]:
        labels.pop()
    if len(labels) < MIN_COLUMNS or any(len(label) > MAX_LABEL_LENGTH for label in labels):
        return False
    return looks_like_header(labels)


def _row(text: str, line: Span, width: int) -> list[Span] | None:
    """The cells of a row line, or None when the line is no row of this table."""
    content = text[line[0] : line[1]]
    if "\t" in content:
        return _split(text, *line, _TAB)
    spaced = _split(text, *line, _SPACES)
    if len(spaced) == width:
        return spaced
    stripped = content.strip()
    if len(stripped) <= MAX_SECTION_LENGTH and _SECTION.match(stripped):
        start = line[0] + len(content) - len(content.lstrip())
        return [(start, start + len(stripped))]
    return None


def parse(text: str, lines: list[Span], first: int, title: str | None = None):
    """(the table whose header is ``lines[first]``, the line after it), or None without rows."""
    header = _split(text, *lines[first], _TAB)
    while len(header) > 1 and header[-1][0] == header[-1][1]:
        header.pop()
    width = len(header)
    row_spans = [header]
    i = first + 1
    while i < len(lines):
        if not text[lines[i][0] : lines[i][1]].strip():
            if i + 1 < len(lines) and _row(text, lines[i + 1], width) is not None:
                i += 1
                continue
            break
        cells = _row(text, lines[i], width)
        if cells is None:
            break
        row_spans.append(cells)
        i += 1
    if not any(len(spans) > 1 for spans in row_spans[1:]):
        return None
    rows = []
    for r, spans in enumerate(row_spans):
        pad_at = spans[-1][1]
        spans = (spans + [(pad_at, pad_at)] * width)[:width]
        rows.append([Cell(text[s:e], (s, e), r, c) for c, (s, e) in enumerate(spans)])
    span = (rows[0][0].span[0], max(cell.span[1] for row in rows for cell in row))
    return Table(rows, span, title), i
