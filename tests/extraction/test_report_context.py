"""What the words around a document's figures say about them, in documents of our own (fictional
青溪市): the year a text reports on when it prints only a comparison's base or last year's, or
only its page's date; what a supervision bulletin's counts are; what an assessment's 任务是
asks for; the quarters' values a task table lists 分别 under a figure stated before them; and
the numbers that count nothing (a page's reader counter, an assessment's weights, a count that
says which things are meant).
"""

from __future__ import annotations

from duban.extraction.document import find_year
from duban.extraction.extract import extract

from .container_samples import cell, docx_bytes, para, table
from .number_helpers import rows


def _figures(result: dict, *fields: str) -> list[tuple]:
    return [
        tuple(indicator[f] for f in fields)
        for item in result["items"]
        for indicator in item["indicators"]
    ]


# --- the year ------------------------------------------------------------------------------


def test_a_year_printed_only_as_a_comparisons_base_is_the_year_before():
    text = "截至9月，青溪高新区市场主体存量为28406户，较2025年末净增5120户。"
    assert find_year(None, text) == 2026


def test_a_year_compared_with_and_a_year_of_its_own_keeps_its_own():
    text = "2026年1至9月，全区技术合同成交额比2025年同期增长12%。2026年全区新增孵化器3家。"
    assert find_year(None, text) == 2026


def test_last_years_results_printed_with_their_year_date_this_years_plan_a_year_later():
    text = (
        "全市科技工作会议部署了今年的工作。去年全市科技战线攻坚克难，创新能力稳步提升。"
        "2025年，青溪市高新技术企业达到410家。\n"
        "今年力争高新技术企业突破460家，技术合同成交额达到30亿元。"
    )
    assert find_year(None, text) == 2026
    result = extract(text.encode("utf-8"), name="会议报道.txt")
    assert result["document"]["year"] == 2026
    assert _figures(result, "value", "year") == [(410, 2025), (460, 2026), (30, 2026)]


def test_a_year_named_without_last_year_beside_it_stays_the_documents():
    text = "今年全市科技工作会议召开。2025年青溪市高新技术企业达到410家。去年成绩来之不易。"
    assert find_year(None, text) == 2025


def test_a_notice_that_names_no_year_is_of_the_year_its_page_was_issued():
    text = (
        "当前位置：首页 > 通知公告\n青溪市科技特派员服务站考评事项\n浏览326次   2026-03-02发布\n"
        "1. 建设示范基地1-2个。\n2. 开展技术培训200人次以上。\n"
    )
    result = extract(text.encode("utf-8"), name="考评事项.txt")
    assert result["document"]["year"] == 2026
    assert _figures(result, "value", "unit", "year") == [(1, "个", 2026), (200, "人次", 2026)]


def test_a_page_date_does_not_date_a_text_whose_years_are_masked():
    text = "20xx年工作总结\n时间：2024-03-01 发布\n全年新增高新技术企业12家。"
    assert find_year(None, text) is None


# --- what a document's figures are -------------------------------------------------------------


def test_a_supervision_bulletins_counts_are_results_though_it_names_target_tasks():
    text = (
        "6月10日至20日，市委督查室对2026年《政府工作报告》目标任务上半年落实情况进行了督查。\n"
        "经督查核实，全市共分解目标任务188个，其中超进度的12个，达进度的150个，欠进度的26个，"
        "欠进度的占总任务的13.8%。\n"
        "下一步，各责任单位要对照目标任务，确保全年任务如期完成。"
    )
    result = extract(text.encode("utf-8"), name="督查情况.txt")
    kinds = {kind for (kind,) in _figures(result, "kind")}
    assert kinds == {"actual"}, _figures(result, "value", "kind")


