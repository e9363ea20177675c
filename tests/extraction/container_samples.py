"""Builders for the container tests: minimal .docx, .xlsx and .pdf files made in memory.

All wording is invented for the tests (a fictional 青溪市), never copied from real documents.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# --- docx -----------------------------------------------------------------------------------

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""

_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
 Target="word/document.xml"/>
</Relationships>"""


def run(text: str) -> str:
    """A run; tabs and line breaks in ``text`` become w:tab and w:br."""
    parts = []
    for i, line in enumerate(text.split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, chunk in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if chunk:
                parts.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
    return f"<w:r>{''.join(parts)}</w:r>"


def para(
    text: str = "",
    style: str | None = None,
    num: tuple[int, int] | None = None,
    outline: int | None = None,
    extra: str = "",
) -> str:
    """A paragraph; ``num`` is (numId, ilvl); ``extra`` is raw XML appended after the text run."""
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if num:
        ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    if outline is not None:
        ppr += f'<w:outlineLvl w:val="{outline}"/>'
    ppr = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    return f"<w:p>{ppr}{run(text) if text else ''}{extra}</w:p>"


def cell(content: str | list[str], span: int = 1, vmerge: str | None = None) -> str:
    """A table cell; ``vmerge`` is "restart", "continue" or None."""
    tcpr = ""
    if span > 1:
        tcpr += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        tcpr += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        tcpr += "<w:vMerge/>"
    paragraphs = content if isinstance(content, list) else [para(content)]
    body = "".join(p if p.startswith("<w:") else para(p) for p in paragraphs) or "<w:p/>"
    return f"<w:tc>{f'<w:tcPr>{tcpr}</w:tcPr>' if tcpr else ''}{body}</w:tc>"


def table(rows: list[list[str]], columns: int | None = None) -> str:
    """A table from rows of cell() strings."""
    columns = columns or max(len(r) for r in rows)
    grid = "".join('<w:gridCol w:w="2000"/>' for _ in range(columns))
    body = "".join(f"<w:tr>{''.join(r)}</w:tr>" for r in rows)
    return f"<w:tbl><w:tblPr/><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>"


def docx_bytes(body: str, styles: str | None = None, numbering: str | None = None) -> bytes:
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W_NS}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        f"<w:body>{body}<w:sectPr/></w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
        if styles:
            archive.writestr("word/styles.xml", f'<w:styles xmlns:w="{W_NS}">{styles}</w:styles>')
        if numbering:
            archive.writestr(
                "word/numbering.xml", f'<w:numbering xmlns:w="{W_NS}">{numbering}</w:numbering>'
            )
    return out.getvalue()


def style(style_id: str, name: str, based_on: str | None = None, outline: int | None = None) -> str:
    parts = [f'<w:name w:val="{name}"/>']
    if based_on:
        parts.append(f'<w:basedOn w:val="{based_on}"/>')
    if outline is not None:
        parts.append(f'<w:pPr><w:outlineLvl w:val="{outline}"/></w:pPr>')
    return f'<w:style w:type="paragraph" w:styleId="{style_id}">{"".join(parts)}</w:style>'


def abstract_num(abstract_id: int, levels: list[tuple[str, str]], start: int = 1) -> str:
    """``levels``: (numFmt, lvlText) per level, from ilvl 0."""
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    return f'<w:abstractNum w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>'


def num(num_id: int, abstract_id: int, restart_at: int | None = None) -> str:
    override = (
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{restart_at}"/></w:lvlOverride>'
        if restart_at is not None
        else ""
    )
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'


# --- xlsx -----------------------------------------------------------------------------------


def xlsx_bytes(build) -> bytes:
    """Run ``build(workbook)`` on a fresh openpyxl workbook and return the saved bytes."""
    import openpyxl

    workbook = openpyxl.Workbook()
    build(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- pdf ------------------------------------------------------------------------------------


def pdf_bytes(
    pages: list[list[tuple[float, float, str]]],
    font_size: float = 12,
    rules: list[list[tuple[float, float, float, float]]] | None = None,
) -> bytes:
    """A PDF whose pages show the given (x, y, text) lines, in any script, and, if given, each
    page's ``rules``: (x0, y0, x1, y1) line segments stroked half a point wide (table borders).

    The font is a Type0 font with Identity-H encoding whose character codes are the characters'
    Unicode code points, plus a ToUnicode map, so PDFium extracts exactly the text written (the
    glyphs themselves are not embedded, which only matters for rendering). Every character is
    one em (``font_size`` points) wide.
    """
    objects: list[bytes | None] = []

    def add(body: bytes | None) -> int:
        objects.append(body)
        return len(objects)

    codes = sorted({ord(ch) for page in pages for _x, _y, text in page for ch in text})
    cmap = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    for i in range(0, len(codes), 100):
        chunk = codes[i : i + 100]
        cmap.append(f"{len(chunk)} beginbfchar")
        cmap.extend(f"<{c:04X}> <{c:04X}>" for c in chunk)
        cmap.append("endbfchar")
    cmap.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    cmap_data = "\n".join(cmap).encode()

    catalog = add(None)
    pages_id = add(None)
    to_unicode = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap_data), cmap_data))
    descriptor = add(
        b"<< /Type /FontDescriptor /FontName /QingxiSong /Flags 4 /FontBBox [0 -200 1000 900]"
        b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"
    )
    cid_font = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /QingxiSong /CIDSystemInfo"
        b" << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R"
        b" /DW 1000 /CIDToGIDMap /Identity >>" % descriptor
    )
    font = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /QingxiSong /Encoding /Identity-H"
        b" /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid_font, to_unicode)
    )
    kids = []
    for number, page in enumerate(pages):
        ops = [
            f"BT /F1 {font_size} Tf 1 0 0 1 {x} {y} Tm <{''.join(f'{ord(c):04X}' for c in t)}> Tj ET"
            for x, y, t in page
        ]
        for x0, y0, x1, y1 in (rules or [])[number] if rules and number < len(rules) else []:
            ops.append(f"0.5 w {x0} {y0} m {x1} {y1} l S")
        content = "\n".join(ops).encode()
        stream = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842]"
                b" /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                % (pages_id, font, stream)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    kid_refs = " ".join(f"{k} 0 R" for k in kids).encode()
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kid_refs, len(kids))

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        xref,
    )
    return bytes(out)


def pdf_lines(lines: list[str], left: float = 72, top: float = 780, step: float = 20) -> list:
    """Place lines one below the other; a line starting with two spaces is indented two ems."""
    placed = []
    for i, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        placed.append((left + indent * 12, top - i * step, line.lstrip(" ")))
    return placed


def pdf_table(
    rows: list[list[str | list[str]]],
    xs: list[float],
    top: float,
    row_height: float = 40,
    line_step: float = 16,
) -> tuple[list, list]:
    """A ruled table: (text lines, rules) to pass to ``pdf_bytes``. A cell given as a list of
    strings prints them on lines of their own (a cell whose text wraps)."""
    placed, rules = [], []
    y = top
    for row in rows:
        for col, content in enumerate(row):
            for k, line in enumerate([content] if isinstance(content, str) else content):
                placed.append((xs[col] + 4, y - 14 - k * line_step, line))
        rules.append((xs[0], y, xs[-1], y))
        y -= row_height
    rules.append((xs[0], y, xs[-1], y))
    rules.extend((x, top, x, y) for x in xs)
    return placed, rules
