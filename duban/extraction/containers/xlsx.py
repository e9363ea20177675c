"""Excel workbooks (.xlsx), read from the sheet XML with lxml's ``iterparse``.

What openpyxl (``data_only=True``) gives is reproduced, using its number-format and date helpers:
formula cells give their last computed value, shared and inline strings their text without the
phonetic guide, numbers with a date format a date (1900 or 1904 epoch), and a merged range keeps
only its first cell's value. openpyxl itself is not used to read: it keeps every cell as an object
(about twelve bytes of memory per byte of sheet XML), turns a merge into an object per cell it
covers (a merge over A1:XFD1048576 is seventeen billion), and reads every part of the package
whatever its size. Here only the parts needed are read, each through ``limits.Package``, and all
of them together may inflate to ``MAX_SHEET_XML``.

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

Only the cells the XML holds are read, never the declared dimension, which formatting can stretch
to a million rows; a used range far larger than the cells in it (a stray value at XFD1048576) is
refused by ``limits.check_grid``, after merges have been cut back to the cells with values.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from functools import partial
from itertools import repeat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601

from ..blocks import ReadDocument
from . import errors, limits
from .builder import RawCell, TextBuilder, guess_table_title

MAX_TITLE_ROWS = 3
# All the XML of a workbook (sheets, shared strings, styles), as it inflates; beyond this much a
# workbook is refused rather than read.
MAX_SHEET_XML = 100 * 1024 * 1024
_FIXED_DECIMALS = re.compile(r"^(#,##)?0(\.0+)?$")
_NOTE = re.compile(r"^(?:注|说明|备注|附注)\s*\d*\s*[：:]")
_PERCENT_DECIMALS = re.compile(r"0\.(0+)%")
_KIND = "Excel 表格"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_ROW, _C, _V, _IS, _T, _RUN, _MERGE = (
    f"{{{S}}}{t}" for t in ("row", "c", "v", "is", "t", "r", "mergeCell")
)


def read_xlsx(data: bytes, name: str, sha256: str) -> ReadDocument:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # BadZipFile, NotImplementedError (zip version), OSError …
        raise errors.corrupt(_KIND) from exc
    with archive:
        _check_package(archive)
        package = limits.Package(archive, "表格")
        try:
            book = _Workbook(package)
            grids = [(title, _sheet_grid(book, part)) for title, part in book.sheets]
        except errors.ReadError:
            raise
        except Exception as exc:  # a damaged part: XML syntax, a bad index, a bad number …
            raise errors.corrupt(_KIND) from exc
    grids = [(title, grid) for title, grid in grids if grid]
    builder = TextBuilder()
    for title, grid in grids:
        if len(grids) > 1:
            builder.add_paragraph(title, heading_level=1)
        _add_sheet(builder, grid)
    return builder.build(name, "xlsx", sha256)


def _check_package(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook whose parts declare more XML than MAX_SHEET_XML (the parts are also
    counted as they are read: a declared size is only the writer's word)."""
    total = sum(i.file_size for i in archive.infolist() if i.filename.startswith(_READ_PARTS))
    if total > MAX_SHEET_XML:
        raise limits.part_too_large("表格", MAX_SHEET_XML)


_READ_PARTS = ("xl/worksheets/", "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml")


