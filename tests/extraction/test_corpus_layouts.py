"""Layouts met in real offices' documents beyond the seeds, each in a small document of our own
(fictional 青溪市, invented wording), built by the test:

* prose followed by a task table in one .docx or web page: both give items;
* a table inside a PDF (a Word table printed to PDF, cells wrapping) is read as a table;
* a task breakdown written as a labelled list (numbered task, then 责任领导：/牵头单位：/
  协同单位：/完成时限： lines) gives one item per task with its fields;
* a web page's table flattened to text, one row a line, and a Word table printed one cell per
  line, give rows with their fields;
* a completion table without a title or year takes the year from the document, else the
  caller's default;
* the genre decides the kind of a figure: a statistical release, a bulletin or a summary reports
  what was achieved; a plan, and a summary's section on next year's plan, set targets.
"""

from __future__ import annotations

from duban.extraction.extract import extract

from . import container_samples as cs
from .result_checks import assert_contract


def _run(data: bytes, name: str, **options) -> dict:
    result = extract(data, name=name, **options)
    assert_contract(result)
    return result


def _rows(result: dict) -> list[dict]:
    return [i for i in result["items"] if i["kind"] == "row"]


def _kinds(result: dict) -> list[tuple]:
    return [
        (i["value"], i["unit"], i["kind"]) for item in result["items"] for i in item["indicators"]
    ]


# --- prose, then a table, in one document ------------------------------------------------------

_PROSE = [
    "青溪市科技局2025年重点工作安排",
    "一、主要目标",
    "1.全年新增高新技术企业45家以上。",
    "2.技术合同成交额达到18亿元。",
    "二、任务分工",
]
_TABLE = [
    ["序号", "工作任务", "牵头单位", "完成时限"],
    ["1", "建成青溪科创走廊首批孵化载体", "市科技局", "2025年9月"],
    ["2", "组织企业研发费用加计扣除政策宣讲", "市税务局", "2025年6月"],
]


def test_docx_prose_then_table_gives_both():
    body = "".join(cs.para(p) for p in _PROSE) + cs.table(
        [[cs.cell(c) for c in row] for row in _TABLE]
    )
    result = _run(cs.docx_bytes(body), "安排.docx")
    rows = _rows(result)
    assert [r["fields"].get("lead_unit") for r in rows] == ["市科技局", "市税务局"]
    assert rows[0]["fields"]["deadline"] == "2025年9月"
    texts = [i["text"] for i in result["items"] if i["kind"] == "item"]
    assert any(t.startswith("全年新增高新技术企业") for t in texts)
    assert (45, "家", "target") in _kinds(result)


def test_html_prose_then_table_gives_both():
    paragraphs = "".join(f"<p>{p}</p>" for p in _PROSE)
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in _TABLE)
    page = f"<html><body>{paragraphs}<table>{cells}</table></body></html>"
    result = _run(page.encode("utf-8"), "安排.html")
    rows = _rows(result)
    assert [r["fields"].get("lead_unit") for r in rows] == ["市科技局", "市税务局"]
    assert (18, "亿元", "target") in _kinds(result)
    assert result["document"]["title"] == "青溪市科技局2025年重点工作安排"


# --- a task breakdown as a labelled list -------------------------------------------------------

_BREAKDOWN = [
    "青溪市科学技术局关于分解落实2026年重点工作任务的通知",
    "各科室、局属各单位：",
    "现将市政府确定我局承担的2026年重点工作任务分解如下，请抓好落实。",
    "1.推进青溪实验室二期建设，年内完成主体工程。",
    "牵头负责领导：周明远",
    "牵头责任单位：高新科",
    "协同责任单位：市发展改革委、市财政局",
    "完成时限：2026年10月",
    "2.组织开展科技成果转化对接活动12场以上，促成一批合作项目落地。",
    "责任领导：周明远、钱雨",
    "牵头科室(单位)：成果转化科、市技术转移中心",
    "完成时限：2026年12月底",
    "3.完善科技特派员服务机制。",
    "责任领导：钱雨",
    "责任单位：农村科技科、市农业农村局",
    "完成时间：持续推进",
]


