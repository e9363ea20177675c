"""The sheet XML scanned as text (xlsx._scan_cells) reads the same cells as parsed element by
element (xlsx._parse_cells), and leaves to the parser whatever it does not read exactly."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from duban.extraction.containers import limits, xlsx
from tests.extraction import hostile_samples as hs
from tests.extraction.container_samples import xlsx_bytes
from tests.extraction.test_container_xlsx import ledger


def sheets(data: bytes):
    """(cell values, sheet XML) of each sheet of a workbook."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        book = xlsx._Workbook(limits.Package(archive, "表格"))
        return [(xlsx._CellValues(book), archive.read(part)) for _, part in book.sheets]


def parsed(values, xml: bytes):
    rows, merges, _ = xlsx._parse_cells(io.BytesIO(xml), values)
    return rows, merges


def typed(workbook):
    sheet = workbook.active
    sheet.append(["名称", "数值", "日期", "比例", "真假", "公式"])
    sheet.append(["A&B <c>", 1.5, dt.datetime(2023, 5, 1, 8, 30), 0.125, True, "=B2*2"])
    sheet.append(["  空格  ", 10**20, dt.date(2024, 1, 1), -0.5, False, '=CONCAT("a","b")'])
    sheet["D2"].number_format = "0.0%"
    sheet["B3"].number_format = "#,##0.00"
    sheet.merge_cells("A4:C4")
    sheet["A4"] = "合并"


@pytest.mark.parametrize(
    "data",
    [xlsx_bytes(ledger), xlsx_bytes(typed), hs.xlsx_large(300)],
    ids=["ledger", "typed", "shared-strings"],
)
def test_the_scan_reads_what_the_parser_reads(data):
    for values, xml in sheets(data):
        scanned = xlsx._scan_cells(xml, values)
        assert scanned is not None
        assert scanned == parsed(values, xml)


BASE = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
    '<sheetData><row r="1" spans="1:2" x14ac:dyDescent="0.25">'
    '<c r="A1" t="s"><v>1</v></c><c r="B1" s="0"><f>1+1</f><v>2</v></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>&#38738;&amp;</t></is></c><c r="B2"/></row>'
    '</sheetData><mergeCells count="1"><mergeCell ref="A2:B2"/></mergeCells></worksheet>'
)


@pytest.mark.parametrize(
    "old, new",
    [
        ("<v>2</v></c></row>", "<v>2</v></c></row><!-- <row/> -->"),  # a comment
        ('<c r="B2"/></row>', '</row><c r="B2"><v>5</v></c>'),  # a cell outside a row
        ('spans="1:2"', 'spans="1:2" spans="1:3"'),  # a repeated attribute
        ('spans="1:2"', 'spans="1:2" y:z="1"'),  # an undeclared prefix
        ('<row r="2">', '<row r="2" xmlns="urn:other">'),  # another namespace
        ("spreadsheetml/2006/main", "spreadsheetml/2006/other"),  # strict or foreign XML
        ('encoding="UTF-8"', 'encoding="GBK"'),
        ("<v>1</v>", "<v>1&#48;</v>"),  # a reference in a value
        ("&#38738;", "&#0;"),  # a character XML does not allow
        ("&amp;", "&nbsp;"),  # an entity never declared
        ('<c r="A1" t="s">', '<c r="A1" t="s" cm="1">'),  # another attribute
        ("<v>1</v>", "<v>99</v>"),  # no such shared string
        ('<row r="2">', '<row r="x">'),  # a row number that is none
        ("</row><row", "<row"),  # a row not closed
    ],
)
def test_what_the_scan_does_not_read_exactly_is_parsed(old, new):
    """Left to the parser (None), or refused as the parser refuses it (ill-formed XML)."""
    ((values, _),) = sheets(hs.xlsx_large(3))
    assert xlsx._scan_cells(BASE.encode(), values) == parsed(values, BASE.encode())
    xml = BASE.replace(old, new, 1).encode()
    assert xml != BASE.encode()
    try:
        expected = parsed(values, xml)
    except Exception as exc:
        with pytest.raises(type(exc)):
            if xlsx._scan_cells(xml, values) is None:
                parsed(values, xml)
    else:
        assert xlsx._scan_cells(xml, values) in (None, expected)
