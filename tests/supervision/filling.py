"""Filling in an exported form the way a unit does before sending it back: answers typed into
the empty cells, rows put in another order, a row deleted, a cell's text broken over lines
differently, the title retyped; in the .xlsx with openpyxl and in the .docx through its XML.

`answers` maps a row's printed number (序号) to the cells to write, keyed by header label
(是否完成, 具体工作进展, 未完成原因, 下步工作打算 …); `order` lists the numbers in their new
order (rows not named keep theirs, after them); `drop` the numbers of rows deleted; `wrap`
maps a number to the header labels of cells whose text gets a line break in its middle.
"""

import io
import zipfile

import openpyxl
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def rewrap(text: str) -> str:
    """The same words, broken over two lines in the middle (Alt+Enter in a cell)."""
    middle = len(text) // 2
    return f"{text[:middle]}\n{text[middle:]}"


def _arrange(rows, number_of, order, drop):
    kept = [r for r in rows if number_of(r) not in set(drop)]
    rank = {n: i for i, n in enumerate(order)}
    return sorted(kept, key=lambda r: rank.get(number_of(r), len(rank)))


def fill_xlsx(data: bytes, answers=None, *, order=(), drop=(), wrap=None, title=None) -> bytes:
    answers, wrap = answers or {}, wrap or {}
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    header_row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "序号")
    labels = {
        sheet.cell(header_row, c).value: c
        for c in range(1, sheet.max_column + 1)
        if sheet.cell(header_row, c).value
    }
    width = sheet.max_column
    below = [
        [sheet.cell(r, c).value for c in range(1, width + 1)]
        for r in range(header_row + 1, sheet.max_row + 1)
    ]
    body = [r for r in below if r[0] and not str(r[0]).startswith("注")]
    notes = [r for r in below if r[0] and str(r[0]).startswith("注")]
    for merged in list(sheet.merged_cells.ranges):
        if merged.min_row > header_row:
            sheet.unmerge_cells(str(merged))
    for r in range(header_row + 1, sheet.max_row + 1):
        for c in range(1, width + 1):
            sheet.cell(r, c).value = None
    for values in body:
        number = str(values[0])
        for label, text in answers.get(number, {}).items():
            values[labels[label] - 1] = text
        for label in wrap.get(number, ()):
            values[labels[label] - 1] = rewrap(values[labels[label] - 1])
    row = header_row + 1
    for values in _arrange(body, lambda v: str(v[0]), order, drop):
        for c, value in enumerate(values, start=1):
            sheet.cell(row, c).value = value
        row += 1
    for values in notes:
        sheet.cell(row, 1).value = values[0]
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        row += 1
    if title is not None:
        sheet.cell(1, 1).value = title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell_text(cell) -> str:
    paragraphs = cell.findall("w:p", NS)
    return "\n".join("".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in paragraphs)


def _set_cell_text(cell, text: str) -> None:
    paragraphs = cell.findall("w:p", NS)
    first = paragraphs[0] if paragraphs else etree.SubElement(cell, f"{{{W}}}p")
    for extra in paragraphs[1:]:
        cell.remove(extra)
    _set_paragraph_text(first, text)


def _set_paragraph_text(first, text: str) -> None:
    for child in list(first):
        if child.tag != f"{{{W}}}pPr":
            first.remove(child)
    run = etree.SubElement(first, f"{{{W}}}r")
    for index, line in enumerate(text.split("\n")):
        if index:
            etree.SubElement(run, f"{{{W}}}br")
        t = etree.SubElement(run, f"{{{W}}}t")
        t.text = line
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def fill_docx(data: bytes, answers=None, *, order=(), drop=(), wrap=None, title=None) -> bytes:
    answers, wrap = answers or {}, wrap or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(source.read("word/document.xml"))
    table = root.find(".//w:tbl", NS)
    rows = table.findall("w:tr", NS)
    header, body = rows[0], rows[1:]
    labels = {_cell_text(c): i for i, c in enumerate(header.findall("w:tc", NS))}

    def number_of(tr):
        return _cell_text(tr.findall("w:tc", NS)[0]).strip()

    for tr in body:
        cells = tr.findall("w:tc", NS)
        number = number_of(tr)
        for label, text in answers.get(number, {}).items():
            _set_cell_text(cells[labels[label]], text)
        for label in wrap.get(number, ()):
            cell = cells[labels[label]]
            _set_cell_text(cell, rewrap(_cell_text(cell)))
    for tr in body:
        table.remove(tr)
    for tr in _arrange(body, number_of, order, drop):
        table.append(tr)
    if title is not None:
        _set_paragraph_text(root.find(".//w:body/w:p", NS), title)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/document.xml":
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            target.writestr(info, content)
    return out.getvalue()
