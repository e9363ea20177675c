"""PDFs: a real Chinese text layer (written by hand in container_samples.pdf_bytes) and Latin."""

from __future__ import annotations

import pytest

from duban.extraction.containers import ReadError, read_document
from tests.extraction.container_samples import pdf_bytes, pdf_lines
from tests.extraction.span_checks import assert_valid

# Full lines are 30 characters of 12 pt: 72 + 360 = 432 is the right margin.
PAGE_ONE = [
    "青溪市科学技术局文件",
    "青溪市2023年科技工作要点",
    "一、总体要求",
    "  全面贯彻创新驱动发展战略，加快建设创新型城市，全年高新技术企业达到",
    "520家以上，研发投入强度达到2.9%。",
    "（一）工作目标",
    "  （二）强化企业创新主体地位。实施高新技术企业培育工程，建立培育库，",
    "入库企业达到300家。",
    "1.建设中试基地3家。",
    "  完善科技金融服务体系，扩大科技成果转化贷款规模，力争全年新增贷款超",
    "- 1 -",
]
PAGE_TWO = [
    "青溪市科学技术局文件",
    "过10亿元。",
    "二、重点任务",
    "  持续优化创新生态。",
    "第 2 页",
]


def chinese_pdf() -> bytes:
    return pdf_bytes([pdf_lines(PAGE_ONE), pdf_lines(PAGE_TWO)])


def test_chinese_text_layer_is_rejoined():
    doc = read_document(chinese_pdf(), name="要点.pdf")
    assert doc.format == "pdf"
    assert_valid(doc)
    assert [(p.heading_level, p.text) for p in doc.paragraphs] == [
        (None, "青溪市2023年科技工作要点"),
        (1, "一、总体要求"),
        (
            None,
            "全面贯彻创新驱动发展战略，加快建设创新型城市，全年高新技术企业达到520家以上，研发投入强度达到2.9%。",
        ),
        (2, "（一）工作目标"),
        # a run-in heading followed by its paragraph is body text, not a heading
        (
            None,
            "（二）强化企业创新主体地位。实施高新技术企业培育工程，建立培育库，入库企业达到300家。",
        ),
        (None, "1.建设中试基地3家。"),
        (None, "完善科技金融服务体系，扩大科技成果转化贷款规模，力争全年新增贷款超过10亿元。"),
        (1, "二、重点任务"),
        (None, "持续优化创新生态。"),
    ]
    # the running head and both page numbers are gone
    assert "文件" not in doc.text and "- 1 -" not in doc.text and "第 2 页" not in doc.text


def test_right_aligned_signature_on_its_own_page():
    body = pdf_lines(PAGE_ONE[:5])
    signature = [(72 + 22 * 12, 780, "青溪市科学技术局"), (72 + 24 * 12, 760, "2023年1月5日")]
    doc = read_document(pdf_bytes([body, signature]), name="a.pdf")
    assert [p.text for p in doc.paragraphs][-2:] == ["青溪市科学技术局", "2023年1月5日"]


def test_latin_text_is_joined_with_spaces():
    lines = [
        "Qingxi Science and Technology Bureau",
        "  The bureau will support five hundred and twenty high-tech",
        "enterprises and build three pilot bases in the coming year.",
        "  A second paragraph starts here.",
    ]
    doc = read_document(pdf_bytes([pdf_lines(lines)]), name="a.pdf")
    assert [p.text for p in doc.paragraphs] == [
        "Qingxi Science and Technology Bureau",
        "The bureau will support five hundred and twenty high-tech enterprises and build three"
        " pilot bases in the coming year.",
        "A second paragraph starts here.",
    ]


def test_pdf_without_text_layer():
    with pytest.raises(
        ReadError, match=r"^PDF 没有文字层（可能是扫描件），无法提取文字$"
    ) as caught:
        read_document(pdf_bytes([[]]), name="scan.pdf")
    assert caught.value.code == "no_text"


def test_pdf_header_is_found_after_leading_bytes():
    data = b"\n\n" + chinese_pdf()
    assert read_document(data, name="a.bin").format == "pdf"


def test_damaged_pdf():
    data = chinese_pdf()
    with pytest.raises(ReadError, match="无法作为 PDF 读取"):
        read_document(data[:200], name="a.pdf")