# the package -----------------------------------------------------------------------------------
class _Workbook:
    """What every sheet needs: the sheets in order, shared strings, number formats, epoch."""

    def __init__(self, package: limits.Package) -> None:
        self.package = package
        self.budget = MAX_SHEET_XML  # left of the XML the workbook may inflate to
        root = self.parse("xl/workbook.xml")
        pr = root.find(f"{{{S}}}workbookPr")
        date1904 = pr is not None and (pr.get("date1904") or "").lower() in ("1", "true")
        self.epoch = CALENDAR_MAC_1904 if date1904 else WINDOWS_EPOCH
        rels = self.relationships("xl/_rels/workbook.xml.rels")
        self.sheets: list[tuple[str, str]] = []
        for sheet in root.iter(f"{{{S}}}sheet"):
            target = rels.get(sheet.get(f"{{{R}}}id") or "")
            if target and target[0].endswith("/worksheet") and target[1] in package.names:
                self.sheets.append((sheet.get("name") or "", target[1]))
        strings = next((t for kind, t in rels.values() if kind.endswith("/sharedStrings")), None)
        self.strings = self.shared_strings(strings or "xl/sharedStrings.xml")
        self.formats, self.dates, self.durations = self.number_formats("xl/styles.xml")

    def open(self, part: str):
        return _Charged(self.package.open(part, MAX_SHEET_XML), self)

    def parse(self, part: str):
        from lxml import etree

        with self.open(part) as stream:
            return etree.parse(stream, _parser()).getroot()

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        if part not in self.package.names:
            return {}
        found = {}
        for rel in self.parse(part).iter(f"{{{REL}}}Relationship"):
            target = rel.get("Target") or ""
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            found[rel.get("Id") or ""] = (rel.get("Type") or "", posixpath.normpath(path))
        return found

    def shared_strings(self, part: str) -> list[str]:
        from lxml import etree

        if part not in self.package.names:
            return []
        strings = []
        with self.open(part) as stream:
            for _event, si in etree.iterparse(stream, tag=f"{{{S}}}si", **_ITERPARSE):
                strings.append(_rich_text(si).replace("x005F_", ""))
                si.clear()
        return strings

    def texts(self) -> list[str]:
        """The shared strings as cells show them (see format_value), trimmed."""
        return [format_value(s).strip() for s in self.strings]

    def number_formats(self, part: str) -> tuple[list[str], set[int], set[int]]:
        """Per cell style index: its number format, and which styles are dates, durations."""
        if part not in self.package.names:
            return [], set(), set()
        root = self.parse(part)
        custom = {
            _int(n.get("numFmtId")): n.get("formatCode") or "" for n in root.iter(f"{{{S}}}numFmt")
        }
        formats, dates, durations = [], set(), set()
        xfs = root.find(f"{{{S}}}cellXfs")
        for index, xf in enumerate(xfs if xfs is not None else ()):
            number = _int(xf.get("numFmtId")) or 0
            fmt = custom.get(number) or BUILTIN_FORMATS.get(number) or "General"
            formats.append(fmt)
            if is_date_format(fmt):
                dates.add(index)
            if is_timedelta_format(fmt):
                durations.add(index)
        return formats, dates, durations


class _Charged:
    """A part's stream that also counts against the workbook's MAX_SHEET_XML."""

    def __init__(self, stream, book: _Workbook) -> None:
        self.stream = stream
        self.book = book

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.book.budget -= len(data)
        if self.book.budget < 0:
            raise limits.part_too_large("表格", MAX_SHEET_XML)
        return data

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.stream.close()


def _parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


_ITERPARSE = {"events": ("end",), "resolve_entities": False, "no_network": True, "huge_tree": True}


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _rich_text(element) -> str:
    """The text of a shared or inline string: its ``t``, or its runs' ``t``; not the phonetic
    guide (``rPh``), as openpyxl reads it."""
    pieces = []
    for child in element:
        if child.tag == _T:
            pieces.append(child.text or "")
        elif child.tag == _RUN:
            pieces.extend(t.text or "" for t in child if t.tag == _T)
    return "".join(pieces)


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


_REF = re.compile(r"([A-Z]{1,3})(\d+)$")
_COLUMNS: dict[str, int] = {}


def _column(letters: str) -> int:
    index = _COLUMNS.get(letters)
    if index is None:
        index = 0
        for ch in letters:
            index = index * 26 + ord(ch) - 64
        _COLUMNS[letters] = index
    return index