def test_what_an_assessment_says_the_task_is_is_a_target_in_a_report_of_results():
    text = "年度发明专利受理量。任务是45件，截至10月底，全县发明专利受理量为47件。"
    assert rows(text, "value", "kind", kind="actual", default_year=2026) == [
        (45, "target"),
        (47, "actual"),
    ]
    text = "按照指标要求，全县有效发明专利应达到60件，截至10月底已完成52件。"
    assert rows(text, "value", "kind", kind="actual", default_year=2026) == [
        (60, "target"),
        (52, "actual"),
    ]


# --- a list of values after 分别 -----------------------------------------------------------


def test_quarter_values_in_a_later_cell_break_down_the_tasks_rate():
    body = para("青溪县科技局2026年重点工作清单") + table(
        [
            [cell(text) for text in row]
            for row in [
                ["任务名称", "任务单", "工作流程", "限期时间", "主要措施"],
                [
                    "提升高新技术产业比重",
                    "年末，全县高新技术产业增加值占地区生产总值比重达到24%",
                    "一、二、三、四季度，占比分别达21%、22%、23%、24%",
                    "每季度末",
                    "按季联网直报。",
                ],
                [
                    "园区提质增效",
                    "园区高新技术产业增加值增长15%计5分，每增(减)1个百分点加(减)0.2分",
                    "一、二、三、四季度分别完成6%、9%、12%、15%",
                    "每月底",
                    "按月调度。",
                ],
            ]
        ]
    )
    result = extract(docx_bytes(body), name="清单.docx")
    first, second = result["items"]
    assert first["fields"]["deadline"] == "每季度末"
    share = "高新技术产业增加值占地区生产总值比重"
    assert [(i["subject"], i["measure"], i["value"]) for i in first["indicators"]] == [
        (share, "share", 24),
        (share, "share", 21),
        (share, "share", 22),
        (share, "share", 23),
        (share, "share", 24),
    ]
    growth = "园区高新技术产业增加值"
    assert [(i["subject"], i["measure"], i["value"]) for i in second["indicators"]] == [
        (growth, "growth", 15),
        (growth, "growth", 6),
        (growth, "growth", 9),
        (growth, "growth", 12),
        (growth, "growth", 15),
    ]


def test_values_without_fenbie_keep_no_borrowed_subject():
    text = "全市研发经费投入强度达到3.1%。\n\n一季度12%。"
    result = extract(text.encode("utf-8"), name="a.txt")
    subjects = [s for (s,) in _figures(result, "subject")]
    assert subjects[0] == "研发经费投入强度"
    assert subjects[1] != "研发经费投入强度"


def test_an_enumeration_of_quarters_opens_no_heading():
    text = "1. 全县新增科技型中小企业40家。\n一、二、三、四季度分别新增8家、10家、10家、12家。\n"
    result = extract(text.encode("utf-8"), name="a.txt")
    assert [item["number"] for item in result["items"]] == ["1"]


# --- numbers that count nothing ---------------------------------------------------------


def test_a_pages_reader_counter_is_no_indicator():
    assert rows("青溪市科技局 浏览1290次", "value") == []
    assert rows("发布时间：2026-05-06 阅读数：388", "value") == []


def test_an_assessments_weights_are_no_indicators():
    text = "高新技术企业增长率及当年认定数量权重各占50%。"
    assert rows(text, "value") == []


def test_a_count_that_says_which_things_are_meant_is_no_indicator():
    text = "全县含60名学生以上的教学点有35个，均已开展科普活动。"
    assert rows(text, "value", "unit") == [(35, "个")]


# --- subjects ------------------------------------------------------------------------------


def test_a_comparisons_base_is_not_the_subject_of_the_change():
    text = "截至9月，全区市场主体存量为28406户，较2025年末净增5120户。"
    assert rows(text, "subject", "value") == [
        ("市场主体存量", 28406),
        ("市场主体存量", 5120),
    ]


def test_making_the_county_reach_is_not_part_of_the_subject():
    text = "新增省级工程中心2家，使我县工程技术研究中心达到31家(其中市级以上9家)。"
    assert rows(text, "subject", "value") == [
        ("省级工程中心", 2),
        ("工程技术研究中心", 31),
        ("市级以上工程技术研究中心", 9),
    ]


