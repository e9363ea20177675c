"""A ledger as an Excel workbook (.xlsx): SpreadsheetML written directly into a zip.

openpyxl (which reads these files back in the tests and in the extractor) spends three to four
seconds writing a 5,000-target ledger, one Python object and one lxml call per cell; written as
text, the same sheet takes a fraction of a second.

The sheet as an office prints it: the title merged across the table, the contact line under
it, the header row (repeated at the top of every printed page and frozen on screen), the body
with its merged cells, thin borders, wrapped text and rows tall enough for their text, the
notes under the table; A4 landscape, fitted to the page width, page numbers in the footer.
Every cell is text (number format "@"), so 序号 43 stays 43 and "=…" is never a formula.
"""

from __future__ import annotations

import io
import math
import zipfile
from xml.sax.saxutils import escape

from . import printing
from .layouts import Ledger

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LINE_HEIGHT = 14.5  # points per line of 10.5 pt text
ROW_PADDING = 5
MIN_ROW_HEIGHT = 20
SHEET_NAMES = {"progress": "完成情况", "commitments": "承诺事项", "goals": "业务目标"}

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Cell formats (indexes into cellXfs below).
TITLE, LINE, HEADER, LEFT, CENTER, SECTION, NOTE, LEFT_TOP, CENTER_TOP = range(1, 10)
# A cell merged down over more than this many points is taller than what is left of a printed
# page: its text goes at the top, on the first page it covers (as Word prints it), not in the
# middle of the region, which may be pages further on or cut by a page break.
TALL_MERGE = 300
FILL_IN_LINES = 4  # the least room a fill-in form's row leaves for the unit's answer


def _font(name: str, size: float, bold: bool = False) -> str:
    # charset 134 is GB2312: Excel picks the Chinese face even on a Western system.
    weight = "<b/>" if bold else ""
    return f'<font>{weight}<sz val="{size:g}"/><name val="{name}"/><family val="3"/><charset val="134"/></font>'


def _xf(font: int, border: int, horizontal: str, vertical: str = "center") -> str:
    return (
        f'<xf numFmtId="49" fontId="{font}" fillId="0" borderId="{border}" xfId="0" '
        'applyNumberFormat="1" applyFont="1" applyBorder="1" applyAlignment="1">'
        f'<alignment horizontal="{horizontal}" vertical="{vertical}" wrapText="1"/></xf>'
    )


