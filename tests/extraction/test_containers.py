"""read_document: dispatch, errors, text encodings, table-as-text, plain text, HTML, seeds."""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

import pytest

from duban.extraction import containers
from duban.extraction.blocks import Paragraph, ReadDocument, Table, header_label
from duban.extraction.containers import MAX_FILE_SIZE, ReadError, read_document
from tests.extraction.container_samples import docx_bytes, para, pdf_bytes, pdf_lines, xlsx_bytes
from tests.extraction.span_checks import assert_valid

SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds"


def seed(prefix: str) -> ReadDocument:
    paths = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not paths:
        pytest.skip(f"seed {prefix} not available")
    return read_document(paths[0])


def only_table(doc: ReadDocument) -> Table:
    tables = doc.tables
    assert len(tables) == 1
    return tables[0]


# --- dispatch and errors ----------------------------------------------------------------------


def test_reads_path_bytes_and_file_object(tmp_path):
    data = "青溪市科学技术局\n\n一、总体要求\n".encode()
    path = tmp_path / "要点.txt"
    path.write_bytes(data)
    from_path = read_document(path)
    from_bytes = read_document(data, name="要点.txt")
    with path.open("rb") as handle:
        from_file = read_document(handle)
    for doc in (from_path, from_bytes, from_file):
        assert doc.name == "要点.txt"
        assert doc.format == "txt"
        assert doc.sha256 == hashlib.sha256(data).hexdigest()
        assert doc.text == "青溪市科学技术局\n\n一、总体要求\n"
    assert read_document(str(path)).text == from_path.text


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.md", "md"), ("a.MARKDOWN", "md"), ("a.txt", "txt"), ("noext", "txt"), ("a.htm", "html")],
)
def test_format_from_extension(name, fmt):
    assert read_document("青溪市科技局工作要点".encode(), name=name).format == fmt


def test_content_wins_over_extension():
    pdf = pdf_bytes([pdf_lines(["Qingxi science bureau"])])
    assert read_document(pdf, name="report.txt").format == "pdf"
    docx = docx_bytes(para("青溪市科技局"))
    assert read_document(docx, name="report.bin").format == "docx"
    assert read_document(docx, name="report.xlsx").format == "docx"
    xlsx = xlsx_bytes(lambda wb: wb.active.append(["序号", "任务"]))
    assert read_document(xlsx, name="upload").format == "xlsx"
    html = b"<!DOCTYPE html><html><body><p>\xe9\x9d\x92\xe6\xba\xaa</p></body></html>"
    assert read_document(html, name="page.txt").format == "html"


@pytest.mark.parametrize(
    ("data", "name", "message", "code"),
    [
        (b"", "a.txt", "文件为空", "empty"),
        (b"  \n\r\n\t ", "a.txt", "文件为空", "empty"),
        (codecs.BOM_UTF16_LE + "　 \n".encode("utf-16-le"), "a.txt", "文件为空", "empty"),
        (b"slides", "deck.ppt", "无法识别的文件格式：.ppt", "unsupported"),
        (b"not a zip at all", "a.docx", "文件已损坏，无法作为 Word 文档读取", "corrupt"),
        (b"not a zip at all", "a.xlsx", "文件已损坏，无法作为 Excel 表格读取", "corrupt"),
        (b"not a pdf at all", "a.pdf", "文件已损坏，无法作为 PDF 读取", "corrupt"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "a.doc",
            "不支持旧版 Word 格式",
            "unsupported",
        ),
        (b"\xff\xfe\x00\xd8", "a.txt", "无法识别文本编码", "encoding"),
        (b"ab\x00cd\x00ef", "a.txt", "无法识别文本编码", "encoding"),
    ],
)
def test_read_errors(data, name, message, code):
    with pytest.raises(ReadError) as caught:
        read_document(data, name=name)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)
    assert caught.value.code == code


def test_zip_that_is_not_office():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "青溪")
    with pytest.raises(ReadError, match="无法作为 Word 文档读取"):
        read_document(out.getvalue(), name="a.docx")
    with pytest.raises(ReadError, match="无法识别的文件格式：.zip"):
        read_document(out.getvalue(), name="a.zip")