def test_the_later_points_of_a_list_after_renwu_shi_are_asked_for_too():
    text = "任务是：①收集本年度企业技术需求5条以上；②完成科技成果转化2项。截至10月底，已收集6条。"
    assert rows(text, "subject", "kind", "value", kind="actual", default_year=2026) == [
        ("企业技术需求", "target", 5),
        ("科技成果转化", "target", 2),
        (None, "actual", 6),
    ]


def test_list_markers_modal_words_and_shortfalls_are_not_in_the_subject():
    text = "按照指标要求，全县有效发明专利应达到60件，截至10月底已完成52件，尚差8件。"
    assert rows(text, "subject", "value", kind="actual", default_year=2026) == [
        ("有效发明专利", 60),
        ("有效发明专利", 52),
        ("有效发明专利", 8),
    ]
    text = "D.培育企业拥有与主营产品相关的知识产权(发明专利2件及以上或者实用新型专利6件及以上)"
    assert rows(text, "subject", "value") == [("发明专利", 2), ("实用新型专利", 6)]


def test_a_spelled_count_of_the_points_listed_below_is_no_indicator():
    text = "高新技术企业培育。任务为以下两个之一：A.培育高新技术企业3家及以上；B.组织企业参加培训。"
    assert rows(text, "value", "unit") == [(3, "家")]


# --- the year of plans, reviews and news pages ----------------------------------------------


def test_a_plan_for_a_span_of_years_is_dated_by_its_first_year():
    title = "青溪市科技创新三年行动计划（2027—2029年）"
    assert find_year(title, title) == 2027


def test_a_summary_and_next_years_plan_is_dated_by_the_summary():
    title = "临江区科技局2025年工作总结和2026年工作思路"
    assert find_year(title, title) == 2025


def test_a_goals_horizon_does_not_date_a_news_page_on_this_years_work():
    text = (
        "首页 > 新闻中心\n全市科技大会召开\n来源：青溪日报　发布时间：2027-02-20　浏览次数：88\n\n"
        "会议指出，去年以来，全市科技工作稳中有进。全市高新技术企业达到2400家，增长12%。\n\n"
        "会议提出，今年新增高新技术企业260家以上。到2030年，全市高新技术企业突破4000家。\n"
    )
    result = extract(text.encode("utf-8"), name="新闻.txt")
    assert result["document"]["year"] == 2027
    assert _figures(result, "value", "kind", "year") == [
        (2400, "actual", 2026),
        (12, "actual", 2026),
        (260, "target", 2027),
        (4000, "target", 2030),
    ]


# --- fields written beside the task --------------------------------------------------------


def test_fields_in_brackets_after_a_commitment_are_its_fields():
    text = (
        "青溪县科学技术局2027年度公开承诺事项\n"
        "1.建设农村科技服务站4个。（责任领导：陈立；责任股室：农村科技股；完成时限：2027年11月底）\n"
        "2.新培育高新技术企业5家(含)以上。\n"
    )
    result = extract(text.encode("utf-8"), name="承诺.txt")
    first, second = result["items"]
    assert first["fields"] == {
        "leaders": ["陈立"],
        "lead_unit": "农村科技股",
        "deadline": "2027年11月底",
    }
    assert second["fields"] == {}


# --- a table copied as tab-separated rows ---------------------------------------------------