def _range(ref: str) -> tuple[int, int, int, int] | None:
    """(min_row, min_col, max_row, max_col) of "A1:C3" (or "A1")."""
    corners = []
    for part in (ref or "").upper().replace("$", "").split(":")[:2]:
        match = _REF.match(part)
        if not match:
            return None
        corners.append((int(match.group(2)), _column(match.group(1))))
    if not corners:
        return None
    (r1, c1), (r2, c2) = corners[0], corners[-1]
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def _read_cells(book: _Workbook, part: str) -> tuple[dict[int, dict[int, str]], list]:
    """The non-empty cells of a sheet, as text by row and column, and its merged ranges.

    Only the cells the sheet XML holds are read: the declared dimension, which formatting can
    stretch to the whole sheet, is not consulted. The cells are scanned from the XML's text when
    it is written the way spreadsheet programs write it (_scan_cells), else parsed element by
    element; both read the same cells.
    """
    values = _CellValues(book)
    budget, charged = book.budget, book.package.total
    try:
        with book.open(part) as stream:
            data = b"".join(iter(partial(stream.read, limits._CHUNK), b""))
    except errors.ReadError:
        # Too large: parsed as a stream after all, as it always was, so that a syntax error
        # before the limit is still reported as one.
        book.budget, book.package.total = budget, charged
        with book.open(part) as stream:
            rows, merges, _ = _parse_cells(stream, values)
        return rows, merges
    scanned = _scan_cells(data, values)
    if scanned is not None:
        return scanned
    rows, merges, _ = _parse_cells(io.BytesIO(data), values)
    return rows, merges


class _CellValues:
    """A cell's text from the text of its <v>, its type (t) and its style (s)."""

    def __init__(self, book: _Workbook) -> None:
        self.book = book
        self.strings = book.texts()
        self.formats, self.dates = book.formats, book.dates
        # Styles whose number format changes how a number prints: a percentage, fixed decimals.
        self.percents = {
            i for i, fmt in enumerate(self.formats) if "%" in fmt or _FIXED_DECIMALS.match(fmt)
        }
        self.styles: dict[str | None, int] = {None: 0, "": 0}  # s="3" -> 3: a sheet has few

    def text(self, value: str, kind: str | None, style_text: str | None) -> str:
        style = self.styles.get(style_text)
        if style is None:
            style = self.styles[style_text] = int(style_text)  # type: ignore[arg-type]
        if kind == "s":
            return self.strings[int(value)]
        if (kind is None or kind == "n") and style not in self.dates:
            if "." in value or "E" in value or "e" in value:
                return format_value(
                    float(value), self.formats[style] if style in self.percents else None
                )
            if style in self.percents:
                return format_value(int(value), self.formats[style])
            return str(int(value))
        return _typed_value(value, kind, style, self.book)


def _parse_cells(stream, values: _CellValues) -> tuple[dict[int, dict[int, str]], list, int]:
    """The cells and merged ranges of a sheet parsed element by element, and how many rows
    it has."""
    from lxml import etree

    rows: dict[int, dict[int, str]] = {}
    merges = []
    row_count = 0
    row_number = 0
    column = 0
    current = -1  # the row number ``row_values`` holds the cells of
    row_values: dict[int, str] = {}
    ref_columns: dict[str, int] = {}  # column letters _REF has read -> column number
    for _event, element in etree.iterparse(stream, tag=(_ROW, _MERGE), **_ITERPARSE):
        if element.tag == _MERGE:
            found = _range(element.get("ref"))
            if found:
                merges.append(found)
            continue
        row_count += 1
        number = element.get("r")
        row_number = int(number) if number else row_number + 1
        column = 0
        # The common cell is <c r="B7" s="3" t="s"><v>12</v></c>: its value is its last
        # child. Looked up by hand, not with findtext (lxml's ElementPath is Python).
        for cell in element:
            if cell.tag != _C:
                continue
            ref = cell.get("r")
            if ref:
                # B7: the column letters are known after the first row, and are taken
                # without a match; anything else is read by _REF.
                letters = ref.rstrip("0123456789")
                column = ref_columns.get(letters, 0)
                if column and len(letters) < len(ref):
                    row_number = int(ref[len(letters) :])
                else:
                    match = _REF.match(ref)
                    if match is None:
                        raise ValueError(ref)
                    letters, digits = match.groups()
                    column = ref_columns[letters] = _column(letters)
                    row_number = int(digits)
            else:
                column += 1
            kind = cell.get("t")
            if kind == "inlineStr":
                inline = next((c for c in cell if c.tag == _IS), None)
                value = _rich_text(inline) if inline is not None else None
            elif len(cell):
                last = cell[-1]
                value = last.text if last.tag == _V else cell.findtext(_V)
            else:
                continue
            if not value:
                continue
            text = values.text(value, kind, cell.get("s"))
            if text:
                if current != row_number:
                    row_values = rows.setdefault(row_number, {})
                    current = row_number
                row_values[column] = text
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
    return rows, merges, row_count