def test_size_limit(tmp_path, monkeypatch):
    assert MAX_FILE_SIZE == 50 * 1024 * 1024
    monkeypatch.setattr(containers, "MAX_FILE_SIZE", 1000)
    with pytest.raises(ReadError, match=r"文件过大（超过 0 MB）") as caught:
        read_document(b"a" * 1001, name="a.txt")
    assert caught.value.code == "too_large"
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 1001)
    with pytest.raises(ReadError, match="文件过大"):
        read_document(big)
    assert read_document(b"a" * 1000, name="a.txt").text == "a" * 1000


def test_real_size_limit_message(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(MAX_FILE_SIZE + 1)  # sparse: no 50 MB written to disk
    with pytest.raises(ReadError, match=r"^文件过大（超过 50 MB）$"):
        read_document(big)


def test_missing_path():
    with pytest.raises(ReadError, match="文件不存在"):
        read_document("/nonexistent/青溪.txt")


def test_document_without_text_is_an_error():
    with pytest.raises(ReadError, match="没有可提取的文字"):
        read_document(docx_bytes(para("")), name="a.docx")


# --- encodings --------------------------------------------------------------------------------

SAMPLE = "青溪市科学技术局\r\n2023年工作要点\r\n一、加快建设创新型城市，高新技术企业达到520家。\r\n"
EXPECTED = SAMPLE.replace("\r\n", "\n")


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE.encode("utf-8"),
        codecs.BOM_UTF8 + SAMPLE.encode("utf-8"),
        SAMPLE.encode("gbk"),
        SAMPLE.encode("gb18030"),
        codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "gbk", "gb18030", "utf16le-bom", "utf16be-bom"],
)
def test_encodings(data):
    doc = read_document(data, name="要点.txt")
    assert doc.text == EXPECTED
    assert [p.text for p in doc.paragraphs] == [
        "青溪市科学技术局",
        "2023年工作要点",
        "一、加快建设创新型城市，高新技术企业达到520家。",
    ]
    assert_valid(doc)


def test_gb18030_only_characters():
    text = "青溪市𠀀科技局：㐀项目通过验收。"  # characters outside GBK
    assert read_document(text.encode("gb18030"), name="a.txt").text == text


TRADITIONAL = (
    "青溪市科學技術局\n2023年工作要點\n一、加快建設創新型城市，高新技術企業達到520家。\n"
    "二、推動產業轉型升級，完成時限：6月底前。\n"
)


@pytest.mark.parametrize("codec", ["big5", "cp950"])
def test_big5_is_read_as_big5_not_gb18030(codec):
    doc = read_document(TRADITIONAL.encode(codec), name="要點.txt")
    assert doc.text == TRADITIONAL
    assert doc.warnings == []


def test_big5_short_line():
    text = "高新技術企業達到520家。"
    assert read_document(text.encode("big5"), name="a.txt").text == text


@pytest.mark.parametrize("text", [EXPECTED, "高新技术企业达到520家。", "项目通过验收"])
def test_gbk_is_not_taken_for_big5(text):
    assert read_document(text.encode("gbk"), name="a.txt").text == text


def test_utf8_with_a_few_broken_bytes_is_read_with_replacement_and_a_warning():
    data = EXPECTED.encode()
    at = len(EXPECTED[:9].encode())
    broken = data[:at] + b"\xff" + data[at:] + b"\xc3"
    doc = read_document(broken, name="要点.txt")
    assert doc.text == EXPECTED[:9] + "\ufffd" + EXPECTED[9:] + "\ufffd"
    assert len(doc.warnings) == 1
    assert "2 处" in doc.warnings[0] and "UTF-8" in doc.warnings[0]
    assert "\n" not in doc.warnings[0]


def test_utf8_with_a_few_broken_bytes_warns_in_the_extraction_result():
    from duban.extraction.extract import extract

    data = (EXPECTED * 3).encode()
    result = extract(data[:27] + b"\xfe" + data[27:], name="要点.txt")
    assert "\ufffd" in result["text"]
    assert result["warnings"] and "1 处" in result["warnings"][0]
    assert "warnings" not in extract(data, name="要点.txt")


def test_html_utf8_with_a_broken_byte_warns():
    html = "<html><body><p>青溪市科学技术局二〇二三年工作要点：加快建设创新型城市，培育高新技术企业。</p></body></html>"
    data = html.encode()
    at = data.index("科".encode())
    doc = read_document(data[:at] + b"\xff" + data[at:], name="a.html")
    assert "\ufffd" in doc.text
    assert doc.warnings


def test_old_mac_line_ends():
    assert read_document("第一行\r第二行".encode(), name="a.txt").text == "第一行\n第二行"