def test_a_tab_separated_table_with_section_rows_and_a_row_typed_with_spaces():
    text = (
        "青溪市科学技术局2027年重点工作任务清单\n\n"
        "序号\t重点工作\t目标任务\t牵头处室\t责任人\t完成时限\n"
        "一、企业创新主体培育\n"
        "1\t高企培育\t新认定高新技术企业90家以上\t高新技术处\t吴敏\t2027年11月\n"
        "二、创新平台\n"
        "2    孵化载体    新建省级孵化器2家    成果转化处    唐伟、周倩    每季度末\n"
        "\n"
        "备注：本清单由局办公室负责解释。\n"
    )
    result = extract(text.encode("utf-8"), name="清单.txt")
    rows = [i for i in result["items"] if i["kind"] == "row"]
    keys = ("category", "lead_unit", "leaders", "deadline")
    assert [(r["number"], *(r["fields"][k] for k in keys)) for r in rows] == [
        ("1", "企业创新主体培育", "高新技术处", ["吴敏"], "2027年11月"),
        ("2", "创新平台", "成果转化处", ["唐伟", "周倩"], "每季度末"),
    ]
    assert [(i["value"], i["unit"]) for r in rows for i in r["indicators"]] == [
        (90, "家"),
        (2, "家"),
    ]


# --- more subjects ---------------------------------------------------------------------------


def test_a_share_clause_without_a_thing_is_the_share_of_the_thing_before():
    text = "全区R&D经费支出8.4亿元，同比增长11%，占GDP比重达到2.3%，较上年提高0.1个百分点。"
    assert rows(text, "subject", "measure", "value", kind="actual") == [
        ("R&D经费支出", "other", 8.4),
        ("R&D经费支出", "growth", 11),
        ("R&D经费支出占GDP比重", "share", 2.3),
        ("R&D经费支出占GDP比重", "share", 0.1),
    ]


def test_from_one_figure_to_another_keeps_the_thing_not_the_verb():
    text = "全县技术交易额由2020年的2.1亿元增加到2025年的5.6亿元；孵化器从3家增至9家。"
    assert rows(text, "subject", "value", "year", kind="actual", default_year=2026) == [
        ("技术交易额", 2.1, 2020),
        ("技术交易额", 5.6, 2025),
        ("孵化器", 3, 2026),
        ("孵化器", 9, 2026),
    ]


def test_an_intensity_of_input_is_a_subject():
    text = "全社会研发经费投入约96亿，投入强度达到2.7%。"
    assert rows(text, "subject", "value", kind="actual") == [
        ("全社会研发经费投入", 96),
        ("投入强度", 2.7),
    ]


def test_an_assessment_items_first_sentence_names_the_thing_its_target_value_counts():
    text = (
        "青溪市科技创新考核细则\n"
        "1.规上工业企业研发活动覆盖率（5分）。目标值：达到45%。\n"
        "2.技术合同成交额（10分）。目标值：同比增长18%。\n"
    )
    result = extract(text.encode("utf-8"), name="细则.txt")
    assert _figures(result, "subject", "value") == [
        ("规上工业企业研发活动覆盖率", 45),
        ("技术合同成交额", 18),
    ]


# --- labels beside a task --------------------------------------------------------------------


def test_several_labels_on_one_line_under_a_heading_with_titles_before_names():
    text = (
        "青溪市政府督查室关于市领导批示件办理情况的通报\n"
        "二、重点批示件办理情况\n"
        "（一）关于加快东湖科创走廊建设的批示\n"
        "承办单位：市科技局　责任领导：副市长 周立新　办理时限：2027年9月30日　办理状态：已办结\n"
        "办理情况：已签约入驻新型研发机构8家。\n"
    )
    result = extract(text.encode("utf-8"), name="批示件.txt")
    (task,) = [i for i in result["items"] if i["number"] == "（一）"]
    assert task["fields"] == {
        "lead_unit": "市科技局",
        "leaders": ["周立新"],
        "deadline": "2027年9月30日",
        "status": "已办结",
    }
    assert [(i["value"], i["unit"]) for i in task["indicators"]] == [(8, "家")]


