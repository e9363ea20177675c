"""Subjects and cues across clauses, lists and broken lines (issue 12): verbs and scopes left in
a subject, a subject that carries over to its growth, share and rank, a threshold inside a noun
phrase, a cue shared by a list, and text converted from PDF with lines broken inside words.

Every sentence here is made up (the fictional 青溪市); none is copied from a real document.
"""

from __future__ import annotations

import pytest

from duban.extraction.numbers import find_indicators

from .number_helpers import only, printed, rows

# --- verbs and scopes left inside a subject ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("青溪市规上工业实现新材料产值86.4亿元", "规上工业新材料产值"),
        ("全市高新技术产业实现增加值52.3亿元", "高新技术产业增加值"),
        ("全县技术市场实现交易额3120万元", "技术市场交易额"),
        ("全市重点项目完成投资12.5亿元", "重点项目投资"),
    ],
)
def test_a_verb_between_the_thing_and_its_measure_is_not_in_the_subject(text, subject):
    ind = only(text, kind="actual")
    assert ind.subject == subject


def test_newly_passing_certification_is_an_increase():
    ind = only("年内新通过认定省级专精特新企业3家")
    assert (ind.subject, ind.measure, ind.value) == ("省级专精特新企业", "increase", 3)


@pytest.mark.parametrize(
    "text",
    [
        "2023年青溪新区全社会研发投入强度达到2.95%",
        "202x年青溪新区(青溪区)全社会研发投入强度达到2.95%",
        "2023年青溪区全社会研发投入强度达到2.95%",
    ],
)
def test_a_leading_year_and_district_are_scope_not_subject(text):
    ind = only(text, kind="actual")
    assert ind.subject == "全社会研发投入强度"


# --- a subject carried over to the clauses that qualify it ------------------------------------


def test_growth_rank_and_share_after_a_masked_amount_take_its_subject():
    text = (
        "1-9月，全区数字经济核心产业增加值完成xx亿元，增速18.2%全市第2，"
        "占规上工业增加值比重35.6%；实现数字经济投资xx亿元，增速12.9%全市第4。"
    )
    assert rows(text, "subject", "measure", "value", kind="actual") == [
        ("数字经济核心产业增加值", "growth", 18.2),
        ("数字经济核心产业增加值", "rank", 2),
        ("数字经济核心产业增加值占规上工业增加值比重", "share", 35.6),
        ("数字经济投资", "growth", 12.9),
        ("数字经济投资", "rank", 4),
    ]


def test_a_rank_and_share_after_a_growth_take_the_growths_subject():
    text = "全市高新技术产业增加值增长16.5%，增速全市第3；占规上工业增加值比重48.2%。"
    assert rows(text, "subject", "measure", "value", kind="actual") == [
        ("高新技术产业增加值", "growth", 16.5),
        ("高新技术产业增加值", "rank", 3),
        ("高新技术产业增加值占规上工业增加值比重", "share", 48.2),
    ]


# --- a threshold inside a noun phrase ---------------------------------------------------------


def test_a_threshold_inside_a_noun_phrase_is_no_indicator():
    text = "重点培育2个营收过20亿元、6个营收过5亿元的科技型骨干企业。"
    found = find_indicators(text)
    assert [(i.value, i.unit) for i in found] == [(2, "个"), (6, "个")]
    assert all(i.subject and i.subject.endswith("科技型骨干企业") for i in found)


def test_a_threshold_before_de_keeps_its_noun():
    ind = only("力争新增3家年销售收入超10亿元的龙头企业")
    assert (ind.value, ind.unit, ind.measure) == (3, "家", "increase")
    assert ind.subject.endswith("龙头企业")


# --- a cue shared by a list -------------------------------------------------------------------


def test_a_total_cue_is_shared_by_the_listed_counts():
    text = "全县拥有孵化器3家,众创空间7家,工程(技术)研究中心2家,重点实验室12家。"
    assert rows(text, "subject", "measure", "value", kind="actual") == [
        ("孵化器", "total", 3),
        ("众创空间", "total", 7),
        ("工程技术研究中心", "total", 2),
        ("重点实验室", "total", 12),
    ]


@pytest.mark.parametrize("sep", ["、", "，"])
def test_an_increase_cue_is_shared_by_the_listed_counts(sep):
    text = f"新培育瞪羚企业4家{sep}单项冠军企业1家{sep}专精特新企业9家"
    assert rows(text, "subject", "measure", "value") == [
        ("瞪羚企业", "increase", 4),
        ("单项冠军企业", "increase", 1),
        ("专精特新企业", "increase", 9),
    ]


def test_a_listed_count_with_its_own_verb_keeps_its_own_measure():
    text = "全县拥有孵化器3家，组织开展路演活动12场"
    assert rows(text, "measure", "value") == [("total", 3), ("other", 12)]


# --- text converted from PDF: lines broken inside words and numbers -----------------------------


WRAPPED = (
    "青溪市坚持创新驱动发展，持续加大科技投入力度，全社会研\n"
    "发经费投入 42.6 亿元，同比增长 13.8%。高新技术企业、科\n"
    "技型中小企业分别达 860 家、1320 家，分别增长\n"
    "21.4%、35.2%；技术合同成交额、登记项数分别为 58.\n"
    "\n"
    "37 亿元、2460 项，分别增长 18.6%、9.4%。全市\n"
)