def _check_breakdown(result: dict) -> None:
    tasks = [i for i in result["items"] if i["number"] in ("1", "2", "3")]
    assert [t["number"] for t in tasks] == ["1", "2", "3"]
    first, second, third = (t["fields"] for t in tasks)
    assert first == {
        "leaders": ["周明远"],
        "lead_unit": "高新科",
        "co_units": ["市发展改革委", "市财政局"],
        "deadline": "2026年10月",
    }
    # Two units both labelled lead: the lead unit as printed, no co-units.
    assert second == {
        "leaders": ["周明远", "钱雨"],
        "lead_unit": "成果转化科、市技术转移中心",
        "deadline": "2026年12月底",
    }
    # 责任单位 follows the ledger's rule: the first leads, the others co-operate.
    assert third["lead_unit"] == "农村科技科" and third["co_units"] == ["市农业农村局"]
    assert third["deadline"] == "持续推进"
    # The labels are fields, not the task's text; every field points at its value.
    assert tasks[0]["text"] == "推进青溪实验室二期建设，年内完成主体工程。"
    text = result["text"]
    for task in tasks:
        for name, (start, end) in task["field_spans"].items():
            if name in ("lead_unit", "deadline"):
                assert text[start:end] == task["fields"][name]
    assert (12, "场", "target") in _kinds(result)
    assert result["document"]["genre"] == "plan"


def test_labelled_list_breakdown_in_text():
    _check_breakdown(_run("\n".join(_BREAKDOWN).encode("utf-8"), "分解.txt"))


def test_labelled_list_breakdown_in_docx():
    _check_breakdown(_run(cs.docx_bytes("".join(cs.para(p) for p in _BREAKDOWN)), "分解.docx"))


# --- the genre decides the kind of a figure ----------------------------------------------------


def _kind_of(result: dict, value) -> str:
    return next(
        i["kind"] for it in result["items"] for i in it["indicators"] if i["value"] == value
    )


def test_statistical_release_without_title_reports_actuals():
    text = "\n".join(
        [
            "记者从青溪市科技局获悉，今年1-6月，全市共登记技术合同1342项，同比增长18.5%。",
            "一是技术开发合同成交额达到9.6亿元，比上年同期增加2.1亿元。",
            "二是技术服务合同登记612项，同比增长12.3%。",
        ]
    )
    result = _run(text.encode("utf-8"), "快讯.txt")
    assert {kind for _value, _unit, kind in _kinds(result)} == {"actual"}
    assert _kind_of(result, 1342) == "actual"


def test_bulletin_reports_actuals_but_lagging_list_names_targets():
    text = "\n".join(
        [
            "青溪市人民政府督查室关于2025年第三季度重点任务落实情况的通报",
            "一、总体情况",
            "全市40项重点任务中，按期完成26项，占比65%。",
            "二、进展滞后的任务",
            "1.新建科技企业孵化器3家，目前仅完成1家。",
        ]
    )
    result = _run(text.encode("utf-8"), "通报.txt")
    assert _kind_of(result, 26) == "actual"
    assert _kind_of(result, 3) == "target"


def test_summary_section_of_next_steps_stays_target():
    text = "\n".join(
        [
            "青溪市科技局2025年工作总结",
            "一、主要成效",
            "1.全市高新技术企业总数达到386家。",
            "二、下一步工作打算",
            "1.高新技术企业总数达到420家。",
        ]
    )
    result = _run(text.encode("utf-8"), "总结.txt")
    assert _kind_of(result, 386) == "actual"
    assert _kind_of(result, 420) == "target"


def test_plan_review_section_reports_actuals():
    text = "\n".join(
        [
            "青溪市“十五五”科技创新规划",
            "一、“十四五”期间工作回顾",
            "全市累计培育科技型中小企业1250家，建成省级研发平台48个。",
            "二、发展目标",
            "到2030年，科技型中小企业达到2000家。",
        ]
    )
    result = _run(text.encode("utf-8"), "规划.txt")
    assert _kind_of(result, 1250) == "actual"
    assert _kind_of(result, 2000) == "target"


# --- a completion table without a title or a year ---------------------------------------------

_COMPLETION = [
    ["序号", "工作任务", "完成情况", "是否完成"],
    ["1", "新增省级科技企业孵化器2家", "已新增1家，另1家通过初审", "未完成"],
    ["2", "举办科技成果对接会4场", "已举办5场", "完成"],
]


