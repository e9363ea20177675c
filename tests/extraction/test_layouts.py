"""Layouts and containers the seeds do not show, built in the tests from invented wording
(fictional 白沙市 and 青溪市/青溪县, other years): the extractor must follow the genre's
conventions, not the seeds' wording.

* a quarterly table in .docx, columns in another order and worded differently, merged cells;
* a goal table in .xlsx with title rows, a 填报单位 line and merged category cells;
* a plan in .docx with Heading styles and automatic numbering from numbering.xml;
* a county plan in GBK .txt with （一） sub-headings and body paragraphs;
* a summary in PDF whose numbering restarts in every section, with running heads;
* a web page with chrome around a <table> with a rowspan category and a 备注 column;
* a table exported to text whose header is repeated on its second page, with a note row.
"""

from __future__ import annotations

import pytest

from duban.extraction.extract import extract

from . import container_samples as cs
from .result_checks import assert_contract


def _run(data: bytes, name: str) -> dict:
    result = extract(data, name=name)
    assert_contract(result)
    return result


def _items(result: dict, kind: str | None = None) -> list[dict]:
    return [i for i in result["items"] if kind is None or i["kind"] == kind]


def _numbers(item: dict) -> list[tuple]:
    return [
        (i["subject"], i["kind"], i["measure"], i["comparator"], i["value"], i["unit"], i["year"])
        for i in item["indicators"]
    ]


def _parent(result: dict, item: dict) -> dict | None:
    return next((i for i in result["items"] if i["id"] == item["parent"]), None)


# --- a quarterly table in .docx ---------------------------------------------------------------

QUARTER_HEADER = [
    "编号",
    "重点任务",
    "牵头单位",
    "配合单位",
    "时间节点",
    "进展情况",
    "存在问题",
    "下一步打算",
    "责任领导",
]


def _quarterly_docx() -> bytes:
    c = cs.cell
    rows = [
        [c(h) for h in QUARTER_HEADER],
        [
            c("1", vmerge="restart"),
            c(
                "培育壮大科技型企业，全年新增高新技术企业150家，科技型中小企业总数达到900家。",
                vmerge="restart",
            ),
            c("市科技局", vmerge="restart"),
            c("市财政局、市税务局", vmerge="restart"),
            c("12月底", vmerge="restart"),
            c("二季度新认定高新技术企业42家。"),
            c("无"),
            c("组织第二批申报辅导。"),
            c("李明", vmerge="restart"),
        ],
        [
            c("", vmerge="continue"),
            c("", vmerge="continue"),
            c("", vmerge="continue"),
            c("", vmerge="continue"),
            c("", vmerge="continue"),
            c("科技型中小企业入库612家，完成全年目标的68%。"),
            c("入库进度慢于序时。"),
            c("开展入库专项行动。"),
            c("", vmerge="continue"),
        ],
        [
            c("2"),
            c("推动研发投入增长，全社会研发经费投入增长12%以上。"),
            c("市统计局（牵头）、市科技局"),
            c("各区县政府"),
            c("持续推进"),
            c("已完成"),
            c("无"),
            c("做好年度统计调查。"),
            c("李明、王芳"),
        ],
        [c("注：时间节点为最迟完成时间，进展情况截至6月20日。", span=9)],
    ]
    body = cs.para("白沙市2023年第二季度重点工作任务推进情况表") + cs.table(rows)
    return cs.docx_bytes(body)


