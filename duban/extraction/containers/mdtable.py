"""Markdown pipe tables (``| a | b |`` over ``|---|---|``), as converters write them from Word.

Each cell's span covers its trimmed text between two pipes; an escaped pipe (``\\|``) stays in the
cell. Rows are cut or padded to the header's width. Markdown has no merged cells.
"""

from __future__ import annotations

import re

from ..blocks import Cell, Table

_ROW = re.compile(r"^\s*\|.*\|\s*$")
_SEPARATOR = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+(?:\s*:?-{3,}:?\s*)?\|?\s*$")
_PIPE = re.compile(r"(?<!\\)\|")


def starts_table(text: str, lines: list[tuple[int, int]], i: int) -> bool:
    if i + 1 >= len(lines):
        return False
    header = text[lines[i][0] : lines[i][1]]
    separator = text[lines[i + 1][0] : lines[i + 1][1]]
    return bool(_ROW.match(header) and _SEPARATOR.match(separator))


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    line = text[start:end]
    pipes = [m.start() for m in _PIPE.finditer(line)]
    spans = []
    for left, right in zip(pipes, pipes[1:], strict=False):
        raw = line[left + 1 : right]
        lead = len(raw) - len(raw.lstrip())
        content = raw.strip()
        cell_start = start + left + 1 + lead
        spans.append((cell_start, cell_start + len(content)))
    return spans


def parse(
    text: str, lines: list[tuple[int, int]], first: int, title: str | None = None
) -> tuple[Table, int]:
    """The table starting at ``lines[first]`` and the index of the first line after it."""
    header = _cells(text, *lines[first])
    width = len(header)
    row_spans = [header]
    i = first + 2
    while i < len(lines) and _ROW.match(text[lines[i][0] : lines[i][1]]):
        row_spans.append(_cells(text, *lines[i]))
        i += 1
    rows = []
    for r, spans in enumerate(row_spans):
        pad_at = spans[-1][1] if spans else lines[first][1]
        spans = (spans + [(pad_at, pad_at)] * width)[:width]
        rows.append([Cell(text[s:e], (s, e), r, c) for c, (s, e) in enumerate(spans)])
    span = (rows[0][0].span[0], max(cell.span[1] for row in rows for cell in row))
    return Table(rows, span, title), i
