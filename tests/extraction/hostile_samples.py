"""Small files built to eat memory or time when read naively (issue 12, item 2), and large
ordinary files of the shapes that were slow (item 3). Used by the tests and by
bench/bench_hostile.py.

Every builder returns the file's bytes and is cheap: the hostile ones are kilobytes on disk and
describe gigabytes (a span over a million columns, a zip part or a PDF stream that inflates to
``inflated`` bytes).
"""

from __future__ import annotations

import io
import zipfile
import zlib

from tests.extraction.container_samples import (
    W_NS,
    cell,
    docx_bytes,
    para,
    pdf_bytes,
    pdf_lines,
    table,
)

# --- docx ---------------------------------------------------------------------------------------


def docx_grid_before(before: int = 100_000_000, rows: int = 50) -> bytes:
    """Rows that start a hundred million columns to the right."""
    tr = f'<w:tr><w:trPr><w:gridBefore w:val="{before}"/></w:trPr>{cell("青溪")}{cell("甲")}</w:tr>'
    body = para("青溪市目标") + f"<w:tbl><w:tblPr/>{tr * rows}</w:tbl>"
    return docx_bytes(body)


def docx_grid_span(wide: int = 4000, rows: int = 4000) -> bytes:
    """One row of many wide cells, then many rows of one cell: the grid is their product."""
    wide_row = [cell("", span=64) for _ in range(wide)]
    narrow = [[cell("甲")] for _ in range(rows)]
    return docx_bytes(para("青溪市目标") + table([wide_row, *narrow], columns=2))