def test_quarterly_table_in_word_with_other_columns():
    result = _run(_quarterly_docx(), "白沙市二季度推进情况.docx")
    document = result["document"]
    assert (document["genre"], document["year"], document["period"]) == (
        "progress",
        2023,
        "2023-Q2",
    )
    first, second = _items(result)
    assert (first["number"], first["kind"]) == ("1", "row")
    assert first["fields"]["lead_unit"] == "市科技局"
    assert first["fields"]["co_units"] == ["市财政局", "市税务局"]
    assert first["fields"]["deadline"] == "12月底"
    assert first["fields"]["leaders"] == ["李明"]
    assert first["fields"]["reason"] == "无\n入库进度慢于序时。"
    # The task spans two rows: both rows' progress and numbers are the task's.
    assert first["fields"]["progress"].count("\n") == 1
    assert _numbers(first) == [
        ("高新技术企业", "target", "increase", "=", 150, "家", 2023),
        ("科技型中小企业", "target", "total", "=", 900, "家", 2023),
        ("高新技术企业", "actual", "increase", "=", 42, "家", 2023),
        ("科技型中小企业", "actual", "other", "=", 612, "家", 2023),
        ("科技型中小企业", "actual", "share", "=", 68, "%", 2023),
    ]
    assert second["fields"]["lead_unit"] == "市统计局"  # marked （牵头）, listed first anyway
    assert second["fields"]["co_units"] == ["市科技局", "各区县政府"]
    assert second["fields"]["leaders"] == ["李明", "王芳"]
    # The progress cell says 已完成: the period's status, whatever the deadline column says.
    assert (second["fields"]["deadline"], second["fields"]["status"]) == ("持续推进", "已完成")
    assert _numbers(second) == [
        ("全社会研发经费投入", "target", "growth", ">=", 12, "%", 2023),
    ]


def test_lead_unit_marked_in_a_responsible_units_column():
    c = cs.cell
    rows = [
        [c("序号"), c("工作任务"), c("责任单位"), c("完成时限")],
        [c("1"), c("建成中试基地2个。"), c("市工信局、市科技局（牵头）"), c("10月")],
    ]
    result = _run(cs.docx_bytes(cs.table(rows)), "t.docx")
    (item,) = _items(result)
    assert (item["fields"]["lead_unit"], item["fields"]["co_units"]) == ("市科技局", ["市工信局"])


# --- a goal table in .xlsx --------------------------------------------------------------------


def _goals_xlsx() -> bytes:
    def build(workbook):
        sheet = workbook.active
        sheet.title = "业务目标"
        sheet.append(["青溪市科学技术局2024年度业务目标"])
        sheet.merge_cells("A1:E1")
        sheet.append(["填报单位：青溪市科学技术局"])
        sheet.merge_cells("A2:E2")
        sheet.append(["类型", "序号", "目标名称", "目标内容", "标杆值"])
        sheet.append(
            [
                "重点目标",
                1,
                "壮大创新主体",
                "高新技术企业总数突破600家，新增科技型中小企业200家以上。",
                None,
            ]
        )
        sheet.append(
            [None, 2, "提升研发强度", "研发经费投入强度达到2.6%，较上年提高0.2个百分点。", None]
        )
        sheet.append([None, 3, "建设创新平台", "新建省级以上创新平台8家。", None])
        sheet.merge_cells("A4:A6")
        sheet.append(
            [
                "创优目标",
                1,
                "技术市场交易",
                "技术合同成交额达到45亿元，居全省前5位。",
                "标杆城市白沙市：52亿元",
            ]
        )
        sheet.append([None, 2, "人才引进", "引进高层次人才团队12个。", "标杆城市白沙市：15个"])
        sheet.merge_cells("A7:A8")

    return cs.xlsx_bytes(build)


def test_goal_table_in_excel_with_title_rows_and_merged_categories():
    result = _run(_goals_xlsx(), "青溪市业务目标.xlsx")
    document = result["document"]
    assert document["title"] == "青溪市科学技术局2024年度业务目标"
    assert (document["genre"], document["year"], document["period"]) == ("goals", 2024, None)
    assert document["issuer"] == "青溪市科学技术局"
    items = _items(result)
    assert [(i["fields"]["category"], i["number"], i["title"]) for i in items] == [
        ("重点目标", "1", "壮大创新主体"),
        ("重点目标", "2", "提升研发强度"),
        ("重点目标", "3", "建设创新平台"),
        ("创优目标", "1", "技术市场交易"),
        ("创优目标", "2", "人才引进"),
    ]
    assert {i["fields"]["lead_unit"] for i in items} == {"青溪市科学技术局"}
    assert [i["fields"].get("benchmark") for i in items] == [
        None,
        None,
        None,
        "标杆城市白沙市：52亿元",
        "标杆城市白沙市：15个",
    ]
    assert _numbers(items[0]) == [
        ("高新技术企业", "target", "total", ">", 600, "家", 2024),
        ("科技型中小企业", "target", "increase", ">=", 200, "家", 2024),
    ]
    assert _numbers(items[1]) == [
        ("研发经费投入强度", "target", "share", "=", 2.6, "%", 2024),
        ("研发经费投入强度", "target", "share", "=", 0.2, "个百分点", 2024),
    ]
    assert _numbers(items[3]) == [
        ("技术合同成交额", "target", "total", "=", 45, "亿元", 2024),
        ("技术合同成交额", "target", "rank", "<=", 5, "位", 2024),
    ]


