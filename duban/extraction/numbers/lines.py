"""Text converted from PDF: lines broken at the page's width inside words and numbers."""

from __future__ import annotations

import re
from bisect import bisect_right

# A line break with the white space around it, between two characters of one word or number.
_BREAK_RE = re.compile(r"(?<=[0-9.\u4e00-\u9fff，、,])[ \t\r\u3000]*\n\s*(?=[0-9\u4e00-\u9fff])")
_LINE_RE = re.compile(r"[^\n]*")
# Lines narrower than this (in columns, a CJK character taking two) are no wrapped page width.
_MIN_WRAP_WIDTH = 30


def _width(line: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in line)


def _join_broken_lines(text: str) -> tuple[str, list[int] | None]:
    """Text converted from PDF breaks its lines at the page's width, inside words ("技\n术合同")
    and numbers ("7469.\n\n13 亿元", "分别增长\n26.3%"). A break is read through when it
    cuts a number after its decimal point, or when its line fills the width of the text's
    widest lines and a character of a word or number is on either side of it. A short line (a
    heading, a paragraph's last line) keeps its break. Returns the joined text and, when it
    differs, where each of its characters is in ``text``."""
    if "\n" not in text:
        return text, None
    breaks = list(_BREAK_RE.finditer(text))
    if not breaks:
        return text, None
    widths = {m.start(): _width(m.group()) for m in _LINE_RE.finditer(text) if m.group()}
    widest = max(widths.values(), default=0)
    line_starts = sorted(widths)
    join = []
    for m in breaks:
        before, after = text[m.start() - 1], text[m.end()]
        if before == "." and after.isdigit() and text[m.start() - 2 : m.start() - 1].isdigit():
            join.append(m)
            continue
        line = line_starts[bisect_right(line_starts, m.start() - 1) - 1]
        width = widths[line]
        if width >= _MIN_WRAP_WIDTH and width >= 0.7 * widest:
            join.append(m)
    if not join:
        return text, None
    parts, where, pos = [], [], 0
    for m in join:
        parts.append(text[pos : m.start()])
        where.extend(range(pos, m.start()))
        pos = m.end()
    parts.append(text[pos:])
    where.extend(range(pos, len(text) + 1))
    return "".join(parts), where
