"""A table copied from a spreadsheet, a web page or a Word file as delimited lines: one row a
line, its cells separated by tabs, by runs of spaces (two or more, or full-width ones), by
pipes (a Markdown table without its outer pipes), by slashes between spaces (指标名称 / 2025年 /
2030年) or by commas (a spreadsheet saved as CSV).

    序号<TAB>重点工作<TAB>目标任务<TAB>牵头处室<TAB>责任人<TAB>完成时限
    一、企业创新主体培育                                     a section row
    1<TAB>高企培育<TAB>新认定高新技术企业80家以上<TAB>高新技术处<TAB>吴建平<TAB>2026年11月
    2    科技金融    新增“科技贷”15亿元    规划财务处    许文斌    2026年12月

    序号　指标名称　　　　　　　单位　　2025年基数　　2030年目标　　属性
    1　　全社会R&D经费支出占GDP比重　　%　　　　2.9　　　　3.5　　　　预期性

    序号,孵化器名称,所在地,评价得分（分）,排名
    1,青溪高新区创业服务中心,青溪高新区,95.2,1

The header is a line of at least three short labels. With tabs it must name the task and
another known column (``layouts.headers``), and every following line with a tab is a row, cut
or padded to the header's width; a row retyped with runs of spaces is read the same way when it
splits into exactly the header's width. With spaces or commas only, nothing but the count tells
cells apart, so every row must split into exactly the header's width and at least two rows must.
A short line with a section number (一、…) is a row of its own, the rows' category. A blank line
inside the table is skipped; the table ends at the first other line. Unlike the table-as-text
export (``tabbed``), no line starts with a tab.
"""

from __future__ import annotations

import re

from ..blocks import Cell, Table
from ..layouts.headers import looks_like_header

MIN_COLUMNS = 3
MIN_UNMARKED_ROWS = 2  # rows of a table whose header names no known column
MAX_LABEL_LENGTH = 20
MAX_SECTION_LENGTH = 30
MAX_HEADER_LENGTH = 200  # a header is a line of short labels: a longer line is never one

Span = tuple[int, int]

_TAB = re.compile("\t")
_SPACES = re.compile(r"[ \u3000]*\u3000[ \u3000]*| {2,}")
_COMMA = re.compile(",")
_SLASH = re.compile(r"[ \u3000]+[/／][ \u3000]+")
_PIPE = re.compile(r"[ \u3000]*[|｜][ \u3000]*")
# A Markdown rule under the header: ---- | :---:
_RULE_CELL = re.compile(r"^[-—:：\s]+$")
_SECTION = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[)）])"
)
# A label is a name, not a sentence or a figure.
_NOT_A_LABEL = re.compile(r"[。；;！？：:]|^\s*[\d.%]+\s*$")


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


def _split_labels(line: str, separator: re.Pattern[str]) -> list[str]:
    """A header line's labels, without the empty ones a trailing separator leaves."""
    labels = [label.strip() for label in separator.split(line.strip())]
    while labels and not labels[-1]:
        labels.pop()
    return labels


def _labels(line: str, separator: re.Pattern[str]) -> list[str] | None:
    labels = _split_labels(line, separator)
    if len(labels) < MIN_COLUMNS:
        return None
    if any(
        not label or len(label) > MAX_LABEL_LENGTH or _NOT_A_LABEL.search(label) for label in labels
    ):
        return None
    return labels


def is_header(line: str) -> bool:
    """A tab-separated header that names the task and another known column."""
    if len(line) > MAX_HEADER_LENGTH or "\t" not in line or line.startswith(("\t", " \t")):
        return False
    labels = _split_labels(line, _TAB)
    if len(labels) < MIN_COLUMNS or any(len(label) > MAX_LABEL_LENGTH for label in labels):
        return False
    return looks_like_header(labels)


def unmarked_separator(line: str) -> re.Pattern[str] | None:
    """The separator of a header of spaces or commas, or None when the line is no such header."""
    if len(line) > MAX_HEADER_LENGTH or "\t" in line or line.startswith((" ", "\u3000")):
        return None
    for separator in (_PIPE, _SLASH, _SPACES, _COMMA):
        if separator.search(line) and _labels(line, separator) is not None:
            return separator
    return None


def _row(text: str, line: Span, width: int, separator: re.Pattern[str]) -> list[Span] | None:
    """The cells of a row line, or None when the line is no row of this table."""
    content = text[line[0] : line[1]]
    if separator is _TAB and "\t" in content:
        return _split(text, *line, _TAB)
    # An indented row (其中：…) starts at its first character, not with an empty cell.
    start = line[0] + len(content) - len(content.lstrip())
    spans = _split(text, start, line[1], _SPACES if separator is _TAB else separator)
    if len(spans) == width:
        return spans
    stripped = content.strip()
    if len(stripped) <= MAX_SECTION_LENGTH and _SECTION.match(stripped):
        start = line[0] + len(content) - len(content.lstrip())
        return [(start, start + len(stripped))]
    return None


def parse(
    text: str,
    lines: list[Span],
    first: int,
    title: str | None = None,
    separator: re.Pattern[str] = _TAB,
):
    """(the table whose header is ``lines[first]``, the line after it), or None without rows."""
    header = _split(text, *lines[first], separator)
    while len(header) > 1 and header[-1][0] == header[-1][1]:
        header.pop()
    width = len(header)
    row_spans = [header]
    i = first + 1
    while i < len(lines):
        if not text[lines[i][0] : lines[i][1]].strip():
            if i + 1 < len(lines) and _row(text, lines[i + 1], width, separator) is not None:
                i += 1
                continue
            break
        cells = _row(text, lines[i], width, separator)
        if cells is None:
            break
        if not all(_RULE_CELL.match(text[s:e]) for s, e in cells):
            row_spans.append(cells)
        i += 1
    full_rows = sum(len(spans) > 1 for spans in row_spans[1:])
    if full_rows < (1 if separator is _TAB else MIN_UNMARKED_ROWS):
        return None
    rows = []
    for r, spans in enumerate(row_spans):
        pad_at = spans[-1][1]
        spans = (spans + [(pad_at, pad_at)] * width)[:width]
        rows.append([Cell(text[s:e], (s, e), r, c) for c, (s, e) in enumerate(spans)])
    span = (rows[0][0].span[0], max(cell.span[1] for row in rows for cell in row))
    return Table(rows, span, title), i
