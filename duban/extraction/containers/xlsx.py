"""Excel workbooks (.xlsx) via openpyxl.

openpyxl is opened with ``read_only=False`` (read-only mode does not report merged ranges) and
``data_only=True`` (formula cells give their last computed value, not the formula).

Each worksheet's used range (the bounding box of non-empty and merged cells, not the sheet's
declared dimension, which formatting inflates) becomes one :class:`Table`. Ledgers put a title
above the header: leading rows that hold a single non-empty value (a lone cell or one merged across
the row) are title rows — they become paragraphs, and the first that is not a label line
(单位名称：…) is the table's title. Trailing rows that hold only a note (注：…, 说明：…) become
paragraphs after the table. When the workbook has more than one non-empty sheet, each sheet's name
comes first as a level-1 heading.

Values are written as a reader sees them: integral numbers without ".0", other floats with up to
15 significant digits, percentages formatted with a ``%`` number format as percentages, a fixed number of decimals
(``0.0``, ``#,##0.00``) as Excel shows them, dates as
YYYY-MM-DD (with HH:MM when there is a time of day), booleans as TRUE/FALSE.

Non-read-only openpyxl keeps every cell as an object, about twelve bytes of memory per byte of
sheet XML, so a workbook whose XML exceeds ``MAX_SHEET_XML`` is refused. Cells are taken from the
sheet's store of existing cells (``Worksheet._cells``): ``iter_rows`` would create every cell of a
declared dimension that formatting can stretch to a million rows.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile

from ..blocks import ReadDocument
from . import errors
from .builder import RawCell, TextBuilder, guess_table_title

MAX_TITLE_ROWS = 3
# openpyxl (not read-only, for the merged ranges) holds every cell as an object: about 12 bytes of
# memory per byte of sheet XML. Beyond this much XML a workbook is refused rather than read.
MAX_SHEET_XML = 50 * 1024 * 1024
_FIXED_DECIMALS = re.compile(r"^(#,##)?0(\.0+)?$")
_NOTE = re.compile(r"^(?:注|说明|备注|附注)\s*\d*\s*[：:]")
_PERCENT_DECIMALS = re.compile(r"0\.(0+)%")
_KIND = "Excel 表格"


def read_xlsx(data: bytes, name: str, sha256: str) -> ReadDocument:
    _check_package(data)
    try:
        import openpyxl

        with warnings.catch_warnings():  # "no default style", unsupported extensions …
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except errors.ReadError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged package
        raise errors.corrupt(_KIND) from exc
    sheets = [s for s in workbook.worksheets if hasattr(s, "merged_cells")]
    grids = [(sheet.title, _sheet_grid(sheet)) for sheet in sheets]
    grids = [(title, grid) for title, grid in grids if grid]
    builder = TextBuilder()
    for title, grid in grids:
        if len(grids) > 1:
            builder.add_paragraph(title, heading_level=1)
        _add_sheet(builder, grid)
    return builder.build(name, "xlsx", sha256)


def _check_package(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(i.file_size for i in archive.infolist() if i.filename.startswith("xl/"))
    except Exception as exc:  # BadZipFile, NotImplementedError (zip version), OSError …
        raise errors.corrupt(_KIND) from exc
    if total > MAX_SHEET_XML:
        limit = MAX_SHEET_XML // (1024 * 1024)
        raise errors.ReadError(f"表格内容过大（解压后超过 {limit} MB），无法读取", errors.TOO_LARGE)


def format_value(value, number_format: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, int | float):
        if number_format and "%" in number_format:
            match = _PERCENT_DECIMALS.search(number_format)
            return f"{value * 100:.{len(match.group(1)) if match else 0}f}%"
        fixed = _FIXED_DECIMALS.match(number_format or "")
        if fixed and abs(value) < 1e15:
            # "0.0", "0.00", "#,##0.0": the decimals (and thousands commas) Excel shows.
            decimals = len(fixed.group(2) or ".") - 1
            return f"{value:{',' if fixed.group(1) else ''}.{decimals}f}"
        if isinstance(value, float):
            if value.is_integer() and abs(value) < 1e15:
                return str(int(value))
            return f"{value:.15g}"
        return str(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _sheet_grid(sheet) -> list[list[RawCell]]:
    """The used range of a sheet as a grid with merged ranges expanded."""
    values: dict[tuple[int, int], str] = {}
    # The sheet's stored cells only: iter_rows() would create every cell of the declared
    # dimension, which formatting can stretch to a million rows.
    stored = getattr(sheet, "_cells", None)
    cells = (
        stored.values() if isinstance(stored, dict) else (c for r in sheet.iter_rows() for c in r)
    )
    for cell in cells:
        if cell.value is None:
            continue
        text = format_value(cell.value, cell.number_format).strip()
        if text:
            values[(cell.row, cell.column)] = text
    merges = [
        (m.min_row, m.min_col, m.max_row, m.max_col)
        for m in sheet.merged_cells.ranges
        if (m.min_row, m.min_col) in values
    ]
    if not values:
        return []
    corners = list(values) + [(m[2], m[3]) for m in merges]
    top = min(r for r, _ in values)
    left = min(c for _, c in values)
    bottom = max(r for r, _ in corners)
    right = max(c for _, c in corners)
    grid = [
        [RawCell(values.get((r, c), "")) for c in range(left, right + 1)]
        for r in range(top, bottom + 1)
    ]
    for min_row, min_col, max_row, max_col in merges:
        origin = (min_row - top, min_col - left)
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                if (r, c) != (min_row, min_col):
                    grid[r - top][c - left] = RawCell("", origin)
    return grid


def _filled(row: list[RawCell]) -> list[RawCell]:
    return [cell for cell in row if cell.text]


def _blank(row: list[RawCell]) -> bool:
    return all(not cell.text and cell.merged_from is None for cell in row)


def _title_row_count(grid: list[list[RawCell]]) -> int:
    """Rows above the header: single values (at most MAX_TITLE_ROWS) and blank rows between."""
    titles = 0
    for index, row in enumerate(grid):
        filled = len(_filled(row))
        if filled >= 2:
            return index if titles else 0
        if filled == 1:
            titles += 1
            if titles > MAX_TITLE_ROWS:
                return 0
        elif not _blank(row):
            return 0
    return 0


def _note_row_count(grid: list[list[RawCell]], title_rows: int) -> int:
    """Rows below the table: notes (注：…, 说明：…) and blank rows."""
    count = 0
    while len(grid) - count - 1 > title_rows + 1:
        row = grid[-1 - count]
        filled = _filled(row)
        if not _blank(row) and (len(filled) != 1 or not _NOTE.match(filled[0].text)):
            break
        count += 1
    return count


def _add_sheet(builder: TextBuilder, grid: list[list[RawCell]]) -> None:
    title_rows = _title_row_count(grid)
    note_rows = _note_row_count(grid, title_rows)
    titles = [
        builder.add_paragraph(_filled(row)[0].text) for row in grid[:title_rows] if _filled(row)
    ]
    body = _rebase(grid[title_rows : len(grid) - note_rows], title_rows)
    title = guess_table_title([t for t in titles if t is not None]) if titles else None
    builder.add_table(body, title)
    for row in grid[len(grid) - note_rows :]:
        if _filled(row):
            builder.add_paragraph(_filled(row)[0].text)


def _rebase(rows: list[list[RawCell]], offset: int) -> list[list[RawCell]]:
    """Shift merge origins up by ``offset`` dropped rows; a region cut by the drop is unmerged."""
    return [
        [
            cell
            if cell.merged_from is None
            else RawCell("", (cell.merged_from[0] - offset, cell.merged_from[1]))
            if cell.merged_from[0] >= offset
            else RawCell("")
            for cell in row
        ]
        for row in rows
    ]