def _completion_docx(after: str | None) -> bytes:
    body = cs.table([[cs.cell(c) for c in row] for row in _COMPLETION])
    if after:
        body += cs.para(after)
    return cs.docx_bytes(body)


def test_completion_table_takes_the_year_of_a_date_in_the_document():
    result = _run(_completion_docx("报送时间：2025.7.8"), "完成情况.docx")
    assert result["document"]["year"] == 2025
    years = {i["year"] for it in result["items"] for i in it["indicators"]}
    assert years == {2025}


def test_completion_table_takes_the_callers_default_year():
    result = _run(_completion_docx(None), "完成情况.docx", default_year=2024)
    assert result["document"]["year"] == 2024
    assert {i["year"] for it in result["items"] for i in it["indicators"]} == {2024}
    # A year the document prints wins over the default.
    printed = _run(_completion_docx("报送时间：2025年7月8日"), "完成情况.docx", default_year=2024)
    assert printed["document"]["year"] == 2025


# --- tables of measured values: a yearbook table, a score table --------------------------------


def _values(result: dict) -> list[tuple]:
    return [
        (i["subject"], i["kind"], i["measure"], i["value"], i["unit"], i["year"])
        for item in result["items"]
        for i in item["indicators"]
    ]


def test_yearbook_table_in_xlsx_gives_actuals_of_each_column_year():
    def build(workbook):
        sheet = workbook.active
        sheet.append(["青溪市科技活动主要指标"])
        sheet.append(["项目", "2023", "2024"])
        sheet.append(["研发机构数量（个）", 41, 46])
        sheet.append(["科技人员数（万人）", 3.2, 3.5])
        sheet.append(["其中：女性", 1.1, 1.25])
        sheet.append(["研发经费占生产总值比重（%）", 2.31, 2.48])
        for row in sheet.iter_rows(min_row=3, min_col=2):
            for cell in row:
                cell.number_format = "0.00"

    result = _run(cs.xlsx_bytes(build), "年鉴.xlsx")
    values = _values(result)
    assert ("研发机构数量", "actual", "other", 41, "个", 2023) in values
    assert ("研发机构数量", "actual", "other", 46, "个", 2024) in values
    # A 其中 row takes the unit of the row above.
    assert ("科技人员数", "actual", "other", 3.2, "万人", 2023) in values
    assert ("女性", "actual", "other", 1.25, "万人", 2024) in values
    assert ("研发经费占生产总值比重", "actual", "share", 2.48, "%", 2024) in values
    assert len(values) == 8
    text = result["text"]
    assert "41.00" in text  # the cell as the sheet shows it (format 0.00)


def test_score_table_after_a_notice_in_docx_gives_scores_and_ranks():
    rows = [
        ["区县", "目标责任得分", "加分", "总分", "排名"],
        ["东湖区", "96.5", "3.0", "99.5", "1"],
        ["西山县", "90.0", "2.5", "92.5", "2"],
    ]
    body = (
        cs.para("青溪市人民政府办公室关于2025年度科技创新考核结果的通报")
        + cs.para("经考核，现将结果通报如下。")
        + cs.table([[cs.cell(c) for c in row] for row in rows])
    )
    result = _run(cs.docx_bytes(body), "考核.docx")
    values = _values(result)
    assert ("东湖区", "actual", "other", 96.5, "", 2025) in values
    assert ("西山县", "actual", "rank", 2, "", 2025) in values
    assert len(values) == 8


# --- tables printed as a stream of cells -------------------------------------------------------


def test_word_table_printed_one_cell_per_line_gives_rows():
    lines = [
        "青溪市科学技术局关于2025年度区县科技创新考核结果的通报",
        "现将考核结果通报如下。",
        "附件",
        "2025年度区县科技创新考核得分表",
        "区县",
        "",
        "基础得分",
        "",
        "加分",
        "",
        "排名",
    ]
    for name, base, bonus, rank in (
        ("东湖区", "91.5", "2.0", "2"),
        ("西山县", "94.0", "1.5", "1"),
        ("南岭县", "88.0", "0.5", "3"),
    ):
        lines += ["", name, "", base, "", bonus, "", rank]
    lines += ["", "青溪市科学技术局", "2026年1月20日"]
    result = _run("\n".join(lines).encode("utf-8"), "得分.txt")
    values = _values(result)
    assert ("西山县", "actual", "other", 94, "", 2025) in values
    assert ("南岭县", "actual", "rank", 3, "", 2025) in values
    assert [i["text"] for i in _rows(result)] == ["东湖区", "西山县", "南岭县"]
    assert len(values) == 9