def _zip(parts: dict[str, bytes | tuple[int, bytes]]) -> bytes:
    """A zip of ``parts``; a (size, unit) value is ``unit`` repeated to ``size`` bytes,
    compressed as a stream so that the test never holds it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            if isinstance(content, tuple):
                size, unit = content
                with archive.open(name, "w", force_zip64=True) as stream:
                    block = unit * (1024 * 1024 // len(unit))
                    written = 0
                    while written < size:
                        piece = block[: size - written]
                        stream.write(piece)
                        written += len(piece)
            else:
                archive.writestr(name, content)
    return out.getvalue()


def docx_with_big_part(part: str, inflated: int) -> bytes:
    """A small .docx with one more part (styles.xml, [Content_Types].xml …) that inflates to
    ``inflated`` bytes of XML whitespace inside its root element."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes(para("青溪市目标。")))) as source:
        parts = {n: source.read(n) for n in source.namelist()}
    parts[part] = (inflated, b" ")
    head = f'<w:styles xmlns:w="{W_NS}">'.encode()
    # the part starts with a real root element, so only its size is hostile
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            if isinstance(content, tuple):
                with archive.open(name, "w", force_zip64=True) as stream:
                    stream.write(head)
                    block = b" " * (1024 * 1024)
                    for _ in range(inflated // len(block)):
                        stream.write(block)
                    stream.write(b"</w:styles>")
            else:
                archive.writestr(name, content)
    return out.getvalue()


# --- xlsx ---------------------------------------------------------------------------------------

_XLSX_CT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_XLSX_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_XLSX_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_XLSX_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def xlsx_from_sheet(
    rows_xml: str, merges: list[str] = (), dimension: str = "A1", extra: dict | None = None
) -> bytes:
    """A workbook written by hand: one sheet whose <sheetData> is ``rows_xml``."""
    merge_xml = (
        f'<mergeCells count="{len(merges)}">'
        + "".join(f'<mergeCell ref="{m}"/>' for m in merges)
        + "</mergeCells>"
        if merges
        else ""
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData>{merge_xml}</worksheet>'
    )
    parts = {
        "[Content_Types].xml": _XLSX_CT.encode(),
        "_rels/.rels": _XLSX_RELS.encode(),
        "xl/workbook.xml": _XLSX_WORKBOOK.encode(),
        "xl/_rels/workbook.xml.rels": _XLSX_WORKBOOK_RELS.encode(),
        "xl/worksheets/sheet1.xml": sheet.encode(),
    }
    parts.update(extra or {})
    return _zip(parts)


def xlsx_far_corners() -> bytes:
    """Cells A1 and XFD1048576: a used range of 17 billion cells."""
    rows = (
        f'<row r="1">{_inline("A1", "青溪市目标")}{_inline("B1", "甲")}</row>'
        f'<row r="1048576">{_inline("XFD1048576", "乙")}</row>'
    )
    return xlsx_from_sheet(rows, dimension="A1:XFD1048576")


def xlsx_huge_merge() -> bytes:
    """A merge over the whole sheet, anchored on a cell with text."""
    rows = f'<row r="1">{_inline("A1", "青溪市目标")}</row><row r="2">{_inline("A2", "甲")}{_inline("B2", "乙")}</row>'
    return xlsx_from_sheet(rows, merges=["A1:XFD1048576"], dimension="A1:XFD1048576")


def xlsx_huge_dimension() -> bytes:
    """A small table in a sheet that declares a dimension of the whole sheet."""
    rows = "".join(
        f'<row r="{r}">{_inline(f"A{r}", f"项目{r}")}{_inline(f"B{r}", str(r))}</row>'
        for r in range(1, 6)
    )
    return xlsx_from_sheet(rows, dimension="A1:XFD1048576")


def xlsx_with_big_part(part: str, inflated: int) -> bytes:
    """A small workbook with one part (docProps/core.xml, styles …) inflating to ``inflated``."""
    rows = f'<row r="1">{_inline("A1", "青溪市目标")}{_inline("B1", "甲")}</row>'
    with zipfile.ZipFile(io.BytesIO(xlsx_from_sheet(rows))) as source:
        parts: dict = {n: source.read(n) for n in source.namelist()}
    parts[part] = (inflated, b" ")
    return _zip(parts)


# --- html ---------------------------------------------------------------------------------------


def html_huge_spans(rows: int = 1000) -> bytes:
    """Every cell of a thousand-row table spans a thousand rows and a thousand columns."""
    tr = '<tr><td rowspan="1000" colspan="1000">甲</td><td>乙</td></tr>'
    return f"<html><body><table>{tr * rows}</table></body></html>".encode()


# --- pdf ----------------------------------------------------------------------------------------


def pdf_stream_bomb(inflated: int, layers: int = 1) -> bytes:
    """A one-page PDF whose (second) content stream inflates to ``inflated`` bytes of text
    operators; ``layers`` Flate filters deep."""
    base = pdf_bytes([pdf_lines(["青溪市科学技术局", "全年目标。"])])
    op = b"BT /F1 12 Tf 72 700 Td <9752> Tj ET\n"
    compressor = zlib.compressobj(9)
    pieces = []
    block = op * (1024 * 1024 // len(op))
    written = 0
    while written < inflated:
        pieces.append(compressor.compress(block))
        written += len(block)
    pieces.append(compressor.flush())
    data = b"".join(pieces)
    for _ in range(layers - 1):
        data = zlib.compress(data, 9)
    filters = b"[" + b" /FlateDecode" * layers + b" ]"
    # Append an object and point the page at both contents: an incremental update would be
    # tidier, but PDFium reads this as well (it rebuilds a broken cross-reference table).
    number = base.count(b" obj\n") + 1
    stream = b"%d 0 obj\n<< /Length %d /Filter %s >>\nstream\n%s\nendstream\nendobj\n" % (
        number,
        len(data),
        filters,
        data,
    )
    body = base[: base.index(b"xref\n")]
    body = body.replace(b"/Contents 7 0 R", b"/Contents [7 0 R %d 0 R]" % number)
    return body + stream + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


# --- large ordinary files (item 3) --------------------------------------------------------------


def text_table(rows: int = 200_000) -> bytes:
    """A table in the table-as-text layout (Word's text export) of ``rows`` rows."""
    out = ["青溪市重点工作任务表\n", "\t序号\n\t任务\n\t牵头单位\n\t完成时限\n\n"]
    for i in range(1, rows + 1):
        out.append(
            f"\t{i}\n\t推进第{i}项高新技术企业培育工作，新增科技型中小企业{i % 90 + 10}家\n"
            f"\t市科技局\n\t2023年12月\n\n"
        )
    return "".join(out).encode()


def single_line(size: int = 15 * 1024 * 1024) -> bytes:
    """One line of running text without a break."""
    sentence = "青溪市加快推进科技创新，全年新增高新技术企业520家，"
    count = size // len(sentence.encode()) + 1
    return (sentence * count).encode()[:size].decode("utf-8", "ignore").encode()


_HEADER = ["序号", "任务", "牵头单位", "完成时限", "进展", "备注", "责任人", "状态"]


def xlsx_large(rows: int = 200_000, columns: int = 8) -> bytes:
    """A plain ledger of shared strings and numbers, written by hand (openpyxl is slow)."""
    strings = [f"第{i}项任务" for i in range(1000)] + ["市科技局", "推进中", "已完成", *_HEADER]
    sst = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{s}</t></si>" for s in strings)
        + "</sst>"
    )
    letters = "ABCDEFGHIJKLMNOP"[:columns]
    first = len(strings) - len(_HEADER)
    rows_xml = [
        '<row r="1">'
        + "".join(f'<c r="{c}1" t="s"><v>{first + i}</v></c>' for i, c in enumerate(letters))
        + "</row>"
    ]
    for r in range(2, rows + 1):
        cells = [f'<c r="A{r}"><v>{r}</v></c>', f'<c r="B{r}" t="s"><v>{r % 1000}</v></c>']
        for c in letters[2:]:
            cells.append(f'<c r="{c}{r}" t="s"><v>{1000 + r % 3}</v></c>')
        rows_xml.append(f'<row r="{r}">{"".join(cells)}</row>')
    workbook_rels = _XLSX_WORKBOOK_RELS.replace(
        "</Relationships>",
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    content_types = _XLSX_CT.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    return xlsx_from_sheet(
        "".join(rows_xml),
        dimension=f"A1:{letters[-1]}{rows}",
        extra={
            "[Content_Types].xml": content_types.encode(),
            "xl/sharedStrings.xml": sst.encode(),
            "xl/_rels/workbook.xml.rels": workbook_rels.encode(),
        },
    )
