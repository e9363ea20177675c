"""Word documents: styles, automatic numbering, merged table cells, text that is not text."""

from __future__ import annotations

import io
import zipfile

import pytest

from duban.extraction.containers import ReadError, read_document
from tests.extraction.container_samples import (
    abstract_num,
    cell,
    docx_bytes,
    num,
    para,
    style,
    table,
)
from tests.extraction.span_checks import assert_valid

STYLES = "".join(
    [
        style("Heading1", "heading 1"),
        style("2", "标题 2"),
        style("SectionHead", "Section Head", based_on="Heading3"),
        style("Heading3", "heading 3"),
        style("Outlined", "Outlined Body", outline=1),
        style("Normal", "Normal"),
    ]
)


def read(body: str, **parts) -> object:
    doc = read_document(docx_bytes(body, **parts), name="青溪.docx")
    assert doc.format == "docx"
    assert_valid(doc)
    return doc


def test_heading_levels_from_styles_and_outline():
    doc = read(
        para("青溪市2023年科技工作要点", style="Heading1")
        + para("一、总体要求", style="2")
        + para("（一）工作目标", style="SectionHead")
        + para("大纲级别段落", style="Outlined")
        + para("直接设置大纲级别", outline=0)
        + para("正文段落。", style="Normal")
        + para("未知样式段落。", style="Missing"),
        styles=STYLES,
    )
    assert [(p.heading_level, p.text) for p in doc.paragraphs] == [
        (1, "青溪市2023年科技工作要点"),
        (2, "一、总体要求"),
        (3, "（一）工作目标"),
        (2, "大纲级别段落"),
        (1, "直接设置大纲级别"),
        (None, "正文段落。"),
        (None, "未知样式段落。"),
    ]


NUMBERING = (
    abstract_num(
        0, [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]
    )
    + abstract_num(1, [("bullet", "●")])
    + abstract_num(2, [("decimal", "%1."), ("decimal", "%1.%2")])
    + num(1, 0)
    + num(2, 0, restart_at=1)
    + num(3, 1)
    + num(4, 2)
)


def test_automatic_numbering_rendered_as_printed():
    doc = read(
        para("总体要求", num=(1, 0))
        + para("工作目标", num=(1, 1))
        + para("基本原则", num=(1, 1))
        + para("高新技术企业达到520家。", num=(1, 2))
        + para("科技型中小企业达到900家。", num=(1, 2))
        + para("重点任务", num=(1, 0))
        + para("企业创新", num=(1, 1))
        + para("要点列表", num=(3, 0))
        + para("另起一个列表", num=(2, 0))
        + para("第一条", num=(4, 0))
        + para("第一条第一款", num=(4, 1))
        + para("第一条第二款", num=(4, 1))
        + para("不编号", num=(0, 0))
        + para("编号不存在", num=(99, 0)),
        numbering=NUMBERING,
    )
    assert [(p.numbering, p.text) for p in doc.paragraphs] == [
        ("一、", "总体要求"),
        ("（一）", "工作目标"),
        ("（二）", "基本原则"),
        ("1.", "高新技术企业达到520家。"),
        ("2.", "科技型中小企业达到900家。"),
        ("二、", "重点任务"),
        ("（一）", "企业创新"),
        (None, "要点列表"),
        ("一、", "另起一个列表"),
        ("1.", "第一条"),
        ("1.1", "第一条第一款"),
        ("1.2", "第一条第二款"),
        (None, "不编号"),
        (None, "编号不存在"),
    ]
    # the number is not part of the text
    assert "一、总体要求" not in doc.text


def test_numbering_from_a_style():
    styles = (
        '<w:style w:type="paragraph" w:styleId="ListHead"><w:name w:val="List Head"/>'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
    )
    doc = read(para("甲", style="ListHead") + para("乙", style="ListHead"), styles=styles,
               numbering=NUMBERING)  # fmt: skip
    assert [p.numbering for p in doc.paragraphs] == ["一、", "二、"]