def test_labels_beside_the_tasks_particulars_give_fields_and_keep_the_figures():
    text = (
        "1. 科技型中小企业评价入库\n"
        "责任单位：市科技局；配合单位：青溪高新区管委会\n"
        "责任领导：林芳\n"
        "目标任务：入库科技型中小企业3800家以上。\n"
        "计划完成时间：2027年11月\n"
    )
    result = extract(text.encode("utf-8"), name="滞后事项.txt")
    (task,) = result["items"]
    assert task["fields"] == {
        "lead_unit": "市科技局",
        "co_units": ["青溪高新区管委会"],
        "leaders": ["林芳"],
        "deadline": "2027年11月",
    }
    assert [(i["value"], i["unit"]) for i in task["indicators"]] == [(3800, "家")]


def test_numbered_targets_of_a_responsibility_book_are_tasks_with_their_people():
    text = (
        "青溪县西岭乡2027年度科技工作目标责任书\n"
        "目标1：科技投入\n"
        "内容：乡财政科技经费安排不低于20万元。\n"
        "责任人：乡长 罗建\n"
        "完成时限：2027年12月31日\n"
        "\n"
        "目标2：科技示范\n"
        "内容：建设科技示范基地2个。\n"
        "责任人：乡党委委员 何欢\n"
        "完成时限：2027年10月31日\n"
    )
    result = extract(text.encode("utf-8"), name="责任书.txt")
    tasks = [i for i in result["items"] if i["number"] in ("1", "2")]
    assert [(t["fields"]["leaders"], t["fields"]["deadline"]) for t in tasks] == [
        (["罗建"], "2027年12月31日"),
        (["何欢"], "2027年10月31日"),
    ]


# --- more tables ------------------------------------------------------------------------------


def test_a_table_aligned_with_full_width_spaces_gives_its_base_and_target_values():
    text = (
        "表1　青溪市“十五五”科技创新主要指标\n"
        "序号　指标名称　　　　　　　　单位　　2025年基数　　2030年目标　　属性\n"
        "1　　高新技术企业数　　　　　　家　　　1450　　　　　2600　　　　　预期性\n"
        "2　　技术合同成交额　　　　　　亿元　　88　　　　　　150　　　　　　预期性\n"
    )
    result = extract(text.encode("utf-8"), name="规划.txt")
    assert _figures(result, "subject", "kind", "value", "unit", "year") == [
        ("高新技术企业数", "actual", 1450, "家", 2025),
        ("高新技术企业数", "target", 2600, "家", 2030),
        ("技术合同成交额", "actual", 88, "亿元", 2025),
        ("技术合同成交额", "target", 150, "亿元", 2030),
    ]


def test_a_numbered_results_table_saved_as_csv_gives_each_names_score_and_rank():
    text = (
        "青溪市2026年度众创空间绩效评价结果\n\n"
        "序号,众创空间名称,所在地,评价得分（分）,等次,排名\n"
        "1,云台青创工场,云台县,94.5,优秀,1\n"
        "2,临江创客汇,临江区,91.0,优秀,2\n"
    )
    result = extract(text.encode("utf-8"), name="结果.txt")
    assert _figures(result, "subject", "measure", "value", "unit") == [
        ("云台青创工场", "other", 94.5, "分"),
        ("云台青创工场", "rank", 1, ""),
        ("临江创客汇", "other", 91, "分"),
        ("临江创客汇", "rank", 2, ""),
    ]


def test_a_prose_line_with_ascii_commas_is_no_table():
    text = "今年以来,全市科技工作稳步推进,新增高新技术企业45家,技术合同成交额增长12%。\n下半年,继续抓好企业培育,力争全年新增80家,完成全年目标。\n"
    result = extract(text.encode("utf-8"), name="a.txt")
    assert all(item["kind"] != "row" for item in result["items"])
    assert [v for (v,) in _figures(result, "value")] == [45, 12, 80]