def test_a_line_broken_inside_a_word_or_number_does_not_cut_the_clause():
    found = find_indicators(WRAPPED, kind="actual")
    got = [(i.subject, i.measure, i.value, i.unit) for i in found]
    assert got == [
        ("全社会研发经费投入", "other", 42.6, "亿元"),
        ("全社会研发经费投入", "growth", 13.8, "%"),
        ("高新技术企业", "total", 860, "家"),
        ("科技型中小企业", "total", 1320, "家"),
        ("高新技术企业", "growth", 21.4, "%"),
        ("科技型中小企业", "growth", 35.2, "%"),
        ("技术合同成交额", "total", 58.37, "亿元"),
        ("登记项数", "total", 2460, "项"),
        ("技术合同成交额", "growth", 18.6, "%"),
        ("登记项数", "growth", 9.4, "%"),
    ]
    # spans are offsets into the text as printed, line breaks included
    assert [printed(WRAPPED, i) for i in found][6] == "为 58.\n\n37 亿元"
    assert printed(WRAPPED, found[5]) == "35.2%"


def test_a_short_heading_line_is_not_joined_to_the_paragraph_after_it():
    text = "一、主要目标\n全年新增高新技术企业30家，总数达到280家。"
    assert rows(text, "subject", "value") == [("高新技术企业", 30), ("高新技术企业", 280)]


# --- more subjects and measures ---------------------------------------------------------------


def test_where_a_thing_is_ranked_is_not_the_thing():
    ind = only("全市创新能力在全国科技城市评价中保持排名前五", kind="actual")
    assert (ind.subject, ind.measure, ind.value) == ("创新能力", "rank", 5)


def test_a_lead_over_the_average_and_a_run_of_months_qualify_the_number_before():
    text = "全市研发投入强度2.8%，超全省均值0.6个百分点，连续三个月位列全省第一"
    assert rows(text, "subject", "measure", "value", kind="actual") == [
        ("研发投入强度", "share", 2.8),
        ("研发投入强度", "share", 0.6),
        ("研发投入强度", "rank", 1),
    ]


def test_a_session_number_and_a_topic_before_a_time_scope_are_not_the_subject():
    assert only("2022年第五次县政府常务会议确定事项18件").subject == "县政府常务会议确定事项"
    ind = only("两市全年实现技术合同成交额45.2亿元", kind="actual")
    assert ind.subject == "技术合同成交额"


def test_a_plan_named_before_its_count_is_a_noun():
    assert only("2021年全市科技发展计划80项", kind="actual").subject == "科技发展计划"


def test_widened_to_is_a_total():
    text = "全县公开承诺已扩大到36个职能部门和8个乡镇"
    assert rows(text, "subject", "measure", "value", kind="actual") == [
        ("职能部门", "total", 36),
        ("乡镇", "total", 8),
    ]


def test_top_places_listed_after_a_rank_are_each_ranked_and_pair_with_their_rates():
    text = "与上年相比，专利授权量增速前3名分别是青溪县、溪东区和南屏县，增长率分别为82.6%、70.1%和60.3%。"
    assert rows(text, "subject", "measure", "comparator", "value", kind="actual") == [
        ("青溪县", "rank", "<=", 3),
        ("溪东区", "rank", "<=", 3),
        ("南屏县", "rank", "<=", 3),
        ("青溪县增长率", "growth", "=", 82.6),
        ("溪东区增长率", "growth", "=", 70.1),
        ("南屏县增长率", "growth", "=", 60.3),
    ]


def test_a_wrapped_line_ending_in_a_comma_keeps_its_sentence():
    text = (
        "全市认真落实科技创新各项政策，持续推动成果转化，加快建设\n"
        "全市技术合同成交额、登记项数分别达到 12.5 亿元、860 项，\n"
        "分别增长 15.2%、8.6%，其中技术开发合同占比进一步提升到四成\n"
    )
    found = find_indicators(text, kind="actual")
    assert [(i.subject, i.measure, i.value) for i in found] == [
        ("技术合同成交额", "total", 12.5),
        ("登记项数", "total", 860),
        ("技术合同成交额", "growth", 15.2),
        ("登记项数", "growth", 8.6),
        ("技术开发合同占比", "share", 4),
    ]


def test_a_verb_after_the_unit_is_no_subject():
    ind = only("全市新能源公交车80辆投放，城区公交线路全面覆盖", kind="actual")
    assert (ind.subject, ind.value, ind.unit) == ("新能源公交车", 80, "辆")


def test_one_rank_of_two_measures_of_the_thing_before_is_one_rank_for_each():
    text = "全市规上工业企业研发费用增长18.6%，占营业收入比重3.2%，增速及占比均列全省第3。"
    assert rows(text, "subject", "measure", "value", kind="actual")[2:] == [
        ("规上工业企业研发费用增速", "rank", 3),
        ("规上工业企业研发费用占比", "rank", 3),
    ]


def test_tenths_are_a_ratio():
    text = "【青溪市科技局】2024年全市技术合同成交额同比增长6成多，七成以上企业建成研发机构"
    assert rows(text, "subject", "measure", "comparator", "value", "unit", "approximate") == [
        ("技术合同成交额", "growth", ">=", 6, "成", True),
        ("企业", "share", ">=", 7, "成", False),
    ]
    assert [i.value for i in find_indicators("全市完成成果转化120项，建成孵化器3家")] == [120, 3]


def test_a_target_reached_by_a_noun_phrase_is_no_threshold():
    ind = only("确保全市高新技术企业数量达到120家的目标")
    assert (ind.value, ind.measure, ind.subject) == (120, "total", "高新技术企业")
    ind = only("全市重点项目累计完成投资12.5亿元", kind="actual")
    assert ind.subject.startswith("重点项目")
    ind = only("力争全市研发经费投入超过15亿元的目标")
    assert (ind.value, ind.comparator) == (15, ">")