# --- table-as-text ----------------------------------------------------------------------------

LEDGER = (
    "\n"
    "青溪市科学技术局2023年重点任务推进情况\n"
    "填报单位：青溪市科学技术局          联系人：林晓\n"
    " \t任务\n来源\n"
    "\t具体事项\n"
    "\t完成\n时限\n"
    "\t责任单位\n"
    "\n"
    "\t市政府工作报告\n"
    "\t1.培育高新技术企业，总数达到520家。\n"
    "\t12月\n"
    "\t市科技局\n"
    "\n"
    "\t\n"
    "\t2.建设中试基地3家[bookmark: _GoBack]。\n"
    "\n"
    "第一批已挂牌。\n"
    "\t9月\n"
    "\t市科技局          市工业和信息化局          市人力资源社会\n"
    "\n"
    "保障局\n"
    "\n"
    "\t局年度要点\n"
    "\t3.举办创新创业大赛。\n"
    "\t\n"
    "\t市科技局\n"
    "\n"
    "\n"
    "注：责任单位排在第一位的为牵头单位。\n"
)


def test_table_as_text_layout():
    doc = read_document(LEDGER.encode("gbk"), name="台账.txt")
    assert_valid(doc)
    assert "[bookmark" not in doc.text
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Paragraph", "Table", "Paragraph"]
    table = only_table(doc)
    assert table.title == "青溪市科学技术局2023年重点任务推进情况"
    assert [c.text for c in table.header] == ["任务\n来源", "具体事项", "完成\n时限", "责任单位"]
    assert [header_label(c) for c in table.header] == [
        "任务来源",
        "具体事项",
        "完成时限",
        "责任单位",
    ]
    assert len(table.rows) == 4
    second = table.rows[2]
    assert second[0].merged_from == (1, 0)
    assert second[0].text == "市政府工作报告"
    assert second[0].span == table.rows[1][0].span
    # a cell holding a blank line of its own, with the artefact removed
    assert second[1].text == "2.建设中试基地3家。\n\n第一批已挂牌。"
    # the spilled last words are joined back to the row's last cell
    assert second[3].text.endswith("市人力资源社会保障局")
    assert doc.text[second[3].span[0] : second[3].span[1]].endswith("社会\n\n保障局")
    # an empty cell that does not lead the row is just empty
    third = table.rows[3]
    assert third[0].merged_from is None and third[0].text == "局年度要点"
    assert third[2].text == "" and third[2].merged_from is None
    assert doc.blocks[-1].text == "注：责任单位排在第一位的为牵头单位。"


def test_table_row_without_its_blank_line():
    text = "\t序号\n\t任务\n\n\t1\n\t甲项任务\n\t2\n\t乙项任务\n"
    table = only_table(read_document(text.encode(), name="a.txt"))
    assert [[c.text for c in row] for row in table.rows] == [
        ["序号", "任务"],
        ["1", "甲项任务"],
        ["2", "乙项任务"],
    ]


def test_signature_under_a_table_is_not_a_spill():
    text = "\t序号\n\t责任单位\n\n\t1\n\t市科技局\n\n青溪市科学技术局\n\n2023年1月5日\n"
    doc = read_document(text.encode(), name="a.txt")
    assert only_table(doc).rows[1][1].text == "市科技局"
    assert [p.text for p in doc.paragraphs] == ["青溪市科学技术局", "2023年1月5日"]


def test_short_last_row_is_padded():
    text = "\t序号\n\t任务\n\t时限\n\n\t1\n\t甲项任务\n"
    doc = read_document(text.encode(), name="a.txt")
    assert_valid(doc)
    assert [c.text for c in only_table(doc).rows[1]] == ["1", "甲项任务", ""]


def test_tab_indented_prose_is_not_a_table():
    text = "\t青溪市科技局召开全体会议。\n\n\t会议部署了全年工作。\n"
    doc = read_document(text.encode(), name="a.txt")
    assert doc.tables == []
    assert [p.text for p in doc.paragraphs] == [
        "青溪市科技局召开全体会议。",
        "会议部署了全年工作。",
    ]


def test_two_tables_in_one_text():
    text = "表一 任务清单\n\t序号\n\t任务\n\n\t1\n\t甲\n\n说明文字。\n表二 指标清单\n\t指标\n\t目标值\n\n\t高企\n\t520家\n"
    doc = read_document(text.encode(), name="a.txt")
    assert_valid(doc)
    assert [t.title for t in doc.tables] == ["表一 任务清单", "表二 指标清单"]


