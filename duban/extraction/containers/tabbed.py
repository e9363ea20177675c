"""The table-as-text layout: a Word table exported to plain text (seeds 000, 003, 004).

The layout, as Word's "plain text" export writes it:

* every cell starts with a tab at the start of a line; its text may continue on following lines
  that have no tab;
* a blank line ends a row; the first row is the header, whose cells may hold line breaks
  (任务\\n来源);
* an empty first cell (a lone tab) continues a vertical merge from the row above. When the empty
  cells run on (000: an item's second block of progress has both 任务来源 and 具体事项 empty) every
  cell of that leading run is a continuation; empty cells after a non-empty one are just empty.

And the slips the export makes, which this reader tolerates:

* the header's first line may start with a space before its tab;
* a cell may hold blank lines of its own, so a blank line ends a row only once the row has all its
  cells; a row that has all its cells and meets another tab line without a blank line ends there;
* a cell's last words can spill past the row's blank line (003: 市人力资源社会 / blank / 保障局). A
  short unpunctuated line with no tab, right after the blank line that ended a row whose last cell
  stopped mid-phrase, is joined back onto that cell: the cell's text reads 市人力资源社会保障局 and
  its span runs from the cell's first character to the spilled one's last. Under the table's
  last row the tail must be shorter (six characters, no digits), so a signature or a date below
  the table is not mistaken for one;
* artefacts such as ``[bookmark: _GoBack]`` are removed from the whole text before parsing
  (see ``encoding.normalise``).

Cell text keeps its line breaks as printed, header cells included; ``blocks.header_label`` gives
the label without them. A parse that does not find a header of at least two cells followed by at
least one row is not a table, and the lines stay running text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..blocks import Cell, Table

_CELL_START = re.compile(r"^ *\t")
MIN_COLUMNS = 2
MAX_SPILL_LENGTH = 12
MAX_END_SPILL_LENGTH = 6
_SPILL_FORBIDDEN = re.compile(r"[。；;，,：:！？!?、]")
_ENDS_PHRASE = tuple("。；;，,：:！？!?、）)》”")


def is_cell_start(line: str) -> bool:
    return bool(_CELL_START.match(line))


def starts_table(line: str) -> bool:
    """A line that could open a table: a cell start with some text."""
    return bool(_CELL_START.match(line)) and bool(line.strip())


@dataclass(slots=True)  # one per cell of a table: no __dict__ each
class _RawCell:
    start: int  # first content character
    end: int  # one past the last content character seen so far
    spill: tuple[int, int] | None = None

    def extend(self, text: str, line_start: int, line_end: int) -> None:
        content = text[line_start:line_end].rstrip()
        if content.strip():
            if self.start == self.end:
                # The cell was empty so far: it starts at this line's first character.
                self.start = line_start + len(content) - len(content.lstrip())
            self.end = line_start + len(content)


@dataclass
class _Parse:
    rows: list[list[_RawCell]] = field(default_factory=list)
    columns: int = 0
    end_line: int = 0  # index of the first line after the table


def _open_cell(line: str, line_start: int) -> _RawCell:
    """The cell a line opens (``line`` starts at ``line_start`` in the text)."""
    after_tab = line[line.index("\t") + 1 :]
    content = after_tab.lstrip()
    start = line_start + len(line) - len(content)
    return _RawCell(start, start + len(content.rstrip()))


def _is_spill(
    text: str, lines: list[tuple[int, int]], i: int, previous_row: list[_RawCell]
) -> bool:
    """Is ``lines[i]`` (no tab, right after the blank line that ended a row) a spilled tail?

    Inside the table (another row follows) a spill may be up to MAX_SPILL_LENGTH characters; at
    the end of the table it must be shorter still and hold no digits, so that a signature or a
    date under the table (青溪市科学技术局 / 2023年1月5日) is not taken for one.
    """
    content = text[lines[i][0] : lines[i][1]].strip()
    inside = _next_content_is_row(text, lines, i + 1)
    limit = MAX_SPILL_LENGTH if inside else MAX_END_SPILL_LENGTH
    if not content or len(content) > limit or _SPILL_FORBIDDEN.search(content):
        return False
    if not inside and any(ch.isdigit() for ch in content):
        return False
    last = previous_row[-1]
    if last.spill is not None or last.start == last.end:
        return False
    return not text[last.start : last.end].endswith(_ENDS_PHRASE)


def parse(text: str, lines: list[tuple[int, int]], first: int) -> _Parse | None:
    """Parse the table whose header starts at ``lines[first]``; None if it is not a table."""
    result = _Parse()
    row: list[_RawCell] = []
    # Blank lines after the one that ended the last row (-1 while a row is open).
    blanks_after_row = -1
    end_line = len(lines)  # unless a line that belongs to no table comes first
    for i in range(first, len(lines)):
        start, end = lines[i]
        line = text[start:end]
        if _CELL_START.match(line):  # is_cell_start, without a call for each of a table's lines
            if result.columns and len(row) >= result.columns:
                result.rows.append(row)  # the row had all its cells; its blank line is missing
                row = []
            row.append(_open_cell(line, start))
            blanks_after_row = -1
        elif not line.strip():
            if not row:
                if result.rows:
                    blanks_after_row += 1
            elif not result.columns:
                if len(row) < MIN_COLUMNS:
                    return None
                result.columns = len(row)
                result.rows.append(row)
                row = []
                blanks_after_row = 0
            elif len(row) >= result.columns:
                result.rows.append(row)
                row = []
                blanks_after_row = 0
            # else: a blank line inside a cell
        elif row:
            row[-1].extend(text, start, end)
        elif (
            blanks_after_row == 0
            and len(result.rows) > 1
            and _is_spill(text, lines, i, result.rows[-1])
            and _next_is_break(text, lines, i + 1)
        ):
            content = line.strip()
            lead = len(line) - len(line.lstrip())
            result.rows[-1][-1].spill = (start + lead, start + lead + len(content))
        else:
            end_line = i
            break
    if row:
        if not result.columns:
            if len(row) < MIN_COLUMNS:
                return None
            result.columns = len(row)
        result.rows.append(row)
    if len(result.rows) < 2:
        return None
    result.end_line = end_line
    return result


def header_end(text: str, lines: list[tuple[int, int]], first: int) -> int:
    """Index of the first line after the would-be header at ``first`` (used to skip a non-table)."""
    i = first
    while i < len(lines) and text[lines[i][0] : lines[i][1]].strip():
        i += 1
    return max(i, first + 1)


def _next_content_is_row(text: str, lines: list[tuple[int, int]], i: int) -> bool:
    """Whether the next non-blank line from ``lines[i]`` on starts a cell."""
    while i < len(lines):
        line = text[lines[i][0] : lines[i][1]]
        if line.strip():
            return is_cell_start(line)
        i += 1
    return False


def _next_is_break(text: str, lines: list[tuple[int, int]], i: int) -> bool:
    """After a spill comes a blank line, a new row, or the end of the text."""
    if i >= len(lines):
        return True
    line = text[lines[i][0] : lines[i][1]]
    return not line.strip() or is_cell_start(line)


def to_table(text: str, parsed: _Parse, title: str | None = None) -> Table:
    """Cells with spans, merged continuations resolved, rows padded to the header's width."""
    columns = parsed.columns
    rows: list[list[Cell]] = []
    for r, raw_row in enumerate(parsed.rows):
        row: list[Cell] = []
        pad_at = raw_row[-1].end if raw_row else 0
        for c in range(columns):
            if c < len(raw_row):
                raw = raw_row[c]
                body = text[raw.start : raw.end]
                if raw.spill is not None:
                    row.append(
                        Cell(
                            body + text[raw.spill[0] : raw.spill[1]],
                            (raw.start, raw.spill[1]),
                            r,
                            c,
                        )
                    )
                else:
                    row.append(Cell(body, (raw.start, raw.end), r, c))
            else:
                row.append(Cell("", (pad_at, pad_at), r, c))
        rows.append(row)
    _carry_down(rows)
    span = (rows[0][0].span[0], max(cell.span[1] for row in rows for cell in row))
    return Table(rows, span, title)


def _carry_down(rows: list[list[Cell]]) -> None:
    """Leading empty cells of a data row continue the cells above (not below the header)."""
    for r in range(2, len(rows)):
        row = rows[r]
        if not row or row[0].text or all(not cell.text for cell in row):
            continue  # a row that starts with a value (most do) or has none continues nothing
        for c, cell in enumerate(row):
            if cell.text:
                break
            above = rows[r - 1][c]
            origin = above.merged_from or (above.row, above.col)
            source = rows[origin[0]][origin[1]]
            if not source.text:
                break
            row[c] = Cell(source.text, source.span, r, c, origin)
