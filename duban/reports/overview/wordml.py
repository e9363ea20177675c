"""A small writer of .docx files (WordprocessingML, ECMA-376) with lxml and zipfile: headings,
paragraphs and tables on A4, in the fonts Chinese government documents use (黑体 for headings,
仿宋 for text, 宋体 in tables), with page numbers in the footer. Enough for a bulletin, and
readable by Word, WPS and LibreOffice."""

import datetime
import io
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NSMAP = {"w": W, "r": R}

# A4 in twentieths of a point, with the margins of GB/T 9704 (公文格式): 37 mm top, 35 mm
# bottom, 28 mm left, 26 mm right.
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
MARGINS = {"top": 2098, "bottom": 1984, "left": 1588, "right": 1474}
TEXT_WIDTH = PAGE_WIDTH - MARGINS["left"] - MARGINS["right"]

TITLE_FONT, HEADING_FONT, BODY_FONT, TABLE_FONT = "黑体", "黑体", "仿宋", "宋体"
LATIN_FONT = "Times New Roman"
# Two characters of 五号 table text (21 half-points, 210 twips each), the cell margins (85 twips
# each side) and a little slack.
MIN_COLUMN = 2 * 210 + 2 * 85 + 40


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _el(parent, tag, **attrs):
    element = etree.SubElement(parent, w(tag))
    for name, value in attrs.items():
        element.set(w(name), str(value))
    return element


def _fonts(rpr, east_asia: str):
    _el(rpr, "rFonts", ascii=LATIN_FONT, hAnsi=LATIN_FONT, eastAsia=east_asia, cs=LATIN_FONT)


def _run(paragraph, text: str, *, font=None, size=None, bold=False):
    run = _el(paragraph, "r")
    rpr = _el(run, "rPr")
    if font:
        _fonts(rpr, font)
    if bold:
        _el(rpr, "b")
        _el(rpr, "bCs")
    if size:
        _el(rpr, "sz", val=size)
        _el(rpr, "szCs", val=size)
    lines = str(text).split("\n")
    for i, line in enumerate(lines):
        if i:
            _el(run, "br")
        t = _el(run, "t")
        t.text = line
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


