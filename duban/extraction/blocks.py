"""The one structure every document container is read into.

A :class:`ReadDocument` holds the plain ``text`` of a document and its ``blocks`` (paragraphs and
tables) in document order. Every span is a pair of Python ``str`` offsets into ``ReadDocument.text``:

* ``Paragraph.text == doc.text[start:end]`` always.
* ``Cell.text == doc.text[start:end]`` whenever possible. The exception is a table-as-text export
  whose last words spilled past the row's blank line: the cell text rejoins them and the span covers
  everything from the cell's first to its last character.
* A cell that continues a merged region (``merged_from`` set) repeats the origin's text and span, so
  a table reads as a rectangle with the merged value carried into every position it covers.

Header cells keep their text as printed, line breaks included (``"任务\\n来源"``); use
:func:`header_label` to get the label a reader would say (``"任务来源"``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

Span = tuple[int, int]


@dataclass
class Paragraph:
    text: str  # == doc.text[span[0]:span[1]]
    span: Span
    heading_level: int | None = None  # from markdown #, docx heading styles, html h1-h6, patterns
    numbering: str | None = None  # automatic list number as printed ("1.", "（一）"), not in text


@dataclass(slots=True)  # a large table has millions: no __dict__ each
class Cell:
    text: str  # artefacts removed; equal to doc.text[span] whenever possible
    span: Span  # for a continuation of a merged cell: the span of the origin cell
    row: int
    col: int
    merged_from: tuple[int, int] | None = None  # (row, col) of the origin of a merged region


@dataclass
class Table:
    rows: list[list[Cell]]  # rectangular; row 0 is the header when the table has one
    span: Span
    title: str | None = None  # a title line directly above the table

    @property
    def header(self) -> list[Cell]:
        return self.rows[0] if self.rows else []

    @property
    def column_count(self) -> int:
        return len(self.rows[0]) if self.rows else 0


Block = Paragraph | Table


@dataclass
class ReadDocument:
    name: str  # file name
    format: str  # txt | md | html | docx | xlsx | pdf
    sha256: str  # of the file bytes
    text: str  # the plain text all spans index into
    blocks: list[Block] = field(default_factory=list)  # in document order
    warnings: list[str] = field(default_factory=list)  # one line of Chinese each, for the reader
    # the year of the web page's publication date, read before its byline was dropped as chrome
    published_year: int | None = None

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


_WHITESPACE = re.compile(r"\s+")


def header_label(cell: Cell | str) -> str:
    """The label of a header cell with every line break and space removed (任务\\n来源 -> 任务来源)."""
    text = cell if isinstance(cell, str) else cell.text
    return _WHITESPACE.sub("", text)
