"""Building a document text block by block, so that every span is exact by construction.

Formats without a plain text of their own (docx, xlsx, html, pdf) append their paragraphs and
tables to a :class:`TextBuilder`, which writes the text and records the offsets as it goes:

* a paragraph is written as its text (outer whitespace trimmed) followed by ``\\n``;
* a table is written in the same table-as-text layout Word's text export uses: every cell on its
  own line as ``\\t`` + cell text + ``\\n``, and a blank line after each row. A cell that continues
  a vertical merge is written as an empty cell (``\\t\\n``), as Word does; a cell that continues a
  horizontal merge is not written at all. Both take the origin's text and span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..blocks import Block, Cell, Paragraph, ReadDocument, Table

# A line that labels a value rather than titling anything: 联系人：王刚, 单位名称：市科技局.
_LABEL_LINE = re.compile(r"^[^\s：:，。,]{1,10}[：:]")
_TITLE_END_FORBIDDEN = tuple("。；;，,：:、")
MAX_TITLE_LENGTH = 80
# How many paragraphs above a table are searched for its title (label lines are skipped).
TITLE_LOOKBACK = 3


@dataclass(slots=True)
class RawCell:
    """A cell as a container reads it, before spans exist."""

    text: str = ""
    merged_from: tuple[int, int] | None = None  # (row, col) of the region's origin, if continued


def guess_table_title(paragraphs_above: list[Paragraph]) -> str | None:
    """The title of a table from the paragraphs directly above it (nearest last).

    Label lines (联系人：…, 单位名称：…) between the title and the table are skipped; the first other
    paragraph is the title when it is short and does not end like a sentence.
    """
    for paragraph in reversed(paragraphs_above[-TITLE_LOOKBACK:]):
        text = paragraph.text.strip()
        if _LABEL_LINE.match(text):
            continue
        if "\n\n" in text or len(text) > MAX_TITLE_LENGTH or text.endswith(_TITLE_END_FORBIDDEN):
            return None
        return " ".join(text.split())
    return None


def resolve_merges(grid: list[list[RawCell]]) -> list[list[RawCell]]:
    """Make ``grid`` rectangular and point every continuation at a real origin.

    A ``merged_from`` that points at itself, forward, or outside the grid is dropped; one that
    points at another continuation is followed to that continuation's origin.
    """
    width = max((len(row) for row in grid), default=0)
    if all(len(row) == width for row in grid) and not any(
        cell.merged_from is not None for row in grid for cell in row
    ):
        return grid  # rectangular without merges (a large sheet, mostly): nothing to resolve
    resolved: list[list[RawCell]] = []
    for r, row in enumerate(grid):
        out_row: list[RawCell] = []
        for c in range(width):
            cell = row[c] if c < len(row) else RawCell()
            origin = cell.merged_from
            if origin is not None:
                orow, ocol = origin
                valid = 0 <= orow <= r and 0 <= ocol < width and (orow, ocol) < (r, c)
                if valid and orow == r:
                    target = out_row[ocol]
                elif valid:
                    target = resolved[orow][ocol]
                else:
                    target = None
                if target is None:
                    cell = RawCell(cell.text)
                else:
                    cell = RawCell("", target.merged_from or (orow, ocol))
            out_row.append(cell)
        resolved.append(out_row)
    return resolved


class TextBuilder:
    """Accumulates a text and the blocks whose spans index into it."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.blocks: list[Block] = []
        self._paragraphs_since_table: list[Paragraph] = []

    @property
    def position(self) -> int:
        return self._length

    def _write(self, s: str) -> None:
        self._parts.append(s)
        self._length += len(s)

    def add_paragraph(
        self, text: str, heading_level: int | None = None, numbering: str | None = None
    ) -> Paragraph | None:
        """Write a paragraph; blank paragraphs are skipped (and not written)."""
        text = text.strip()
        if not text:
            return None
        start = self._length
        self._write(text + "\n")
        paragraph = Paragraph(text, (start, start + len(text)), heading_level, numbering or None)
        self.blocks.append(paragraph)
        self._paragraphs_since_table.append(paragraph)
        return paragraph

    def add_table(self, grid: list[list[RawCell]], title: str | None = None) -> Table | None:
        """Write a table in table-as-text layout; a table without any text is skipped."""
        grid = resolve_merges(grid)
        if not any(cell.text.strip() for row in grid for cell in row):
            return None
        if title is None:
            title = guess_table_title(self._paragraphs_since_table)
        rows: list[list[Cell]] = []
        # _write inlined: a large table has millions of cells.
        parts, length = self._parts, self._length
        for r, raw_row in enumerate(grid):
            row: list[Cell] = []
            for c, raw in enumerate(raw_row):
                if raw.merged_from is None:
                    text = raw.text.strip()
                    start = length + 1  # after the tab
                    parts.append(f"\t{text}\n")
                    length += len(text) + 2
                    row.append(Cell(text, (start, start + len(text)), r, c))
                    continue
                orow, ocol = raw.merged_from
                origin = rows[orow][ocol] if orow < r else row[ocol]
                if orow < r:
                    parts.append("\t\n")  # the empty cell Word writes for a vertical continuation
                    length += 2
                row.append(Cell(origin.text, origin.span, r, c, (orow, ocol)))
            rows.append(row)
            parts.append("\n")
            length += 1
        self._length = length
        # The cells were written in order: the first one of its own starts the table, the last
        # one ends it (found from each end, not by walking a large table's every cell).
        first = next(cell for row in rows for cell in row if cell.merged_from is None)
        last = next(
            cell for row in reversed(rows) for cell in reversed(row) if cell.merged_from is None
        )
        table = Table(rows, (first.span[0], last.span[1]), title)
        self.blocks.append(table)
        self._paragraphs_since_table = []
        return table

    def text(self) -> str:
        return "".join(self._parts)

    def build(self, name: str, fmt: str, sha256: str) -> ReadDocument:
        return ReadDocument(name, fmt, sha256, self.text(), self.blocks)