def test_next_year_in_a_summarys_plan_section_is_the_year_after_the_summary():
    text = (
        "青溪县科技局局长2026年度述职报告\n"
        "一、2026年工作完成情况\n"
        "全年新认定高新技术企业14家。\n"
        "二、2027年工作思路\n"
        "明年，力争新认定高新技术企业18家以上。\n"
    )
    result = extract(text.encode("utf-8"), name="述职.txt")
    assert _figures(result, "value", "kind", "year") == [(14, "actual", 2026), (18, "target", 2027)]


def test_a_tasks_progress_line_reports_results_beside_its_target_line():
    text = (
        "1. 孵化载体建设\n"
        "责任单位：市科技局\n"
        "目标任务：全年新建省级孵化器4家。\n"
        "当前进展：新建2家，占年度任务的50%。\n"
    )
    result = extract(text.encode("utf-8"), name="反馈.txt")
    assert _figures(result, "value", "kind") == [(4, "target"), (2, "actual"), (50, "actual")]


def test_a_bulletins_title_dates_it():
    text = (
        "青溪市科学技术局\n首页 / 通知公告\n\n"
        "青溪市科学技术局关于2026年度市级众创空间考核结果的通报\n"
        "青科函〔2027〕9号　　发布日期：2027年3月2日\n\n"
        "本次参评众创空间共31家，评为优秀的7家。\n"
    )
    result = extract(text.encode("utf-8"), name="通报.txt")
    assert result["document"]["year"] == 2026
    assert _figures(result, "value", "year") == [(31, 2026), (7, 2026)]


def test_a_labelled_line_names_the_thing_its_target_and_actual_count():
    text = (
        "青溪县科技局2026年度绩效自评报告\n"
        "1.新认定高新技术企业：年度目标新增40家，实际新增46家，完成率115%。\n"
    )
    result = extract(text.encode("utf-8"), name="自评.txt")
    assert _figures(result, "subject", "value") == [
        ("高新技术企业", 40),
        ("高新技术企业", 46),
        ("完成率", 115),
    ]


def test_a_plans_table_of_years_reads_the_later_year_as_the_target():
    text = (
        "青溪市“十五五”科技创新规划\n"
        "专栏1　主要指标\n"
        "指标名称 / 2025年 / 2030年 / 属性\n"
        "全社会研发经费投入强度（%） / 2.9 / 3.4 / 预期性\n"
        "高新技术企业数（家） / 1300 / 2100 / 预期性\n"
    )
    result = extract(text.encode("utf-8"), name="规划.txt", default_year=2026)
    assert _figures(result, "kind", "measure", "value", "year") == [
        ("actual", "share", 2.9, 2025),
        ("target", "share", 3.4, 2030),
        ("actual", "other", 1300, 2025),
        ("target", "other", 2100, 2030),
    ]


def test_a_monthly_table_with_an_indented_part_row_and_cumulative_and_yoy_columns():
    text = (
        "表1  2027年3月全市技术合同登记情况\n"
        "指标名称                    本月      1-3月累计    累计同比(±%)\n"
        "合同成交额(亿元)             5.10       13.20         11.5\n"
        "  其中:技术交易额(亿元)      4.02       10.66         -2.4\n"
    )
    result = extract(text.encode("utf-8"), name="简报.txt")
    assert _figures(result, "measure", "value") == [
        ("other", 5.1),
        ("total", 13.2),
        ("growth", 11.5),
        ("other", 4.02),
        ("total", 10.66),
        ("growth", -2.4),
    ]


def test_a_breakdown_table_by_place_dates_its_columns_and_sums_its_total_row():
    text = (
        "附表  2027年科技型中小企业评价入库任务分解表\n\n"
        "地区          2026年入库数(家)    2027年目标任务(家)    截至5月底已入库(家)\n"
        "云台县             210                  260                    98\n"
        "白沙县             150                  200                    71\n"
        "合计               360                  460                   169\n"
    )
    result = extract(text.encode("utf-8"), name="分解表.txt")
    rows = [
        (i["value"], i["kind"], i["measure"], i["year"])
        for item in result["items"]
        for i in item["indicators"]
    ]
    assert rows[:3] == [
        (210, "actual", "other", 2026),
        (260, "target", "other", 2027),
        (98, "actual", "other", 2027),
    ]
    assert rows[-3:] == [
        (360, "actual", "total", 2026),
        (460, "target", "total", 2027),
        (169, "actual", "total", 2027),
    ]