class WordDocument:
    """Build the body with `title`, `heading`, `paragraph` and `table`, then `to_bytes`."""

    def __init__(self, title: str = ""):
        self.title_text = title
        self.document = etree.Element(w("document"), nsmap=NSMAP)
        self.body = _el(self.document, "body")

    def _paragraph(self, *, style=None, align=None, indent_first=False, keep_next=False):
        p = _el(self.body, "p")
        ppr = _el(p, "pPr")
        if style:
            _el(ppr, "pStyle", val=style)
        if keep_next:
            _el(ppr, "keepNext")
        if indent_first:
            _el(ppr, "ind", firstLineChars=200, firstLine=640)
        if align:
            _el(ppr, "jc", val=align)
        return p

    def title(self, text: str, subtitle: str = ""):
        p = self._paragraph(style="Title", align="center")
        _run(p, text)
        if subtitle:
            p = self._paragraph(align="center")
            _run(p, subtitle, font=BODY_FONT, size=28)

    def heading(self, text: str):
        p = self._paragraph(style="Heading1", keep_next=True)
        _run(p, text)

    def paragraph(self, text: str, *, bold=False, align=None, size=None, indent=True):
        p = self._paragraph(align=align, indent_first=indent)
        _run(p, text, bold=bold, size=size)

    def note(self, text: str):
        p = self._paragraph(indent_first=False)
        _run(p, text, font=BODY_FONT, size=24)

    def table(self, header: list[str], rows: list[list], widths: list[int] | None = None):
        """A bordered table filling the text width; `widths` are relative column widths. The
        header row repeats on every page."""
        columns = len(header)
        widths = widths or [1] * columns
        scale = TEXT_WIDTH / sum(widths)
        twips = [int(x * scale) for x in widths]
        # No column narrower than two characters of table text (序号 and its numbers on one
        # line): the widest column gives up the difference, and takes what rounding left.
        for i, width in enumerate(twips):
            if width < MIN_COLUMN:
                twips[twips.index(max(twips))] -= MIN_COLUMN - width
                twips[i] = MIN_COLUMN
        twips[twips.index(max(twips))] += TEXT_WIDTH - sum(twips)
        tbl = _el(self.body, "tbl")
        tpr = _el(tbl, "tblPr")
        _el(tpr, "tblStyle", val="LedgerTable")
        _el(tpr, "tblW", w=TEXT_WIDTH, type="dxa")
        borders = _el(tpr, "tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            _el(borders, side, val="single", sz=4, space=0, color="000000")
        _el(tpr, "tblLayout", type="fixed")
        _el(tpr, "tblLook", val="04A0", firstRow=1, lastRow=0, firstColumn=0, lastColumn=0)
        grid = _el(tbl, "tblGrid")
        for width in twips:
            _el(grid, "gridCol", w=width)
        self._row(tbl, header, twips, header=True)
        for row in rows:
            self._row(tbl, row, twips)
        # Word needs a paragraph between a table and what follows it.
        self._paragraph()

    def _row(self, tbl, cells, twips, header=False):
        tr = _el(tbl, "tr")
        trpr = _el(tr, "trPr")
        _el(trpr, "cantSplit")
        if header:
            _el(trpr, "tblHeader")
        for value, width in zip(cells, twips, strict=True):
            tc = _el(tr, "tc")
            tcpr = _el(tc, "tcPr")
            _el(tcpr, "tcW", w=width, type="dxa")
            if header:
                _el(tcpr, "shd", val="clear", color="auto", fill="E7ECF2")
            _el(tcpr, "vAlign", val="center")
            p = _el(tc, "p")
            ppr = _el(p, "pPr")
            _el(ppr, "pStyle", val="TableText")
            if header or _is_number(value):
                _el(ppr, "jc", val="center")
            _run(p, "" if value is None else str(value), bold=header)

    def page_break(self):
        p = _el(self.body, "p")
        _el(_el(p, "r"), "br", type="page")

    def _section(self):
        sect = _el(self.body, "sectPr")
        ref = _el(sect, "footerReference", type="default")
        ref.set(f"{{{R}}}id", "rIdFooter1")
        _el(sect, "pgSz", w=PAGE_WIDTH, h=PAGE_HEIGHT)
        _el(sect, "pgMar", header=851, footer=992, gutter=0, **MARGINS)
        _el(sect, "docGrid", type="lines", linePitch=579)

    def to_bytes(self) -> bytes:
        self._section()
        now = datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()
        now = now.replace("+00:00", "Z")
        parts = {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": ROOT_RELS,
            "docProps/core.xml": _core(self.title_text, now),
            "docProps/app.xml": APP,
            "word/_rels/document.xml.rels": DOCUMENT_RELS,
            "word/styles.xml": STYLES,
            "word/settings.xml": SETTINGS,
            "word/footer1.xml": FOOTER,
            "word/document.xml": etree.tostring(
                self.document, xml_declaration=True, encoding="UTF-8", standalone=True
            ),
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data if isinstance(data, bytes) else data.encode("utf-8"))
        return buffer.getvalue()


def _is_number(value) -> bool:
    text = str(value).rstrip("%")
    try:
        float(text)
    except ValueError:
        return False
    return True


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _core(title: str, now: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{_xml_escape(title)}</dc:title><dc:creator>督查督办系统</dc:creator><dc:language>zh-CN</dc:language><dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified></cp:coreProperties>"""


CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"""

ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"""

DOCUMENT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PKG_REL}"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdFooter1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"""

APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>duban</Application></Properties>"""

SETTINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{W}"><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"""


def _rfonts(east_asia: str) -> str:
    return (
        f'<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" '
        f'w:eastAsia="{east_asia}" w:cs="{LATIN_FONT}"/>'
    )


# Body 三号 (16 pt) 仿宋; title 二号 (22 pt) 黑体; headings 三号 黑体; tables 五号 (10.5 pt) 宋体.
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}">
<w:docDefaults><w:rPrDefault><w:rPr>{_rfonts(BODY_FONT)}<w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="560" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="240" w:after="240" w:line="700" w:lineRule="exact"/><w:jc w:val="center"/></w:pPr><w:rPr>{_rfonts(TITLE_FONT)}<w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="160" w:after="80"/><w:ind w:firstLineChars="200" w:firstLine="640"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr>{_rfonts(HEADING_FONT)}<w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="20" w:after="20" w:line="300" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr><w:rPr>{_rfonts(TABLE_FONT)}<w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr>{_rfonts(TABLE_FONT)}<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="85" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="table" w:styleId="LedgerTable"><w:name w:val="Ledger Table"/><w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders></w:tblPr></w:style>
</w:styles>"""

FOOTER = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="{W}"><w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr><w:r><w:t xml:space="preserve">— </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>"""