def test_markdown_pipe_table():
    text = "# 指标\n\n| 指标 | 目标值 |\n| --- | --- |\n| 高新技术企业 | 520家 |\n| 研发投入 |\n"
    doc = read_document(text.encode(), name="a.md")
    assert_valid(doc)
    table = only_table(doc)
    assert [[c.text for c in row] for row in table.rows] == [
        ["指标", "目标值"],
        ["高新技术企业", "520家"],
        ["研发投入", ""],
    ]


# --- running text -----------------------------------------------------------------------------


def test_markdown_headings_and_broken_lines():
    text = (
        "# 青溪市2023年科技工作要点\n\n"
        "## 一、强化企业创新主体地位，壮大创新型企业\n\n"
        "1.实施高新技术企业培育工程，全年新增高新技术企业60家，总数达到\n\n"
        "520家以上。\n\n"
        "**二、提升平台能级**\n\n"
        "2.建设省级重点实验室2家。\n\n"
        "### （一）人才\n\n"
        "## 三、优化创新生态，建设创新型城\n\n市\n"
    )
    doc = read_document(text.encode(), name="要点.md")
    assert_valid(doc)
    summary = [(p.heading_level, p.text) for p in doc.paragraphs]
    assert summary == [
        (1, "青溪市2023年科技工作要点"),
        (2, "一、强化企业创新主体地位，壮大创新型企业"),
        (None, "1.实施高新技术企业培育工程，全年新增高新技术企业60家，总数达到\n\n520家以上。"),
        (2, "二、提升平台能级"),
        (None, "2.建设省级重点实验室2家。"),
        (3, "（一）人才"),
        (2, "三、优化创新生态，建设创新型城\n\n市"),
    ]


def test_title_lines_do_not_swallow_the_next_line():
    text = "青溪市2023年科技工作总结\n\n2023年，全市科技工作取得新进展。\n\n青溪市科学技术局\n2024年1月5日\n"
    doc = read_document(text.encode(), name="a.txt")
    assert [p.text for p in doc.paragraphs] == [
        "青溪市2023年科技工作总结",
        "2023年，全市科技工作取得新进展。",
        "青溪市科学技术局",
        "2024年1月5日",
    ]


def test_bare_pattern_headings_in_plain_text():
    text = "一、总体要求\n（一）工作目标\n全年高新技术企业达到520家。\n二、重点任务\n"
    doc = read_document(text.encode(), name="a.txt")
    assert [(p.heading_level, p.text) for p in doc.paragraphs] == [
        (1, "一、总体要求"),
        (2, "（一）工作目标"),
        (None, "全年高新技术企业达到520家。"),
        (1, "二、重点任务"),
    ]


WEB_PAGE_TEXT = (
    "首页>通知公告\n"
    "关于印发青溪市2023年科技工作要点的通知\n\n"
    "发布日期:2023-02-01 10:00:00 浏览次数: 字体:[ 大 中 小 ]\n\n"
    "各区县科技局：\n\n"
    "现将《青溪市2023年科技工作要点》印发给你们。\n\n"
    "【打印本页】 【关闭窗口】\n"
    "Produced By 某网站群发布系统\n"
)


def test_web_page_chrome_is_dropped_from_plain_text():
    doc = read_document(WEB_PAGE_TEXT.encode(), name="page.txt")
    assert_valid(doc)
    for chrome in ("首页>", "发布日期", "【打印本页】", "Produced By"):
        assert chrome not in doc.text
    assert [p.text for p in doc.paragraphs] == [
        "关于印发青溪市2023年科技工作要点的通知",
        "各区县科技局：",
        "现将《青溪市2023年科技工作要点》印发给你们。",
    ]


def test_prose_mentioning_a_publication_date_is_kept():
    text = "青溪市科技局工作报告\n\n发布日期：2023年2月1日，本报告由青溪市科技局编制。\n"
    doc = read_document(text.encode(), name="a.txt")
    assert "发布日期" in doc.text


def test_huge_single_line():
    line = "青溪市科技局推进创新，" * 500_000  # 5.5 million characters, no newline
    doc = read_document(line.encode(), name="huge.txt")
    assert len(doc.paragraphs) == 1
    assert doc.paragraphs[0].span == (0, len(line))


