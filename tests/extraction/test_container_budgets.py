"""Small files that describe gigabytes (issue 12, item 2): each is refused with a one-line Chinese
message, or read to a bounded result, never read into gigabytes.

Every file is read by ``extract_isolated``: in a child process whose address space is capped
(``DUBAN_EXTRACT_MEMORY_MB``), so that a regression fails with the memory message instead of
eating the machine. The budgets themselves are also checked in-process where a limit is
lowered for the test.
"""

from __future__ import annotations

import pytest

from duban.extraction.containers import ReadError, limits, read_document
from duban.extraction.isolated import TOO_BIG, TOO_SLOW, extract_isolated
from tests.extraction import hostile_samples as hs

MB = 1024 * 1024
GRID = "表格范围异常"


@pytest.fixture(autouse=True)
def tight_child(monkeypatch):
    """A child may use 700 MB of address space and 30 s of CPU: far more than any of these
    files needs once bounded, far less than any of them took unbounded."""
    monkeypatch.setenv("DUBAN_EXTRACT_MEMORY_MB", "700")
    monkeypatch.setenv("DUBAN_EXTRACT_CPU_SECONDS", "30")


def refused(data: bytes, name: str) -> ReadError:
    with pytest.raises(ReadError) as caught:
        extract_isolated(data, name)
    message = str(caught.value)
    assert message and "\n" not in message
    assert caught.value.code == "too_large", message
    assert TOO_BIG.split("{")[0] not in message, "hit the memory limit instead of a budget"
    return caught.value


# --- tables whose grid would be billions of cells --------------------------------------------


def test_docx_grid_before_of_a_hundred_million_columns_is_bounded():
    result = extract_isolated(hs.docx_grid_before(), "a.docx")
    assert "青溪" in result["text"]
    assert len(result["text"]) < 10_000


def test_docx_grid_spans_that_multiply_to_a_billion_cells_are_refused():
    data = hs.docx_grid_span()
    assert len(data) < 5000
    assert GRID in str(refused(data, "a.docx"))


def test_xlsx_with_cells_at_a1_and_xfd1048576_is_refused():
    assert GRID in str(refused(hs.xlsx_far_corners(), "a.xlsx"))


def test_xlsx_merge_over_the_whole_sheet_is_cut_at_the_values():
    result = extract_isolated(hs.xlsx_huge_merge(), "a.xlsx")
    assert "青溪市目标" in result["text"]
    assert "乙" not in result["text"]  # covered by the merge, as Excel shows it
    assert len(result["text"]) < 1000


def test_xlsx_with_a_huge_declared_dimension_reads_only_its_cells():
    result = extract_isolated(hs.xlsx_huge_dimension(), "a.xlsx")
    assert "项目5" in result["text"]
    assert len(result["text"]) < 1000


def test_html_rowspan_and_colspan_of_a_thousand_are_refused():
    assert GRID in str(refused(hs.html_huge_spans(), "a.html"))


def test_html_spans_within_the_table_still_read():
    html = (
        "<table><tr><th colspan=3>青溪市目标</th></tr>"
        "<tr><td rowspan=2>甲</td><td>乙</td><td>丙</td></tr><tr><td>丁</td><td>戊</td></tr></table>"
    )
    doc = read_document(html.encode(), name="a.html")
    assert [c.text for c in doc.tables[0].rows[2]] == ["甲", "丁", "戊"]


# --- zip parts and PDF streams that inflate to gigabytes ---------------------------------------


@pytest.mark.parametrize("part", ["word/styles.xml", "word/numbering.xml", "_rels/.rels"])
def test_docx_part_inflating_past_its_budget_is_refused(part):
    data = hs.docx_with_big_part(part, limits.MAX_AUX_PART + MB)
    assert len(data) < 100_000
    assert "解压后超过" in str(refused(data, "a.docx"))


@pytest.mark.parametrize("part", ["docProps/core.xml", "[Content_Types].xml", "xl/theme/x.xml"])
def test_xlsx_parts_never_read_do_not_count(part):
    # openpyxl read these whole (4 GB for 2 GB of docProps/core.xml); they are not read now.
    result = extract_isolated(hs.xlsx_with_big_part(part, 200 * MB), "a.xlsx")
    assert "青溪市目标" in result["text"]


@pytest.mark.parametrize("part", ["xl/styles.xml", "xl/sharedStrings.xml"])
def test_xlsx_parts_read_are_counted(part):
    assert "解压后超过" in str(refused(hs.xlsx_with_big_part(part, 120 * MB), "a.xlsx"))


def test_the_parts_of_a_package_count_together(monkeypatch):
    """Each part under its own limit, all of them over the document's: refused as they are
    read (counted from the inflated bytes, not from the sizes the zip's headers declare)."""
    import io
    import zipfile

    monkeypatch.setattr(limits, "MAX_PACKAGE_INFLATED", 6 * MB)
    data = hs.docx_with_big_part("word/styles.xml", 4 * MB)
    data = hs._zip(
        {
            **{n: zipfile.ZipFile(io.BytesIO(data)).read(n) for n in ("word/styles.xml",)},
            "word/numbering.xml": (4 * MB, b" "),
        }
    )
    package = limits.Package(zipfile.ZipFile(io.BytesIO(data)), "文档")
    assert len(package.read("word/styles.xml")) > 4 * MB
    with pytest.raises(ReadError, match="解压后超过 6 MB"):
        package.read("word/numbering.xml")


def test_pdf_content_stream_inflating_to_hundreds_of_megabytes_is_refused():
    data = hs.pdf_stream_bomb(limits.MAX_PDF_INFLATED + 8 * MB)
    assert "PDF 内容过大" in str(refused(data, "a.pdf"))


def test_pdf_stream_compressed_twice_is_counted_to_the_bottom():
    data = hs.pdf_stream_bomb(limits.MAX_PDF_INFLATED + 8 * MB, layers=2)
    assert len(data) < 20_000
    assert "PDF 内容过大" in str(refused(data, "a.pdf"))


def test_an_ordinary_pdf_passes_the_stream_check():
    data = hs.pdf_stream_bomb(MB)  # a megabyte of text operators is ordinary
    result = extract_isolated(data, "a.pdf")
    assert "青溪市科学技术局" in result["text"]


# --- the child's own limits --------------------------------------------------------------------


def test_a_document_over_the_memory_limit_is_a_message(monkeypatch):
    monkeypatch.setenv("DUBAN_EXTRACT_MEMORY_MB", "250")
    with pytest.raises(ReadError) as caught:
        extract_isolated(hs.text_table(60_000), "a.txt")
    assert str(caught.value) in (TOO_BIG.format(mb=250), "文件过于复杂，无法读取")


def test_a_document_over_the_cpu_limit_is_a_message(monkeypatch):
    monkeypatch.setenv("DUBAN_EXTRACT_CPU_SECONDS", "1")
    with pytest.raises(ReadError) as caught:
        extract_isolated(hs.text_table(100_000), "a.txt")
    assert str(caught.value) == TOO_SLOW.format(seconds=1)


def test_the_child_reads_what_the_parent_would():
    from duban.extraction.extract import extract

    data = hs.text_table(50)
    assert extract_isolated(data, "a.txt") == extract(data, name="a.txt")