def test_a_pipe_table_without_outer_pipes_gives_rows_with_status():
    text = (
        "青溪县科技局2027年三季度重点工作完成情况表\n\n"
        "序号 | 工作任务 | 责任单位 | 完成时限 | 完成情况 | 是否完成\n"
        "---- | -------- | -------- | -------- | -------- | --------\n"
        "1 | 新认定高新技术企业12家 | 高新科 | 12月 | 已认定9家 | 未完成\n"
        "2 | 科技型中小企业入库150家 | 高新科 | 9月 | 已入库162家 | 是\n"
    )
    result = extract(text.encode("utf-8"), name="完成情况.txt")
    rows = [i for i in result["items"] if i["kind"] == "row"]
    assert [(r["number"], r["fields"]["lead_unit"], r["fields"]["status"]) for r in rows] == [
        ("1", "高新科", "未完成"),
        ("2", "高新科", "是"),
    ]


def test_numbered_commitments_with_labelled_people_padded_to_three_characters():
    text = (
        "承诺事项一：培育高新技术企业\n"
        "具体目标：新认定高新技术企业30家。\n"
        "责任领导：副局长 林　芳\n"
        "责任科室：高新技术科\n"
        "\n"
        "承诺事项二：推动研发投入\n"
        "具体目标：规上工业企业研发费用增长10%以上。\n"
        "责任领导：局长 何建\n"
    )
    result = extract(text.encode("utf-8"), name="承诺.txt")
    assert [(i["number"], i["fields"].get("leaders")) for i in result["items"]] == [
        ("一", ["林芳"]),
        ("二", ["何建"]),
    ]


def test_bracketed_labels_may_hold_a_bracket_of_their_own():
    text = (
        "1．实施企业培育计划，入库企业不少于300家。（牵头单位：市科技局高新技术科；"
        "责任单位：各县（区）人民政府）\n"
    )
    result = extract(text.encode("utf-8"), name="要点.txt")
    (task,) = result["items"]
    assert task["fields"]["lead_unit"] == "市科技局高新技术科"
    assert task["fields"]["co_units"] == ["各县（区）人民政府"]


def test_the_whole_year_in_a_paragraph_on_last_year_is_last_year():
    text = (
        "本报讯 青溪市科技大会召开。\n\n"
        "会议指出，去年以来，全市科技创新稳步推进。全年新增省级研发平台31个。\n\n"
        "会议提出，今年新增省级研发平台35个。\n"
    )
    found = [
        (i["value"], i["kind"], i["year"])
        for i in extract(text.encode("utf-8"), name="a.txt", default_year=2027)["items"]
        for i in i["indicators"]
    ]
    assert found == [(31, "actual", 2026), (35, "target", 2027)]


def test_tasks_under_a_heading_of_lagging_tasks_are_lagging():
    text = (
        "关于2027年三季度科技重点任务推进情况的通报\n"
        "一、总体情况\n"
        "全市30项重点任务中，已完成8项，滞后3项。\n"
        "二、进度滞后的主要事项\n"
        "1.新建省级孵化器3家（责任单位：市科技局），目前仅建成1家。\n"
        "2.新增科技贷款5亿元（责任单位：市金融办），目前发放2.1亿元。\n"
        "三、下一步要求\n"
        "1.各单位要倒排工期。\n"
    )
    result = extract(text.encode("utf-8"), name="通报.txt")
    statuses = [
        (i["number"], i["fields"].get("status")) for i in result["items"] if i["kind"] == "item"
    ]
    assert statuses == [("1", "进度滞后"), ("2", "进度滞后"), ("1", None)]