# --- html -------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta charset="gbk"><title>青溪市科学技术局</title>
<style>p { color: red }</style><script>var x = "不应出现";</script></head>
<body>
<div class="header">网站首页 | 政务公开</div>
<nav>导航：首页 机构 政策</nav>
<div class="breadcrumb">首页 &gt; 通知公告</div>
<div class="article">
  <h1>青溪市2023年科技工作要点</h1>
  <div class="info">发布日期：2023-02-01 浏览次数：128</div>
  <p>　　2023年，全市科技工作
     坚持创新驱动。<br>全年目标如下：</p>
  <h2>一、强化企业创新主体地位</h2>
  <ol><li>培育高新技术企业。</li><li>建设中试基地。</li></ol>
  <table border="1">
    <caption>重点指标</caption>
    <tr><th>类别</th><th>指标</th><th colspan="2">目标</th></tr>
    <tr><td rowspan="2">企业</td><td>高新技术企业</td><td>520</td><td>家</td></tr>
    <tr><td>科技型中小企业</td><td>900</td><td>家</td></tr>
  </table>
  <table><tr><td><p>布局用表格中的段落。</p></td></tr></table>
  <p>【打印本页】【关闭窗口】</p>
  <p>上一篇：关于开展科技活动周的通知</p>
</div>
<footer>Produced By 某网站群发布系统 版权所有</footer>
</body></html>"""


def test_html_page():
    doc = read_document(PAGE.encode("gbk"), name="page.html")
    assert doc.format == "html"
    assert_valid(doc)
    for chrome in ("不应出现", "导航", "通知公告", "发布日期", "打印本页", "上一篇", "Produced By"):
        assert chrome not in doc.text, chrome
    paragraphs = [(p.heading_level, p.numbering, p.text) for p in doc.paragraphs]
    assert paragraphs == [
        (1, None, "青溪市2023年科技工作要点"),
        (None, None, "2023年，全市科技工作 坚持创新驱动。\n全年目标如下："),
        (2, None, "一、强化企业创新主体地位"),
        (None, "1.", "培育高新技术企业。"),
        (None, "2.", "建设中试基地。"),
        (None, None, "布局用表格中的段落。"),
    ]
    table = only_table(doc)
    assert table.title == "重点指标"
    assert [[c.text for c in row] for row in table.rows] == [
        ["类别", "指标", "目标", "目标"],
        ["企业", "高新技术企业", "520", "家"],
        ["企业", "科技型中小企业", "900", "家"],
    ]
    assert table.rows[0][3].merged_from == (0, 2)
    assert table.rows[2][0].merged_from == (1, 0)


def test_html_without_meta_charset_in_gb18030():
    html = "<html><body><p>青溪市科技局</p></body></html>".encode("gb18030")
    assert read_document(html, name="a.htm").paragraphs[0].text == "青溪市科技局"


def test_html_nested_table_is_flattened_into_its_cell():
    html = """<html><body><table>
      <tr><th>项目</th><th>明细</th></tr>
      <tr><td>平台</td><td><table><tr><td>甲</td><td>2家</td></tr><tr><td>乙</td><td>1家</td></tr>
      </table></td></tr></table></body></html>"""
    # A table with a table inside is read as layout; its inner table is the data.
    doc = read_document(html.encode(), name="a.html")
    assert_valid(doc)
    assert [[c.text for c in row] for row in doc.tables[0].rows] == [["甲", "2家"], ["乙", "1家"]]


# --- the seeds --------------------------------------------------------------------------------


def test_seed_000_commitments():
    doc = seed("000")
    assert_valid(doc)
    table = only_table(doc)
    assert [header_label(c) for c in table.header] == [
        "任务来源",
        "具体事项",
        "工作进展和取得成效",
        "完成时限",
        "后续举措和落实情况",
    ]
    assert table.header[0].text == "任务\n来源"
    assert len(table.rows) == 13  # header + 12 rows
    source = table.rows[1][0]
    assert source.text == "省直重点任务公开承诺事项" and source.merged_from is None
    for row in table.rows[2:]:
        assert row[0].merged_from == (1, 0)
        assert row[0].text == source.text
    # the second block of progress for item 4 continues both leading cells
    assert table.rows[5][1].merged_from == (4, 1)
    assert table.rows[5][1].text.startswith("4.")
    assert table.rows[5][2].text.startswith("4.")
    items = [row[1].text.split(".")[0] for row in table.rows[1:] if row[1].merged_from is None]
    assert items == [str(n) for n in range(1, 12)]


def test_seed_003_progress():
    doc = seed("003")
    assert_valid(doc)
    table = only_table(doc)
    assert [header_label(c) for c in table.header] == [
        "序号",
        "年度目标",
        "第1季度目标",
        "是否完成",
        "具体工作进展",
        "未完成原因",
        "下步工作打算",
        "市政府分管领导",
        "责任单位",
    ]
    numbers = [row[0].text for row in table.rows[1:]]
    assert numbers == ["43", "45", "46", "48", "49", "50", "52", "53", "54"]
    by_number = {row[0].text: row for row in table.rows[1:]}
    for number in ("45", "54"):
        units = by_number[number][8]
        assert units.text.endswith("市人力资源社会保障局")
        assert "\n\n" not in units.text
        assert doc.text[units.span[0] : units.span[1]].endswith("保障局")
    assert by_number["54"][8].text.startswith("市科技局\n市委组织部")
    assert by_number["54"][5].text == "是"
    assert by_number["53"][3].text == "未完成"
    assert table.title.startswith("2022年第一季度")
    paragraphs = doc.paragraphs
    assert paragraphs[1].text.startswith("联系人：")
    assert paragraphs[-1].text.startswith("注：")
    assert not any(p.text == "保障局" for p in paragraphs)


def test_seed_004_goals():
    doc = seed("004")
    assert_valid(doc)
    assert "[bookmark" not in doc.text
    table = only_table(doc)
    assert [header_label(c) for c in table.header] == ["类别", "序号", "目标名称", "目标内容"]
    assert table.title == "2021年度市直单位业务目标"
    categories = [(row[0].text, row[0].merged_from) for row in table.rows[1:]]
    assert categories[0] == ("重点目标", None)
    assert categories[1:7] == [("重点目标", (1, 0))] * 6
    assert categories[7] == ("创优目标", None)
    assert categories[8] == ("创优目标", (8, 0))
    assert [row[1].text for row in table.rows[1:]] == ["1", "2", "3", "4", "5", "6", "7", "1", "2"]
    assert "标杆城市及标杆值" in table.rows[8][3].text
    assert doc.paragraphs[1].text.startswith("单位名称：")


def test_seed_001_plan():
    doc = seed("001")
    assert_valid(doc)
    headings = [(p.heading_level, p.text) for p in doc.paragraphs if p.heading_level]
    assert headings[0] == (1, "2020 年全市科技工作要点")
    numbered = [text[:2] for _level, text in headings[1:]]
    assert numbered == ["一、", "二、", "三、", "四、", "五、", "六、", "七、"]
    assert headings[2][1].endswith("活\n\n力")
    items = [re.match(r"(\d+)\.", p.text) for p in doc.paragraphs]
    assert [int(m.group(1)) for m in items if m] == list(range(1, 22))
    broken = next(p for p in doc.paragraphs if p.text.startswith("2.加强基层党组织"))
    assert "建\n\n设" in broken.text
    assert broken.text.endswith("。")


def test_seed_002_web_page_text():
    doc = seed("002")
    assert_valid(doc)
    for chrome in ("首页>", "发布日期", "【打印本页】", "Produced By"):
        assert chrome not in doc.text
        assert not any(chrome in p.text for p in doc.paragraphs)
    headings = [p.text[:2] for p in doc.paragraphs if p.heading_level == 1]
    assert headings == ["一、", "二、", "三、", "四、", "五、", "六、", "七、"]
    texts = [p.text for p in doc.paragraphs]
    assert "2021年全市科技工作总结" in texts and "2022年全市科技工作要点" in texts
    assert any(t.startswith("主要工作目标") for t in texts)


def test_seeds_read_fast():
    import time

    if not SEEDS.is_dir():
        pytest.skip("seeds not available")
    paths = sorted(SEEDS.glob("*.txt"))
    for path in paths:  # warm imports
        read_document(path)
    start = time.perf_counter()
    for path in paths:
        read_document(path)
    assert time.perf_counter() - start < 0.1


def test_blocks_are_dataclasses_with_the_agreed_names():
    doc = read_document("一、总体要求\n".encode(), name="a.txt")
    paragraph = doc.blocks[0]
    assert isinstance(paragraph, Paragraph)
    assert (paragraph.text, paragraph.span, paragraph.heading_level, paragraph.numbering) == (
        "一、总体要求",
        (0, 6),
        1,
        None,
    )