# What _scan_cells reads between <sheetData> and </sheetData>, one match at a time: a cell as
# spreadsheet programs write it (<c r="B7" s="3" t="s"><v>12</v></c>, with a formula before
# its value, or an inline string of one run), a row's start tag, a row's end, white space;
# anything else (rich text, an entity, another attribute, a comment) is a stray character, and
# the sheet is parsed.
_XML_SPACE = "[ \t\r\n]*"
_PLAIN_CHARACTER = "[^<>&\r\x00-\x08\x0b\x0c\x0e-\x1f]"  # no markup, entity or CR (XML rewrites it)
_PLAIN_TEXT = f"{_PLAIN_CHARACTER}*"
_FORMULA = (
    '<f(?: t="[a-z]+")?(?: ref="[A-Z0-9:]+")?(?: ca="1")?(?: si="[0-9]+")?'
    f"(?:/>|>{_PLAIN_TEXT}</f>)"
)
# An inline string's text may hold character references (openpyxl writes all CJK as &#NNNNN;).
_REFERENCE = "&(?:#([0-9]{1,7})|#x([0-9a-fA-F]{1,6})|([a-z]{2,4}));"  # each & of _INLINE_TEXT
_INLINE_TEXT = f"(?:{_PLAIN_CHARACTER}|&(?:#[0-9]{{1,7}}|#x[0-9a-fA-F]{{1,6}}|[a-z]{{2,4}});)*"
_SHEET_DATA_ITEM = re.compile(
    '<c r="([A-Z]{1,3})([0-9]+)"(?: s="([0-9]+)")?(?: t="([A-Za-z]+)")?'
    f"{_XML_SPACE}(?:/>|>{_XML_SPACE}(?:{_FORMULA}{_XML_SPACE})?"
    f"(?:<v>({_PLAIN_TEXT})</v>{_XML_SPACE}"
    f'|<is><t(?: xml:space="preserve")?>({_INLINE_TEXT})</t></is>{_XML_SPACE})?</c>)'
    # A row's other attributes (spans, height, style) are checked by parsing them (see below).
    '|<row r="([0-9]+)"((?: (?!xmlns)[A-Za-z_][A-Za-z0-9_.:-]*="[^"<>&\x00-\x1f]*")*)'
    f"{_XML_SPACE}(/?)>"
    "|(</row>)|[ \t\r\n]+|(.)",
    re.DOTALL,
)
_REFERENCE_RE = re.compile(_REFERENCE)
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_SHEET_DATA = b"<sheetData>"
_SHEET_DATA_END = b"</sheetData>"
_ROW_END = b"</row>"
_DECLARED_ENCODING = re.compile(rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding=["']([^"']*)["']""")
_SCAN_PIECE = 1024 * 1024  # of sheet data scanned at once: the matches of a piece are a list


def _scan_cells(data: bytes, values: _CellValues) -> tuple[dict[int, dict[int, str]], list] | None:
    """The cells and merged ranges of a sheet read from its XML's text, or None if it is not
    written in the plain form every spreadsheet program uses (then it is parsed).

    Parsing gives every cell to Python as elements and attributes (half of reading a large
    sheet); here one regular expression reads each cell's reference, style, type and value in
    C. The scan reads exactly what parsing would: its grammar has no comment, entity (an inline
    string's character references aside), namespace declaration or repeated attribute, every
    cell has its reference (so that rows only group them), and the rest of the document, with
    the sheet data cut out, is parsed as before: that checks that the whole is well-formed,
    that <sheetData> is the spreadsheet's own element, and reads the merged ranges. Each
    distinct set of a row's attributes is kept in the rest, in an empty row, so that they are
    checked in place (namespace prefixes, repeated names). Anything that fails (a bad shared
    string index, a bad number) is left to the parser too, which fails as it always did.
    """
    start = data.find(_SHEET_DATA)
    end = data.find(_SHEET_DATA_END, start)
    if start < 0 or end < 0 or data.count(b"<sheetData") != 1 or b"<!" in data:
        return None  # no sheet data, another one, or a comment or CDATA that may hide one
    declared = _DECLARED_ENCODING.match(data)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        return None
    start += len(_SHEET_DATA)
    try:
        found = _scan_sheet_data(data, start, end, values)
    except Exception:  # a bad index or number: left to the parser, to fail as it always did
        return None
    if found is None:
        return None
    rows, row_attributes = found
    empty_rows = "".join(f"<row{a}/>" for a in row_attributes).encode("ascii")
    rest = data[:start] + empty_rows + data[end:]
    rest_rows, merges, row_count = _parse_cells(io.BytesIO(rest), values)
    if rest_rows or row_count != len(row_attributes):
        return None  # cells outside the sheet data, or rows in another namespace
    return rows, merges


def _scan_sheet_data(
    data: bytes, start: int, end: int, values: _CellValues
) -> tuple[dict[int, dict[int, str]], set[str]] | None:
    """The cells of data[start:end], the sheet data, and each distinct set of attributes of
    its rows; None if it holds anything but the plain cells and rows of _SHEET_DATA_ITEM."""
    rows: dict[int, dict[int, str]] = {}
    row_attributes: set[str] = set()
    in_row = False
    current = -1  # the row number ``row_values`` holds the cells of
    row_values: dict[int, str] = {}
    ref_columns: dict[str, int] = {}
    strings, text_of = values.strings, values.text
    for piece in _pieces(data, start, end):
        if not piece.isascii():
            return None
        for match in _SHEET_DATA_ITEM.findall(piece.decode("ascii")):
            letters, digits, style, kind, value, inline, row, attributes, closed, row_end, stray = (
                match
            )
            if letters:  # a cell
                if not in_row:
                    return None
                if kind == "inlineStr":  # its text is in <is>, not in <v>
                    value = _resolve_references(inline) if "&" in inline else inline
                if not value:
                    continue
                column = ref_columns.get(letters)
                if column is None:
                    column = ref_columns[letters] = _column(letters)
                row_number = int(digits)
                text = strings[int(value)] if kind == "s" else text_of(value, kind or None, style)
                if text:
                    if current != row_number:
                        row_values = rows.setdefault(row_number, {})
                        current = row_number
                    row_values[column] = text
            elif row:
                if in_row:
                    return None
                in_row = not closed
                row_attributes.add(attributes)
            elif row_end:
                if not in_row:
                    return None
                in_row = False
            elif stray:
                return None
    return None if in_row else (rows, row_attributes)


def _resolve_references(text: str) -> str:
    """An inline string's text with its references replaced as an XML parser does; a reference
    to a character XML does not allow or to an undeclared entity raises (and the sheet is
    parsed)."""
    return _REFERENCE_RE.sub(_referenced, text)


def _referenced(reference: re.Match[str]) -> str:
    decimal, hexadecimal, name = reference.groups()
    if name:
        return _ENTITIES[name]  # KeyError: an entity never declared
    code = int(decimal) if decimal else int(hexadecimal, 16)
    if not (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    ):
        raise ValueError(reference.group())
    return chr(code)


def _pieces(data: bytes, start: int, end: int):
    """data[start:end] in pieces of about _SCAN_PIECE bytes, each ending after a row's end."""
    while start < end:
        cut = data.find(_ROW_END, min(start + _SCAN_PIECE, end), end)
        cut = end if cut < 0 else cut + len(_ROW_END)
        yield data[start:cut]
        start = cut


def _typed_value(value: str, kind: str | None, style: int, book: _Workbook) -> str:
    """The text of a cell that is not a shared string or a plain number, as openpyxl's value
    would be written (see format_value)."""
    if kind is None or kind == "n":
        number = float(value) if "." in value or "E" in value or "e" in value else int(value)
        try:
            value = from_excel(number, book.epoch, timedelta=style in book.durations)
        except (OverflowError, ValueError):
            value = "#VALUE!"
    elif kind == "b":
        value = bool(int(value))
    elif kind == "d":
        value = from_ISO8601(value)
    number_format = book.formats[style] if style < len(book.formats) else None
    return format_value(value, number_format).strip()


def _sheet_grid(book: _Workbook, part: str) -> list[list[RawCell]]:
    """The used range of a sheet as a grid with merged ranges expanded."""
    rows, merges = _read_cells(book, part)
    # A merged range keeps its first cell's value only (as Excel shows it). The cells it covers
    # are looked up among those that exist, not walked through: a merge may cover the sheet.
    merges = list(dict.fromkeys(merges))
    for min_row, min_col, max_row, max_col in merges:
        if max_row - min_row < len(rows):
            covered_rows = range(min_row, max_row + 1)
        else:
            covered_rows = [r for r in rows if min_row <= r <= max_row]
        for r in covered_rows:
            row = rows.get(r)
            if not row:
                continue
            if max_col - min_col < len(row):
                covered = [c for c in range(min_col, max_col + 1) if c in row]
            else:
                covered = [c for c in row if min_col <= c <= max_col]
            for c in covered:
                if (r, c) != (min_row, min_col):
                    del row[c]
    rows = {r: row for r, row in rows.items() if row}
    if not rows:
        return []
    merges = [m for m in merges if m[1] in rows.get(m[0], ())]
    count = sum(map(len, rows.values()))
    top, bottom = min(rows), max(rows)
    left = min(min(row) for row in rows.values())
    right = max(max(row) for row in rows.values())
    height = max([bottom, *(m[2] for m in merges)]) - top + 1
    width = max([right, *(m[3] for m in merges)]) - left + 1
    if height * width > max(limits.GRID_FLOOR, limits.GRID_FACTOR * count):
        # Merges may not stretch a sheet that much beyond its values: cut them at the values.
        merges = [(a, b, min(c, bottom), min(d, right)) for a, b, c, d in merges]
    else:
        bottom, right = top + height - 1, left + width - 1
    limits.check_grid(bottom - top + 1, right - left + 1, count)
    # One RawCell per distinct text, shared: nothing changes a RawCell once made, and a ledger
    # repeats its units, statuses and blanks down the rows (a cell object each took a tenth of
    # reading a large sheet).
    shared: dict[str, RawCell] = {}
    columns = range(left, right + 1)
    grid = [
        [
            shared.get(text) or shared.setdefault(text, RawCell(text))
            for text in map(row.get, columns, repeat(""))
        ]
        for row in (rows.get(r, _EMPTY) for r in range(top, bottom + 1))
    ]
    for min_row, min_col, max_row, max_col in merges:
        origin = (min_row - top, min_col - left)
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                if (r, c) != (min_row, min_col):
                    grid[r - top][c - left] = RawCell("", origin)
    return grid


_EMPTY: dict[int, str] = {}


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