# --- a plan in .docx with Heading styles and automatic numbering ------------------------------


def _plan_docx() -> bytes:
    styles = (
        cs.style("Title", "Title")
        + cs.style("Heading1", "heading 1")
        + cs.style("Heading2", "heading 2")
        + cs.style("ListParagraph", "List Paragraph")
    )
    numbering = (
        cs.abstract_num(1, [("chineseCounting", "%1、"), ("chineseCounting", "（%2）")])
        + cs.abstract_num(2, [("decimal", "%1.")])
        + cs.num(1, 1)
        + cs.num(2, 2)
    )
    p = cs.para
    body = "".join(
        [
            p("白沙市2025年科技工作要点", style="Title"),
            p("2025年全市科技工作的总体要求是：坚持创新驱动，服务高质量发展。"),
            p("主要目标", style="Heading1", num=(1, 0)),
            p("全市高新技术企业总数达到1500家，技术合同成交额突破80亿元。"),
            p("重点任务", style="Heading1", num=(1, 0)),
            p("强化企业创新主体地位", style="Heading2", num=(1, 1)),
            p("实施高企培育行动。新认定高新技术企业300家以上。", style="ListParagraph", num=(2, 0)),
            p(
                "推进规上工业企业研发机构全覆盖。一是建立培育库；二是开展分类指导，"
                "年内新建企业研发机构50个。",
                style="ListParagraph",
                num=(2, 0),
            ),
            p("建设高能级创新平台", style="Heading2", num=(1, 1)),
            p(
                "争创国家级创新平台1-2家，新增省级重点实验室3家左右。",
                style="ListParagraph",
                num=(2, 0),
            ),
        ]
    )
    return cs.docx_bytes(body, styles=styles, numbering=numbering)


def test_plan_in_word_with_heading_styles_and_automatic_numbering():
    result = _run(_plan_docx(), "白沙市2025年科技工作要点.docx")
    document = result["document"]
    assert (document["title"], document["genre"], document["year"]) == (
        "白沙市2025年科技工作要点",
        "plan",
        2025,
    )
    shape = [(i["kind"], i["number"], i["title"]) for i in result["items"]]
    assert shape == [
        ("part", None, "白沙市2025年科技工作要点"),
        ("heading", "一", "主要目标"),
        ("heading", "二", "重点任务"),
        ("heading", "（一）", "强化企业创新主体地位"),
        ("item", "1", "实施高企培育行动"),
        ("item", "2", "推进规上工业企业研发机构全覆盖"),
        ("point", "一是", None),
        ("point", "二是", None),
        ("heading", "（二）", "建设高能级创新平台"),
        ("item", "3", None),
    ]
    goals = result["items"][1]
    assert goals["text"].startswith("主要目标\n全市高新技术企业")  # the heading's body
    assert _numbers(goals) == [
        ("高新技术企业", "target", "total", "=", 1500, "家", 2025),
        ("技术合同成交额", "target", "other", ">", 80, "亿元", 2025),
    ]
    by_number = {i["number"]: i for i in result["items"]}
    assert _parent(result, by_number["1"])["number"] == "（一）"
    assert _parent(result, by_number["（二）"])["number"] == "二"
    assert _parent(result, by_number["3"])["number"] == "（二）"
    assert _numbers(by_number["1"]) == [
        ("高新技术企业", "target", "increase", ">=", 300, "家", 2025)
    ]
    assert _numbers(by_number["二是"]) == [
        ("企业研发机构", "target", "increase", "=", 50, "个", 2025)
    ]
    assert _numbers(by_number["3"]) == [
        ("国家级创新平台", "target", "other", "range", 1, "家", 2025),
        ("省级重点实验室", "target", "increase", "~", 3, "家", 2025),
    ]


# --- a county plan in GBK text with （一） sub-headings ---------------------------------------

