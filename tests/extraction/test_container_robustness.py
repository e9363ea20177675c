"""Whatever the bytes, read_document returns a ReadDocument or raises ReadError, nothing else."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duban.extraction import containers
from duban.extraction.blocks import ReadDocument
from duban.extraction.containers import ReadError, read_document
from tests.extraction.container_samples import (
    abstract_num,
    cell,
    docx_bytes,
    num,
    para,
    pdf_bytes,
    pdf_lines,
    table,
    xlsx_bytes,
)
from tests.extraction.span_checks import assert_valid

NAMES = ["a.txt", "a.md", "a.html", "a.docx", "a.xlsx", "a.pdf", "a", "a.ppt", "a.zip"]


def read_or_error(data: bytes, name: str) -> ReadDocument | ReadError:
    try:
        doc = read_document(data, name=name)
    except ReadError as exc:
        message = str(exc)
        assert message and "\n" not in message
        return exc
    assert_valid(doc)
    return doc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000), name=st.sampled_from(NAMES))
def test_random_bytes(data, name):
    read_or_error(data, name)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=400), name=st.sampled_from(["a.txt", "a.md", "a.html"]))
def test_random_text(text, name):
    result = read_or_error(text.encode("utf-8"), name)
    if isinstance(result, ReadDocument) and name != "a.html":
        assert result.text  # a text that is not blank reads as itself, normalised


@settings(max_examples=100, deadline=None)
@given(
    lines=st.lists(
        st.sampled_from(
            ["", " ", "\t", " \t任务", "来源", "\t序号", "\t青溪", "保障局", "注：说明。",
             "| a | b |", "|---|---|", "# 标题", "一、总体", "正文，没有结束", "结束。", "\xa0"]
        ),
        max_size=40,
    )
)  # fmt: skip
def test_random_table_like_text(lines):
    read_or_error("\n".join(lines).encode("utf-8"), "a.txt")


def sample_docx() -> bytes:
    numbering = abstract_num(0, [("chineseCounting", "%1、")]) + num(1, 0)
    body = (
        para("青溪市科技局", num=(1, 0))
        + table(
            [
                [cell("类别"), cell("目标", span=2)],
                [cell("重点", vmerge="restart"), cell("高企"), cell("520家")],
                [cell("", vmerge="continue"), cell("平台"), cell("3家")],
            ]
        )
        + para("注：年度目标。")
    )
    return docx_bytes(body * 20, numbering=numbering)


def sample_xlsx() -> bytes:
    def build(workbook):
        sheet = workbook.active
        sheet["A1"] = "青溪市目标"
        sheet.merge_cells("A1:C1")
        for i in range(30):
            sheet.append([f"类别{i % 3}", i, "高新技术企业达到520家"])
        sheet.merge_cells("A2:A4")

    return xlsx_bytes(build)


def sample_pdf() -> bytes:
    lines = ["青溪市科学技术局", "一、总体要求", "全年高新技术企业达到520家。"] * 5
    return pdf_bytes([pdf_lines(lines), pdf_lines(lines)])


SAMPLES = {"a.docx": sample_docx, "a.xlsx": sample_xlsx, "a.pdf": sample_pdf}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_whole_samples_read(name):
    assert isinstance(read_or_error(SAMPLES[name](), name), ReadDocument)


@pytest.mark.parametrize("name", sorted(SAMPLES))
@pytest.mark.parametrize("fraction", [0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99])
def test_truncated_files(name, fraction):
    data = SAMPLES[name]()
    cut = data[: int(len(data) * fraction)]
    read_or_error(cut, name)
    read_or_error(cut, "upload")  # and without an extension to go by


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_corrupted_bytes(data):
    name = data.draw(st.sampled_from(sorted(SAMPLES)))
    original = bytearray(SAMPLES_CACHE[name])
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(original) - 1))
        original[position] = data.draw(st.integers(0, 255))
    read_or_error(bytes(original), name)


SAMPLES_CACHE = {name: build() for name, build in SAMPLES.items()}


def test_zip_with_other_content():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("content.xml", "<office:document/>")
    for name in ("a.docx", "a.xlsx", "a.zip", "upload"):
        assert isinstance(read_or_error(out.getvalue(), name), ReadError)


def test_docx_without_body_text_parts():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", b"\xff\xfe not xml")
    assert isinstance(read_or_error(out.getvalue(), "a.docx"), ReadError)


def test_over_the_limit(monkeypatch):
    monkeypatch.setattr(containers, "MAX_FILE_SIZE", 10_000)
    for name, build in SAMPLES.items():
        data = build() + b"\0" * 10_000
        error = read_or_error(data, name)
        assert isinstance(error, ReadError) and error.code == "too_large"


def test_empty_file_in_every_format():
    for name in NAMES:
        error = read_or_error(b"", name)
        assert isinstance(error, ReadError) and str(error) == "文件为空"


def test_deeply_nested_html():
    html = "<div>" * 5000 + "青溪" + "</div>" * 5000
    read_or_error(html.encode(), "a.html")


def test_huge_colspan_is_capped():
    html = (
        '<table><tr><td colspan="100000000">甲</td><td>乙</td></tr>'
        "<tr><td>丙</td><td>丁</td></tr></table>"
    )
    doc = read_or_error(html.encode(), "a.html")
    assert isinstance(doc, ReadDocument)


def test_uncompressed_size_caps(monkeypatch):
    from duban.extraction.containers import docx, xlsx

    monkeypatch.setattr(docx, "MAX_PART_SIZE", 1000)
    monkeypatch.setattr(xlsx, "MAX_SHEET_XML", 1000)
    for name in ("a.docx", "a.xlsx"):
        error = read_or_error(SAMPLES_CACHE[name], name)
        assert isinstance(error, ReadError) and error.code == "too_large", error
        assert "解压后超过" in str(error)