def test_table_on_one_line_with_pipes_gives_rows_and_skips_section_rows():
    line = (
        "表3 青溪市规上企业研发活动(2024年) | 项目 | 企业数 (家) | 研发人员 (人) | "
        "合计 | 412 | 9630 | 按规模分 | | | 大型 | 38 | 4120 | 中小型 | 374 | 5510 |"
    )
    result = _run((line + "\n").encode("utf-8"), "年鉴.txt")
    values = _values(result)
    assert values == [
        ("合计", "actual", "total", 412, "家", 2024),
        ("合计", "actual", "total", 9630, "人", 2024),
        ("大型", "actual", "other", 38, "家", 2024),
        ("大型", "actual", "other", 4120, "人", 2024),
        ("中小型", "actual", "other", 374, "家", 2024),
        ("中小型", "actual", "other", 5510, "人", 2024),
    ]


def test_web_table_flattened_one_row_a_line_gives_rows_with_fields():
    lines = [
        "青溪市2025年科技重点任务分工表",
        "序号 重点任务 牵头单位 配合单位 完成时限",
        "一、创新主体",
        "1 新增高新技术企业40家以上 市科技局 市财政局 市税务局 2025年12月",
        "2 培育科技型中小企业300家 市科技局 市工信局 2025年12月",
        "二、创新平台",
        "3 建成省级重点实验室2家 青溪高新区管委会 市科技局 市发展改革委 2025年11月",
        "市教育局",
        "",
        "各牵头单位每季度末报送进展。",
    ]
    result = _run("\n".join(lines).encode("utf-8"), "分工.txt")
    rows = _rows(result)
    assert [r["number"] for r in rows] == ["1", "2", "3"]
    first, _second, third = (r["fields"] for r in rows)
    assert first["lead_unit"] == "市科技局"
    assert first["co_units"] == ["市财政局", "市税务局"]
    assert first["deadline"] == "2025年12月"
    assert first["category"] == "创新主体"
    assert rows[0]["text"] == "新增高新技术企业40家以上"
    assert third["lead_unit"] == "青溪高新区管委会"
    assert third["co_units"] == ["市科技局", "市发展改革委", "市教育局"]
    assert third["category"] == "创新平台"
    assert (40, "家", "target") in _kinds(result)


def test_task_table_printed_one_cell_per_line_gives_rows_with_fields():
    lines = ["青溪县2025年科技重点工作任务清单", "序号", "工作任务", "牵头单位", "完成时限"]
    lines += ["1", "建成县级科技创新服务中心", "县科技局", "2025年9月"]
    lines += ["2", "新增科技特派员工作站3个", "县农业农村局", "2025年11月"]
    lines += ["3", "举办科技活动周系列活动", "县科协", "2025年5月"]
    result = _run("\n\n".join(lines).encode("utf-8"), "清单.txt")
    rows = _rows(result)
    assert [(r["number"], r["fields"]["lead_unit"], r["fields"]["deadline"]) for r in rows] == [
        ("1", "县科技局", "2025年9月"),
        ("2", "县农业农村局", "2025年11月"),
        ("3", "县科协", "2025年5月"),
    ]
    assert (3, "个", "target") in _kinds(result)


# --- a table inside a PDF ----------------------------------------------------------------------


def _ruled_pdf() -> bytes:
    text = cs.pdf_lines(["青溪市科技局2025年重点任务分工", "1.全年新增高新技术企业45家以上。"])
    cells, rules = cs.pdf_table(
        [
            ["序号", "工作任务", "牵头单位", "完成时限"],
            ["1", ["建成青溪科创走廊首批", "孵化载体3个"], "市科技局", "2025年9月"],
            ["2", ["组织研发费用加计扣除", "政策宣讲10场"], ["市税务局", "市财政局"], "2025年6月"],
        ],
        xs=[60, 100, 360, 460, 560],
        top=700,
    )
    return cs.pdf_bytes([text + cells], rules=[rules])