COUNTY_PLAN = """青溪县科学技术局
青溪县2023年科技创新工作要点

一、主要目标
全县高新技术企业达到85家，科技型中小企业入库120家以上，R&D经费投入占比提高0.3个百分点。

二、重点任务
（一）加快科技创新平台建设
围绕县域主导产业，新建市级以上工程技术研究中心4家，争创省级创新平台1家。

（二）培育壮大科技型企业。实施科技型企业梯次培育计划，全年新增高新技术企业12家，
力争2家企业进入省级瞪羚企业名单。

（三）深化科技交流合作。与省内高校院所签订合作协议5项以上。

青溪县科学技术局
2023年2月8日
"""


def test_county_plan_in_gbk_text_with_parenthesised_sub_headings():
    result = _run(COUNTY_PLAN.encode("gbk"), "青溪县要点.txt")
    document = result["document"]
    assert (document["genre"], document["year"], document["issuer"]) == (
        "plan",
        2023,
        "青溪县科学技术局",
    )
    shape = [(i["kind"], i["number"], i["title"]) for i in result["items"]]
    assert shape == [
        ("part", None, "青溪县2023年科技创新工作要点"),
        ("heading", "一", "主要目标"),
        ("heading", "二", "重点任务"),
        ("heading", "（一）", "加快科技创新平台建设"),
        ("item", "（二）", "培育壮大科技型企业"),
        ("item", "（三）", "深化科技交流合作"),
    ]
    goals, _tasks, platforms, firms, cooperation = result["items"][1:]
    assert _numbers(goals) == [
        ("高新技术企业", "target", "total", "=", 85, "家", 2023),
        ("科技型中小企业", "target", "other", ">=", 120, "家", 2023),
        ("R&D经费投入占比", "target", "share", "=", 0.3, "个百分点", 2023),
    ]
    assert _numbers(platforms) == [
        ("市级以上工程技术研究中心", "target", "increase", "=", 4, "家", 2023),
        ("省级创新平台", "target", "other", "=", 1, "家", 2023),
    ]
    assert "\n" not in firms["text"]  # a line broken inside a sentence is joined
    assert _numbers(firms) == [
        ("高新技术企业", "target", "increase", "=", 12, "家", 2023),
        ("企业", "target", "other", "=", 2, "家", 2023),
    ]
    assert _numbers(cooperation) == [("合作协议", "target", "other", ">=", 5, "项", 2023)]
    assert "青溪县科学技术局" not in cooperation["text"]  # the signature ends the last item


# --- a summary in PDF whose numbering restarts in each section --------------------------------


def _summary_pdf() -> bytes:
    head = "白沙市科学技术局文件"
    page1 = [
        head,
        "白沙市科学技术局2022年工作总结",
        "一、科技企业培育成效明显",
        "1.高新技术企业数量持续增长。全市高新技术企业总数达到",
        "1186家，同比增长21.5%，总量居全省第4位。",
        "2.科技型中小企业加快成长。入库科技型中小企业2034家，",
        "较上年增加415家。",
        "二、创新平台建设取得突破",
        "1.新增省级重点实验室6家，省级工程技术研究中心11家。",
        "2.新建市级新型研发机构9家，累计达到47家。全市研发经",
        "- 1 -",
    ]
    page2 = [
        head,
        "费投入达到98.6亿元，增长14%。",
        "三、科技人才队伍不断壮大",
        "1.引进高层次人才团队23个，培育科技领军人才31名。",
        "- 2 -",
    ]
    return cs.pdf_bytes([cs.pdf_lines(page1), cs.pdf_lines(page2)])