def styles_xml() -> str:
    fonts = [
        _font(printing.TITLE_FONT, 11),  # the workbook's default font
        _font(printing.TITLE_FONT, printing.TITLE_SIZE, bold=True),
        _font(printing.BODY_FONT, printing.BODY_SIZE),
        _font(printing.HEADER_FONT, printing.HEADER_SIZE, bold=True),
        _font(printing.BODY_FONT, printing.BODY_SIZE, bold=True),
    ]
    thin = '<{0} style="thin"><color auto="1"/></{0}>'
    borders = [
        "<border><left/><right/><top/><bottom/><diagonal/></border>",
        "<border>"
        + "".join(thin.format(side) for side in ("left", "right", "top", "bottom"))
        + "<diagonal/></border>",
    ]
    xfs = [
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
        _xf(1, 0, "center"),  # TITLE
        _xf(2, 0, "left"),  # LINE
        _xf(3, 1, "center"),  # HEADER
        _xf(2, 1, "left"),  # LEFT
        _xf(2, 1, "center"),  # CENTER
        _xf(4, 1, "left"),  # SECTION
        _xf(2, 0, "left"),  # NOTE
        _xf(2, 1, "left", "top"),  # LEFT_TOP
        _xf(2, 1, "center", "top"),  # CENTER_TOP
    ]
    return (
        f'{_XML}<styleSheet xmlns="{MAIN_NS}">'
        f'<fonts count="{len(fonts)}">{"".join(fonts)}</fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        f'<borders count="{len(borders)}">{"".join(borders)}</borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _lines(text: str, width: float) -> int:
    capacity = max(width - 1, 1)
    return sum(
        max(1, math.ceil(printing.display_width(line) / capacity)) for line in text.split("\n")
    )


def _height(lines: int) -> float:
    return max(MIN_ROW_HEIGHT, lines * LINE_HEIGHT + ROW_PADDING)


def row_heights(ledger: Ledger) -> list[float]:
    """Heights for the body rows: each row as tall as its tallest cell; a cell merged down is
    given the height it needs by growing the last row it covers."""
    widths = [c.width for c in ledger.columns]
    covered = set()  # cells inside a region merged down
    for m in ledger.merges:
        if m.rows > 1:
            covered.update(
                (r, c) for r in range(m.row, m.row + m.rows) for c in range(m.col, m.col + m.cols)
            )
    heights = []
    for r, row in enumerate(ledger.rows):
        if r in ledger.sections:
            heights.append(_height(_lines(row[0], sum(widths))))
            continue
        lines = [
            _lines(text, widths[c]) for c, text in enumerate(row) if text and (r, c) not in covered
        ]
        heights.append(_height(max(lines, default=1)))
    for m in ledger.merges:
        if m.rows > 1:
            text = ledger.rows[m.row][m.col]
            needed = _height(_lines(text, sum(widths[m.col : m.col + m.cols])))
            have = sum(heights[m.row : m.row + m.rows])
            if needed > have:
                heights[m.row + m.rows - 1] += needed - have
    return heights


def tall_merges(ledger: Ledger, heights: list[float] | None = None) -> set[tuple[int, int]]:
    """The first cells (row, column) of the regions merged down that are taller than
    TALL_MERGE points, as the rows are printed."""
    heights = row_heights(ledger) if heights is None else heights
    return {
        (m.row, m.col)
        for m in ledger.merges
        if m.rows > 1 and sum(heights[m.row : m.row + m.rows]) > TALL_MERGE
    }


def _text(value: str) -> str:
    text = escape(printing.clean(value)[: printing.EXCEL_CELL_LIMIT])
    return f'<is><t xml:space="preserve">{text}</t></is>'


class _Sheet:
    def __init__(self, width: int):
        self.letters = [column_letter(c) for c in range(width)]
        self.parts: list[str] = []
        self.row_number = 0

    def row(self, values: list[str], styles: list[int], height: float, custom: bool = True):
        """A row `height` points tall; not `custom`: a height Excel grows as text is typed."""
        self.row_number += 1
        r = self.row_number
        cells = []
        for letter, value, style in zip(self.letters, values, styles, strict=True):
            if value:
                cells.append(f'<c r="{letter}{r}" s="{style}" t="inlineStr">{_text(value)}</c>')
            else:
                cells.append(f'<c r="{letter}{r}" s="{style}"/>')
        fixed = ' customHeight="1"' if custom else ""
        self.parts.append(f'<row r="{r}" ht="{height:g}"{fixed}>{"".join(cells)}</row>')
        return r


def sheet_xml(ledger: Ledger) -> str:
    width = len(ledger.columns)
    sheet = _Sheet(width)
    letters = sheet.letters
    merges = []

    def across(text: str, style: int, height: float):
        r = sheet.row([text] + [""] * (width - 1), [style] * width, height)
        if width > 1:
            merges.append(f"A{r}:{letters[-1]}{r}")

    across(ledger.title, TITLE, 36)
    for line in ledger.lines:
        across(line, LINE, 22)
    header_lines = max(_lines(c.label, c.width) for c in ledger.columns)
    header_row = sheet.row(ledger.header, [HEADER] * width, _height(header_lines))
    body_styles = [CENTER if c.center else LEFT for c in ledger.columns]
    top_styles = [CENTER_TOP if c.center else LEFT_TOP for c in ledger.columns]
    section_styles = [SECTION] + [LEFT] * (width - 1)
    heights = row_heights(ledger)
    tall = tall_merges(ledger, heights)
    for r, (row, height) in enumerate(zip(ledger.rows, heights, strict=True)):
        styles = section_styles if r in ledger.sections else body_styles
        if any(origin[0] == r for origin in tall):
            styles = [top_styles[c] if (r, c) in tall else style for c, style in enumerate(styles)]
        if ledger.fill_in:
            # Room to write in, and a row that grows with what the unit types.
            sheet.row(row, styles, max(height, _height(FILL_IN_LINES)), custom=False)
        else:
            sheet.row(row, styles, height)
    for m in ledger.merges:
        top = header_row + 1 + m.row
        first, last = letters[m.col], letters[m.col + m.cols - 1]
        merges.append(f"{first}{top}:{last}{top + m.rows - 1}")
    for note in ledger.notes:
        across(note, NOTE, 22)

    widths = "".join(
        f'<col min="{i}" max="{i}" width="{c.width:g}" customWidth="1"/>'
        for i, c in enumerate(ledger.columns, start=1)
    )
    merge_xml = "".join(f'<mergeCell ref="{ref}"/>' for ref in merges)
    return "".join(
        [
            f'{_XML}<worksheet xmlns="{MAIN_NS}" xmlns:r="{R_NS}">',
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
            f'<dimension ref="A1:{letters[-1]}{sheet.row_number}"/>',
            '<sheetViews><sheetView tabSelected="1" workbookViewId="0">',
            f'<pane ySplit="{header_row}" topLeftCell="A{header_row + 1}" '
            'activePane="bottomLeft" state="frozen"/>',
            f'<selection pane="bottomLeft" activeCell="A{header_row + 1}" '
            f'sqref="A{header_row + 1}"/></sheetView></sheetViews>',
            '<sheetFormatPr defaultRowHeight="15"/>',
            f"<cols>{widths}</cols>",
            "<sheetData>",
            *sheet.parts,
            "</sheetData>",
            f'<mergeCells count="{len(merges)}">{merge_xml}</mergeCells>' if merges else "",
            '<printOptions horizontalCentered="1"/>',
            '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" '
            'footer="0.3"/>',
            '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>',
            "<headerFooter><oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter>",
            "</worksheet>",
        ]
    )


def _sheet_name(ledger: Ledger) -> str:
    return SHEET_NAMES.get(ledger.layout, "台账")


def workbook_xml(ledger: Ledger) -> str:
    header_row = 2 + len(ledger.lines)
    name = _sheet_name(ledger)
    return (
        f'{_XML}<workbook xmlns="{MAIN_NS}" xmlns:r="{R_NS}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets>'
        '<definedNames><definedName name="_xlnm.Print_Titles" localSheetId="0">'
        f"'{name}'!${header_row}:${header_row}</definedName></definedNames>"
        "</workbook>"
    )


_CONTENT_TYPES = (
    f"{_XML}"
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)
_REL = '<Relationship Id="{0}" Type="{1}" Target="{2}"/>'
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_PACKAGE_RELS = (
    f'{_XML}<Relationships xmlns="{_RELS_NS}">'
    + _REL.format("rId1", _OFFICE + "officeDocument", "xl/workbook.xml")
    + _REL.format("rId2", f"{_RELS_NS}/metadata/core-properties", "docProps/core.xml")
    + _REL.format("rId3", _OFFICE + "extended-properties", "docProps/app.xml")
    + "</Relationships>"
)
_WORKBOOK_RELS = (
    f'{_XML}<Relationships xmlns="{_RELS_NS}">'
    + _REL.format("rId1", _OFFICE + "worksheet", "worksheets/sheet1.xml")
    + _REL.format("rId2", _OFFICE + "styles", "styles.xml")
    + "</Relationships>"
)


def write_xlsx(ledger: Ledger) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _PACKAGE_RELS)
        package.writestr("xl/workbook.xml", workbook_xml(ledger))
        package.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        package.writestr("xl/styles.xml", styles_xml())
        package.writestr("xl/worksheets/sheet1.xml", sheet_xml(ledger))
        package.writestr("docProps/core.xml", printing.core_properties(ledger.title))
        package.writestr("docProps/app.xml", printing.APP_PROPERTIES)
    return out.getvalue()