def test_merged_cells_in_both_directions():
    body = (
        para("表1 青溪市2023年业务目标")
        + table(
            [
                [cell("类别"), cell("序号"), cell("目标", span=2)],
                [
                    cell("重点目标", vmerge="restart"),
                    cell("1"),
                    cell("高新技术企业"),
                    cell("520家"),
                ],
                [cell("", vmerge="continue"), cell("2"), cell("省级平台"), cell("3家")],
                [cell("创优目标"), cell("1"), cell("技术合同成交额达到30亿元", span=2)],
            ]
        )
        + para("注：目标值为年度目标。")
    )
    doc = read(body)
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Table", "Paragraph"]
    t = doc.tables[0]
    assert t.title == "表1 青溪市2023年业务目标"
    assert [[c.text for c in row] for row in t.rows] == [
        ["类别", "序号", "目标", "目标"],
        ["重点目标", "1", "高新技术企业", "520家"],
        ["重点目标", "2", "省级平台", "3家"],
        ["创优目标", "1", "技术合同成交额达到30亿元", "技术合同成交额达到30亿元"],
    ]
    merges = {(c.row, c.col): c.merged_from for row in t.rows for c in row if c.merged_from}
    assert merges == {(0, 3): (0, 2), (2, 0): (1, 0), (3, 3): (3, 2)}
    for row in t.rows:
        for c in row:
            assert doc.text[c.span[0] : c.span[1]] == c.text


def test_vertical_merge_over_a_horizontal_one():
    doc = read(
        table(
            [
                [cell("A"), cell("B"), cell("C")],
                [cell("跨两列两行", span=2, vmerge="restart"), cell("x")],
                [cell("", span=2, vmerge="continue"), cell("y")],
            ]
        )
    )
    rows = doc.tables[0].rows
    assert [c.text for c in rows[2]] == ["跨两列两行", "跨两列两行", "y"]
    assert [c.merged_from for c in rows[2]] == [(1, 0), (1, 0), None]
    assert rows[1][1].merged_from == (1, 0)


def test_grid_before_and_ragged_rows():
    body = (
        "<w:tbl><w:tr>" + cell("序号") + cell("任务") + cell("时限") + "</w:tr>"
        '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>' + cell("只有任务") + "</w:tr></w:tbl>"
    )
    rows = read(body).tables[0].rows
    assert [[c.text for c in row] for row in rows] == [
        ["序号", "任务", "时限"],
        ["", "只有任务", ""],
    ]


def test_cell_with_paragraphs_numbering_and_nested_table():
    nested = table([[cell("甲"), cell("2家")], [cell("乙"), cell("1家")]])
    doc = read(
        table(
            [
                [cell("项目"), cell("进展")],
                [
                    cell("平台建设"),
                    cell([para("完成评审", num=(4, 0)), para("启动建设", num=(4, 0)), nested]),
                ],
            ]
        ),
        numbering=NUMBERING,
    )
    assert doc.tables[0].rows[1][1].text == "1.完成评审\n2.启动建设\n甲\t2家\n乙\t1家"


def test_text_that_is_not_document_text():
    body = (
        "<w:p>"
        '<w:bookmarkStart w:id="0" w:name="_GoBack"/>'
        '<w:r><w:t xml:space="preserve">青溪市 </w:t></w:r>'
        '<w:del w:id="1" w:author="a"><w:r><w:delText>删除的文字</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="a"><w:r><w:t>科技局</w:t></w:r></w:ins>'
        '<w:bookmarkEnd w:id="0"/>'
        '<w:commentRangeStart w:id="3"/><w:r><w:commentReference w:id="3"/></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        "<w:r><w:tab/><w:t>第二段</w:t><w:br/><w:t>换行</w:t></w:r>"
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>'
        "<w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p>"
        "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        "</w:p>"
        '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr>'
        "<w:r><w:t>制表位不是文字</w:t></w:r></w:p>"
        '<w:sdt><w:sdtPr><w:alias w:val="x"/></w:sdtPr><w:sdtContent>'
        "<w:p><w:r><w:t>内容控件中的段落</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    doc = read(body)
    assert [p.text for p in doc.paragraphs] == [
        "青溪市 科技局3\t第二段\n换行",
        "制表位不是文字",
        "内容控件中的段落",
    ]


def test_main_part_named_by_relationships():
    data = docx_bytes(para("青溪市科技局"))
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                archive.writestr("word/document2.xml", content)
            elif info.filename == "_rels/.rels":
                archive.writestr(info, content.replace(b"word/document.xml", b"word/document2.xml"))
            else:
                archive.writestr(info, content)
    doc = read_document(out.getvalue(), name="a.docx")
    assert doc.paragraphs[0].text == "青溪市科技局"


def test_broken_document_xml():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><w:body><w:p>")
    with pytest.raises(ReadError, match="无法作为 Word 文档读取"):
        read_document(out.getvalue(), name="a.docx")


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容")
    document = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>前&x;后</w:t></w:r></w:p></w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", document)
    try:
        doc = read_document(out.getvalue(), name="a.docx")
    except ReadError:
        return
    assert "机密" not in doc.text