def test_summary_in_pdf_with_numbering_restarting_per_section():
    result = _run(_summary_pdf(), "总结.pdf")
    document = result["document"]
    assert (document["genre"], document["year"]) == ("summary", 2022)
    assert "白沙市科学技术局文件" not in result["text"]  # the running head is dropped
    shape = [(i["kind"], i["number"]) for i in result["items"]]
    assert shape == [
        ("part", None),
        ("heading", "一"),
        ("item", "1"),
        ("item", "2"),
        ("heading", "二"),
        ("item", "1"),
        ("item", "2"),
        ("heading", "三"),
        ("item", "1"),
    ]
    items = _items(result, "item")
    assert [_parent(result, i)["number"] for i in items] == ["一", "一", "二", "二", "三"]
    assert _numbers(items[0]) == [
        ("高新技术企业", "actual", "total", "=", 1186, "家", 2022),
        ("高新技术企业", "actual", "growth", "=", 21.5, "%", 2022),
        ("高新技术企业", "actual", "rank", "=", 4, "位", 2022),
    ]
    assert _numbers(items[1]) == [
        ("科技型中小企业", "actual", "other", "=", 2034, "家", 2022),
        ("科技型中小企业", "actual", "increase", "=", 415, "家", 2022),
    ]
    # A sentence broken across the page break is one item, and its word is mended.
    assert "研发经费投入" in items[3]["text"]
    assert ("研发经费投入", "actual", "total", "=", 98.6, "亿元", 2022) in _numbers(items[3])
    assert ("市级新型研发机构", "actual", "total", "=", 47, "家", 2022) in _numbers(items[3])


# --- a web page with a table ------------------------------------------------------------------

