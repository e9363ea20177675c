"""A ledger as a Word document (.docx), WordprocessingML written directly into a zip (no
python-docx: a table of thousands of rows is built as text in well under a second).

The document as an office prints it: an A4 landscape section, the title centred in 宋体, the
contact line, then a real table — fixed column widths on a grid (in proportion to the columns'
widths, none narrower than its fewest characters per line), thin borders, the header row
marked w:tblHeader so Word repeats it on every page, merged cells as w:gridSpan (across) and
w:vMerge (down), a cell merged down over more than a page aligned at its top — and the notes
under it. Fonts are set in the styles part with w:eastAsia
(仿宋 for the body, 宋体 for the title and header) so Chinese shows in the intended face.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from . import printing
from .layouts import Ledger
from .xlsx import tall_merges

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PAGE_WIDTH, PAGE_HEIGHT = 16838, 11906  # A4 in twentieths of a point, landscape
MARGIN = 1134  # 2 cm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
CELL_MARGIN = 85  # left and right, in twips
CELL_MARGINS = 2 * CELL_MARGIN
CHAR_WIDTH = round(printing.BODY_SIZE * 20)  # a Chinese character of the body text, in twips
SLACK = 30  # so that a line of exactly min_chars characters does not wrap on rounding
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _half_points(size: float) -> str:
    return str(round(size * 2))


def _fonts(east_asia: str) -> str:
    latin = printing.LATIN_FONT
    return (
        f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" w:cs="{latin}"/>'
    )


def _text(value: str) -> str:
    """Runs for one line of text; tabs become w:tab."""
    parts = escape(value).split("\t")
    runs = '<w:t xml:space="preserve">' + '</w:t><w:tab/><w:t xml:space="preserve">'.join(parts)
    return runs + "</w:t>"


def _paragraphs(text: str, ppr: str = "", rpr: str = "") -> str:
    """One paragraph per line, as Word keeps the lines of a cell."""
    lines = printing.clean(text).split("\n") if text else [""]
    out = []
    for line in lines:
        run = f"<w:r>{rpr}{_text(line)}</w:r>" if line else ""
        out.append(f"<w:p>{ppr}{run}</w:p>")
    return "".join(out)


def column_widths(ledger: Ledger) -> list[int]:
    """Twips per column, filling the text width in proportion to the columns' widths, but
    never narrower than a column's fewest characters per line (序号 holds "43" and its header
    on one line, 是否完成 holds 未完成): the wide text columns give up what the narrow ones need."""
    columns = ledger.columns
    least = [c.min_chars * CHAR_WIDTH + CELL_MARGINS + SLACK for c in columns]
    fixed: dict[int, int] = {}  # columns held at their least width
    while True:
        free = [i for i in range(len(columns)) if i not in fixed]
        room = TEXT_WIDTH - sum(fixed.values())
        total = sum(columns[i].width for i in free)
        if not free or room <= 0 or total <= 0:
            break
        short = [i for i in free if room * columns[i].width / total < least[i]]
        if not short:
            break
        fixed.update((i, least[i]) for i in short)
    widths = [fixed.get(i, 0) for i in range(len(columns))]
    free = [i for i in range(len(columns)) if i not in fixed]
    room, total = TEXT_WIDTH - sum(fixed.values()), sum(columns[i].width for i in free)
    for i in free:
        widths[i] = int(room * columns[i].width / total)
    if free:
        widths[free[-1]] += TEXT_WIDTH - sum(widths)
    return widths


def _cell(
    width: int, content: str, span: int = 1, vmerge: str | None = None, top: bool = False
) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    props += f'<w:vAlign w:val="{"top" if top else "center"}"/>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


def _table(ledger: Ledger) -> str:
    widths = column_widths(ledger)
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    borders = "".join(
        border.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    out = [
        "<w:tbl><w:tblPr>",
        f'<w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:jc w:val="center"/>',
        f"<w:tblBorders>{borders}</w:tblBorders>",
        '<w:tblLayout w:type="fixed"/>',
        f'<w:tblCellMar><w:left w:w="{CELL_MARGIN}" w:type="dxa"/>'
        f'<w:right w:w="{CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>',
        "</w:tblPr><w:tblGrid>",
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
        "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>",
    ]
    header_ppr = '<w:pPr><w:pStyle w:val="LedgerHeader"/></w:pPr>'
    for column, width in zip(ledger.columns, widths, strict=True):
        out.append(_cell(width, _paragraphs(column.label, header_ppr)))
    out.append("</w:tr>")

    # Where each merged region starts, and which cells it covers.
    origins, continued, covered = {}, {}, set()
    for m in ledger.merges:
        origins[(m.row, m.col)] = m
        for r in range(m.row, m.row + m.rows):
            for c in range(m.col, m.col + m.cols):
                if (r, c) == (m.row, m.col):
                    continue
                if c == m.col:
                    continued[(r, c)] = m
                else:
                    covered.add((r, c))
    center = '<w:pPr><w:jc w:val="center"/></w:pPr>'
    section_rpr = "<w:rPr><w:b/></w:rPr>"
    styles = [center if c.center else "" for c in ledger.columns]
    tall = tall_merges(ledger)
    for r, row in enumerate(ledger.rows):
        out.append("<w:tr>")
        section = r in ledger.sections
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            merge = origins.get((r, c)) or continued.get((r, c))
            span = merge.cols if merge else 1
            width = sum(widths[c : c + span])
            vmerge, top = None, False
            if merge is not None and merge.rows > 1:
                vmerge = "restart" if (r, c) == (merge.row, merge.col) else "continue"
                top = (merge.row, merge.col) in tall
            if vmerge == "continue":
                out.append(_cell(width, "<w:p/>", span, vmerge, top))
            elif section:
                out.append(_cell(width, _paragraphs(text, "", section_rpr), span, vmerge))
            else:
                out.append(_cell(width, _paragraphs(text, styles[c]), span, vmerge, top))
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def document_xml(ledger: Ledger) -> str:
    parts = [
        _XML,
        f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>',
        _paragraphs(ledger.title, '<w:pPr><w:pStyle w:val="LedgerTitle"/></w:pPr>'),
    ]
    for line in ledger.lines:
        parts.append(_paragraphs(line, '<w:pPr><w:pStyle w:val="LedgerLine"/></w:pPr>'))
    parts.append(_table(ledger))
    for note in ledger.notes:
        parts.append(_paragraphs(note, '<w:pPr><w:pStyle w:val="LedgerNote"/></w:pPr>'))
    if not ledger.notes:
        parts.append("<w:p/>")  # Word wants a paragraph after a table that ends the body
    parts.append(
        '<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/>'
        f'<w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}" w:orient="landscape"/>'
        f'<w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" w:left="{MARGIN}" '
        'w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>'
    )
    return "".join(parts)


def styles_xml() -> str:
    body = _half_points(printing.BODY_SIZE)
    title = _half_points(printing.TITLE_SIZE)
    header = _half_points(printing.HEADER_SIZE)
    return (
        f'{_XML}<w:styles xmlns:w="{W_NS}">'
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f"{_fonts(printing.BODY_FONT)}"
        f'<w:sz w:val="{body}"/><w:szCs w:val="{body}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault>"
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal">'
        '<w:name w:val="Normal"/><w:qFormat/></w:style>'
        '<w:style w:type="paragraph" w:styleId="LedgerTitle"><w:name w:val="台账标题"/>'
        '<w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="240"/><w:jc w:val="center"/>'
        f"</w:pPr><w:rPr>{_fonts(printing.TITLE_FONT)}<w:b/>"
        f'<w:sz w:val="{title}"/><w:szCs w:val="{title}"/></w:rPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="LedgerLine"><w:name w:val="台账说明行"/>'
        '<w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="120"/></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="LedgerHeader"><w:name w:val="台账表头"/>'
        '<w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr>'
        f"<w:rPr>{_fonts(printing.HEADER_FONT)}<w:b/>"
        f'<w:sz w:val="{header}"/><w:szCs w:val="{header}"/></w:rPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="LedgerNote"><w:name w:val="台账注释"/>'
        '<w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="120"/></w:pPr></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr></w:style></w:styles>"
    )


_CONTENT_TYPES = (
    f"{_XML}"
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/footer1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)
_REL = '<Relationship Id="{0}" Type="{1}" Target="{2}"/>'
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PACKAGE_RELS = (
    f'{_XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    + _REL.format("rId1", _OFFICE + "officeDocument", "word/document.xml")
    + _REL.format(
        "rId2",
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
        "docProps/core.xml",
    )
    + _REL.format("rId3", _OFFICE + "extended-properties", "docProps/app.xml")
    + "</Relationships>"
)
_DOCUMENT_RELS = (
    f'{_XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    + _REL.format("rIdStyles", _OFFICE + "styles", "styles.xml")
    + _REL.format("rIdSettings", _OFFICE + "settings", "settings.xml")
    + _REL.format("rIdFooter", _OFFICE + "footer", "footer1.xml")
    + "</Relationships>"
)
_SETTINGS = (
    f'{_XML}<w:settings xmlns:w="{W_NS}"><w:defaultTabStop w:val="420"/>'
    '<w:characterSpacingControl w:val="compressPunctuation"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>'
)
_FOOTER = (
    f'{_XML}<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p><w:pPr><w:jc w:val="center"/></w:pPr>'
    '<w:r><w:t xml:space="preserve">第 </w:t></w:r>'
    '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    '<w:r><w:t xml:space="preserve"> 页，共 </w:t></w:r>'
    '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    '<w:r><w:t xml:space="preserve"> 页</w:t></w:r></w:p></w:ftr>'
)


def write_docx(ledger: Ledger) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _PACKAGE_RELS)
        package.writestr("word/document.xml", document_xml(ledger))
        package.writestr("word/_rels/document.xml.rels", _DOCUMENT_RELS)
        package.writestr("word/styles.xml", styles_xml())
        package.writestr("word/settings.xml", _SETTINGS)
        package.writestr("word/footer1.xml", _FOOTER)
        package.writestr("docProps/core.xml", printing.core_properties(ledger.title))
        package.writestr("docProps/app.xml", printing.APP_PROPERTIES)
    return out.getvalue()