def test_pdf_table_is_read_as_a_table_with_wrapped_cells():
    result = _run(_ruled_pdf(), "分工.pdf")
    rows = _rows(result)
    assert [(r["number"], r["text"]) for r in rows] == [
        ("1", "建成青溪科创走廊首批孵化载体3个"),
        ("2", "组织研发费用加计扣除政策宣讲10场"),
    ]
    assert rows[0]["fields"]["lead_unit"] == "市科技局"
    assert rows[1]["fields"]["co_units"] == ["市财政局"]
    assert rows[1]["fields"]["deadline"] == "2025年6月"
    assert (3, "个", "target") in _kinds(result)
    # The prose above the table is still prose, and gives its item.
    assert (45, "家", "target") in _kinds(result)


def test_pdf_table_continued_on_the_next_page_is_one_table():
    header = ["序号", "工作任务", "牵头单位", "完成时限"]
    xs = [60, 100, 360, 460, 560]
    first, first_rules = cs.pdf_table(
        [header, ["1", "新建院士工作站2家", "市科技局", "2025年8月"]], xs=xs, top=760
    )
    second, second_rules = cs.pdf_table(
        [header, ["2", "新增技术转移机构3家", "市科协", "2025年10月"]], xs=xs, top=760
    )
    result = _run(cs.pdf_bytes([first, second], rules=[first_rules, second_rules]), "表.pdf")
    rows = _rows(result)
    assert [(r["number"], r["fields"]["lead_unit"]) for r in rows] == [
        ("1", "市科技局"),
        ("2", "市科协"),
    ]
    assert result["text"].count("工作任务") == 1  # the header repeated on page 2 is dropped


def test_figures_in_a_column_of_no_known_meaning_are_read():
    rows = [
        ["序号", "工作任务", "主要措施", "牵头单位"],
        ["1", "壮大科技型企业群体", "全年新增科技型中小企业120家。", "市科技局"],
    ]
    body = cs.table([[cs.cell(c) for c in row] for row in rows])
    result = _run(cs.docx_bytes(cs.para("青溪市2025年科技工作任务表") + body), "任务.docx")
    row = _rows(result)[0]
    assert row["fields"]["details"] == "全年新增科技型中小企业120家。"
    assert (120, "家", "target") in _kinds(result)


def test_meeting_report_without_title_reports_actuals():
    text = "\n".join(
        [
            "近日，青溪县科技局召开上半年工作座谈会，回顾了上半年取得的成绩。",
            "会上，各乡镇汇报了工作进展：上半年共组织科技培训16场，引进新品种9个。",
            "会议要求，下半年要确保各项工作按计划推进。",
        ]
    )
    result = _run(text.encode("utf-8"), "座谈会.txt")
    assert _kind_of(result, 16) == "actual"


def test_news_page_of_this_year_takes_its_publication_year():
    text = "\n".join(
        [
            "青溪市召开上半年科技创新工作推进会",
            "发布时间: 2025-08-02 浏览次数: 210",
            "会议通报，上半年全市新增科技型中小企业86家。",
        ]
    )
    result = _run(text.encode("utf-8"), "推进会.txt")
    assert result["document"]["year"] == 2025
    undated = _run("时间:2020-03-09\n全市新增科技型中小企业86家。".encode(), "范文.txt")
    assert undated["document"]["year"] is None


def test_a_pdf_cell_wrapped_inside_a_subject_reads_as_one_line_and_its_names_stay_apart():
    cells, rules = cs.pdf_table(
        [
            ["序号", "工作任务", "责任领导", "工作流程"],
            [
                "1",
                ["全市高新技术产业增加值占地区生", "产总值比重达到24%以上。", "按季调度。"],
                ["王芳", "李建国"],
                ["一至四季度分别达到", "21%", "、22%、23%、24%"],
            ],
        ],
        xs=[60, 100, 330, 400, 560],
        top=700,
        row_height=80,
    )
    result = _run(cs.pdf_bytes([cells], rules=[rules]), "任务.pdf")
    (row,) = _rows(result)
    assert row["fields"]["leaders"] == ["王芳", "李建国"]
    share = "高新技术产业增加值占地区生产总值比重"
    found = [(i["subject"], i["value"]) for i in row["indicators"]]
    assert found == [(share, 24), (share, 21), (share, 22), (share, 23), (share, 24)]