WEB_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>青溪市科学技术局</title></head>
<body>
<div class="breadcrumb">首页 &gt; 政务公开 &gt; 计划总结</div>
<div class="article">
<h1>青溪市科学技术局2024年公开承诺事项清单</h1>
<p class="info">发布日期：2024-02-20 浏览次数：315</p>
<table border="1">
<tr><th>序号</th><th>类别</th><th>工作任务</th><th>责任单位</th><th>完成时限</th><th>备注</th></tr>
<tr><td>1</td><td rowspan="2">科技创新</td><td>新增国家级科技企业孵化器1家。</td>
<td>市科技局</td><td>2024年12月</td><td>需省级推荐</td></tr>
<tr><td>2</td><td>技术合同成交额增长15%以上。</td><td>市科技局、市商务局</td>
<td>2024年12月</td><td></td></tr>
<tr><td>3</td><td>民生科技</td><td>选派科技特派员200人以上。</td><td>市科技局</td>
<td>2024年10月</td><td>X名为区县分配数</td></tr>
</table>
<p>注：完成时限为最迟时限。</p>
</div>
<div class="share">分享到：</div>
<div class="footer">【打印本页】【关闭窗口】</div>
</body></html>
"""


def test_web_page_table_with_chrome_rowspan_and_remarks():
    result = _run(WEB_PAGE.encode("utf-8"), "承诺.html")
    document = result["document"]
    assert document["title"] == "青溪市科学技术局2024年公开承诺事项清单"
    assert (document["genre"], document["year"]) == ("commitments", 2024)
    for chrome in ("首页", "发布日期", "分享到", "打印本页"):
        assert chrome not in result["text"]
    items = _items(result)
    assert [(i["number"], i["fields"]["category"]) for i in items] == [
        ("1", "科技创新"),
        ("2", "科技创新"),
        ("3", "民生科技"),
    ]
    assert items[0]["fields"]["remark"] == "需省级推荐"
    assert "remark" not in items[1]["fields"]
    assert items[1]["fields"]["co_units"] == ["市商务局"]
    assert items[2]["fields"]["deadline"] == "2024年10月"
    assert _numbers(items[0]) == [
        ("国家级科技企业孵化器", "target", "increase", "=", 1, "家", 2024)
    ]
    assert _numbers(items[1]) == [("技术合同成交额", "target", "growth", ">=", 15, "%", 2024)]
    # The remark's placeholder (X名) gives no number, and remarks are not read for numbers.
    assert _numbers(items[2]) == [("科技特派员", "target", "other", ">=", 200, "人", 2024)]


# --- a text-exported table whose header repeats on page two -----------------------------------


def _tabbed(rows: list[list[str]]) -> str:
    return "".join("".join(f"\t{cell}\n" for cell in row) + "\n" for row in rows)


HEADER = ["序号", "工作目标", "责任单位", "完成时限", "完成情况", "备注"]
REPEATED_HEADER_TABLE = "青溪县2024年第三季度重点工作完成情况\n" + _tabbed(
    [
        HEADER,
        ["1", "新增科技型中小企业30家。", "县科技局", "9月", "已完成，新增34家。", "无"],
        ["2", "建成县级中试基地1个。", "县科技局\n县工信局", "9月", "未完成", "用地手续办理中"],
        HEADER,
        ["3", "开展科技活动周活动10场次以上。", "县科协", "9月", "已完成，举办12场次。", ""],
        ["注：完成情况截至9月25日。"],
    ]
)


def test_table_with_header_repeated_on_second_page_and_a_note_row():
    result = _run(REPEATED_HEADER_TABLE.encode("utf-8"), "三季度.txt")
    document = result["document"]
    assert (document["genre"], document["year"], document["period"]) == (
        "progress",
        2024,
        "2024-Q3",
    )
    items = _items(result)
    assert [i["number"] for i in items] == ["1", "2", "3"]
    first, second, third = items
    assert first["fields"]["remark"] == "无"
    assert (second["fields"]["lead_unit"], second["fields"]["co_units"]) == (
        "县科技局",
        ["县工信局"],
    )
    assert second["fields"]["status"] == "未完成"
    assert second["fields"]["remark"] == "用地手续办理中"
    assert _numbers(first) == [
        ("科技型中小企业", "target", "increase", "=", 30, "家", 2024),
        ("科技型中小企业", "actual", "increase", "=", 34, "家", 2024),
    ]
    assert _numbers(third)[1] == ("科技活动周活动", "actual", "other", "=", 12, "场次", 2024)


@pytest.mark.parametrize(
    "build",
    [_quarterly_docx, _goals_xlsx, _plan_docx, _summary_pdf],
    ids=["docx-table", "xlsx", "docx-plan", "pdf"],
)
def test_built_documents_keep_the_contract(build):
    name = {"_quarterly_docx": "a.docx", "_goals_xlsx": "a.xlsx", "_plan_docx": "b.docx"}
    assert_contract(extract(build(), name=name.get(build.__name__, "a.pdf")))


# --- an indicator table: values in cells of their own -----------------------------------------


def _metrics_xlsx() -> bytes:
    def build(workbook):
        sheet = workbook.active
        sheet.append(["白沙市2023年上半年主要科技指标完成情况"])
        sheet.merge_cells("A1:G1")
        header = ["序号", "指标名称", "单位", "2023年目标", "1-6月完成", "完成进度", "责任单位"]
        sheet.append(header)
        sheet.append([1, "高新技术企业数量", "家", 1500, 1260, "84%", "市科技局"])
        sheet.append([2, "全社会研发投入增长", "%", "≥12", 9.6, "80%", "市统计局"])
        sheet.append([3, "技术合同成交额（亿元）", None, 80, 35.2, "44%", "市科技局、市商务局"])
        sheet.append([4, "新增省级以上创新平台", "个", "10-12", "待统计", None, "市科技局"])

    return cs.xlsx_bytes(build)


def test_indicator_table_reads_values_from_their_cells():
    result = _run(_metrics_xlsx(), "指标.xlsx")
    document = result["document"]
    assert (document["genre"], document["year"], document["period"]) == (
        "progress",
        2023,
        "2023-H1",
    )
    items = _items(result)
    assert [(i["number"], i["text"]) for i in items] == [
        ("1", "高新技术企业数量"),
        ("2", "全社会研发投入增长"),
        ("3", "技术合同成交额（亿元）"),
        ("4", "新增省级以上创新平台"),
    ]
    assert _numbers(items[0]) == [
        ("高新技术企业数量", "target", "total", "=", 1500, "家", 2023),
        ("高新技术企业数量", "actual", "total", "=", 1260, "家", 2023),
    ]
    assert _numbers(items[1]) == [
        ("全社会研发投入增长", "target", "growth", ">=", 12, "%", 2023),
        ("全社会研发投入增长", "actual", "growth", "=", 9.6, "%", 2023),
    ]
    assert _numbers(items[2]) == [
        ("技术合同成交额", "target", "other", "=", 80, "亿元", 2023),
        ("技术合同成交额", "actual", "other", "=", 35.2, "亿元", 2023),
    ]
    assert _numbers(items[3]) == [
        ("新增省级以上创新平台", "target", "increase", "range", 10, "个", 2023)
    ]
    assert items[2]["fields"]["co_units"] == ["市商务局"]
    assert items[3]["fields"]["target_value"] == "10-12"
    assert "actual_value" not in items[3]["fields"]


# --- a two-row header, and columns worded yet otherwise ---------------------------------------


def test_two_row_header_with_a_spanning_column_and_other_wordings():
    c = cs.cell
    rows = [
        [
            c("序号", vmerge="restart"),
            c("目标任务", vmerge="restart"),
            c("责任单位", vmerge="restart"),
            c("完成情况", span=2),
            c("存在的困难和问题", vmerge="restart"),
            c("责任人", vmerge="restart"),
        ],
        [
            c("", vmerge="continue"),
            c("", vmerge="continue"),
            c("", vmerge="continue"),
            c("是否按时完成"),
            c("工作进展"),
            c("", vmerge="continue"),
            c("", vmerge="continue"),
        ],
        [
            c("1"),
            c("建成省级重点实验室2家。"),
            c("市科技局"),
            c("否"),
            c("已建成1家，另1家通过论证。"),
            c("建设周期长"),
            c("张伟"),
        ],
    ]
    body = cs.para("白沙市2024年上半年科技重点任务进展情况") + cs.table(rows, columns=7)
    result = _run(cs.docx_bytes(body), "进展.docx")
    assert result["document"]["period"] == "2024-H1"
    (item,) = _items(result)
    assert item["number"] == "1"
    fields = item["fields"]
    # 责任人 beside no column of leaders: the people the task is on
    assert (fields["status"], fields["reason"], fields["leaders"]) == (
        "否",
        "建设周期长",
        ["张伟"],
    )
    assert fields["progress"] == "已建成1家，另1家通过论证。"
    assert _numbers(item)[0] == ("省级重点实验室", "target", "other", "=", 2, "家", 2024)


def test_circled_numbers_are_sub_items():
    text = (
        "# 白沙市2024年科技创新工作方案\n\n## 一、重点任务\n\n1.实施平台提升行动。\n\n"
        "①新建省级平台5家；\n\n②培育市级平台20家。\n"
    )
    result = _run(text.encode("utf-8"), "方案.md")
    shape = [(i["kind"], i["number"]) for i in result["items"]]
    assert shape == [("part", None), ("heading", "一"), ("item", "1"), ("item", "①"), ("item", "②")]
    first, second = result["items"][3:]
    assert _parent(result, first)["number"] == "1"
    assert _numbers(second) == [("市级平台", "target", "other", "=", 20, "家", 2024)]


def test_sections_naming_a_year_divide_a_review_from_a_plan():
    text = (
        "青溪市科学技术局2023年工作总结和2024年工作打算\n\n"
        "一、2023年工作完成情况\n\n"
        "1.企业培育。全市高新技术企业达到320家，同比增长18%。\n\n"
        "二、存在的问题\n\n"
        "1.研发投入偏低。\n\n"
        "三、2024年工作打算\n\n"
        "1.壮大创新主体。高新技术企业达到380家。\n"
    )
    result = _run(text.encode("utf-8"), "总结和打算.txt")
    # Written at the end of the year it reviews: its 今年 is 2023; each section keeps its year.
    assert (result["document"]["genre"], result["document"]["year"]) == ("mixed", 2023)
    numbered = [i for i in result["items"] if i["kind"] == "item"]
    # The problems belong to the year reviewed, until a heading names another year's plan.
    assert [(i["genre"], i["year"]) for i in numbered] == [
        ("summary", 2023),
        ("summary", 2023),
        ("plan", 2024),
    ]
    assert _numbers(numbered[0]) == [
        ("高新技术企业", "actual", "total", "=", 320, "家", 2023),
        ("高新技术企业", "actual", "growth", "=", 18, "%", 2023),
    ]
    assert _numbers(numbered[2]) == [("高新技术企业", "target", "total", "=", 380, "家", 2024)]


def test_responsible_people_beside_a_column_of_leaders_are_contacts_and_padded_names_are_one():
    c = cs.cell
    rows = [
        [c("序号"), c("重点任务"), c("责任领导"), c("责任人"), c("完成时限")],
        [c("1"), c("新增高新技术企业30家。"), c(["王  芳", "李建国"]), c("赵  敏"), c("12月底")],
    ]
    body = cs.para("青溪市科技局2026年重点工作任务分解") + cs.table(rows)
    (item,) = _items(_run(cs.docx_bytes(body), "分解.docx"))
    assert item["fields"]["leaders"] == ["王芳", "李建国"]
    assert item["fields"]["contacts"] == ["赵敏"]
