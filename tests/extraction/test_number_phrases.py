"""Number phrases beyond the seeds' (issue 11): signs, subjects that carry over, more units and
measures, what is not an indicator, and the kind of an achievement that mentions its target.

Every sentence here is made up (the fictional 青溪市); none is copied from a real document.
"""

from __future__ import annotations

import pytest

from duban.extraction.numbers import find_indicators

from .number_helpers import only, printed, rows

# --- kind: an achievement measured against its target -----------------------------------------


def test_a_share_of_the_annual_target_is_an_actual_completion_of_the_thing_before():
    text = "截至目前，全市发明专利申请量达到420件，占全年目标任务的105.2%，在全省排名第三。"
    count, share, rank = find_indicators(text, kind="target", default_year=2019)
    assert all(i.kind == "actual" for i in (count, share, rank))
    assert (share.measure, share.value, share.subject) == ("share", 105.2, "发明专利申请量")
    assert (rank.measure, rank.value, rank.subject) == ("rank", 3, "发明专利申请量")


def test_an_opening_as_of_date_keeps_later_clauses_of_its_sentence_actual():
    text = "截至9月底，青溪市新增孵化器6家；引进创新团队14个，占全年任务的70%。"
    found = find_indicators(text, kind="target")
    assert [(i.value, i.kind) for i in found] == [(6, "actual"), (14, "actual"), (70, "actual")]


def test_a_figure_stated_with_wei_is_a_total():
    ind = only("青溪市年度科技经费目标任务为2400万元")
    assert (ind.measure, ind.value, ind.unit, ind.kind) == ("total", 2400, "万元", "target")


# --- signs and directions ---------------------------------------------------------------------


@pytest.mark.parametrize("text", ["全市规上工业增加值降幅2.3%", "全市规上工业增加值负增长2.3%"])
def test_a_fall_in_percent_is_negative_growth(text):
    ind = only(text, kind="actual")
    assert (ind.measure, ind.value, ind.unit, ind.subject) == (
        "growth",
        -2.3,
        "%",
        "规上工业增加值",
    )


def test_a_fall_before_a_bracket_is_not_a_fall_of_the_part_inside_it():
    text = "专利授权量达到5000件，比上年下降1.3%(其中发明专利授权800件，增长8.8%)"
    found = find_indicators(text, kind="actual")
    assert [(i.subject, i.measure, i.value) for i in found] == [
        ("专利授权量", "total", 5000),
        ("专利授权量", "growth", -1.3),
        ("发明专利授权", "other", 800),
        ("发明专利授权", "growth", 8.8),
    ]


def test_a_signed_percent_in_brackets_beside_a_name_is_growth():
    text = "青溪县研发投入3.2亿元(-4.5%)，溪东区研发投入2.1亿元（+6.1%）"
    found = find_indicators(text, kind="actual")
    assert [(i.measure, i.value, i.unit) for i in found] == [
        ("other", 3.2, "亿元"),
        ("growth", -4.5, "%"),
        ("other", 2.1, "亿元"),
        ("growth", 6.1, "%"),
    ]
    assert found[1].subject == "青溪县研发投入"
    assert printed(text, found[1]) == "-4.5%"


def test_a_negative_rate_after_a_growth_word():
    ind = only("全市技术合同成交额增速为-3.5%", kind="actual")
    assert (ind.measure, ind.value) == ("growth", -3.5)


def test_a_growth_against_last_year_is_a_growth_of_the_thing_before():
    text = "全市专利申请量达到9000件，比上年同期增长13.2%"
    total, growth = find_indicators(text, kind="actual")
    assert (growth.measure, growth.value, growth.subject) == ("growth", 13.2, "专利申请量")


# --- units and measures -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator"),
    [
        ("全年发明专利申请量达到3 5 0件以上", 350, "件", ">="),
        ("良种覆盖率达到9 0%以上", 90, "%", ">="),
        ("全市高新技术产业产值达到1 2 0亿", 120, "亿", "="),
    ],
)
def test_digits_split_by_spaces_are_one_number(text, value, unit, comparator):
    ind = only(text)
    assert (ind.value, ind.unit, ind.comparator) == (value, unit, comparator)
    assert [i.value for i in find_indicators("2019 2020 3家企业")] == [3]  # years are not digits


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [("全市高新技术产业产值达到120亿", 120, "亿"), ("园区技工贸总收入1.6 万亿", 1.6, "万亿")],
)
def test_yi_without_yuan_stays_in_the_unit(text, value, unit):
    ind = only(text)
    assert (ind.value, ind.unit) == (value, unit)


def test_a_yearly_rise_is_growth():
    ind = only("注册商标申请量年递增15%以上")
    assert (ind.measure, ind.value, ind.subject) == ("growth", 15, "注册商标申请量")


def test_a_subject_after_the_number_keeps_its_alternatives_and_stops_at_its_award():
    assert only("建立4家以上国家或省级企业工程技术中心").subject == "国家或省级企业工程技术中心"
    ind = only("青溪市5项科技成果获省科学技术奖", kind="actual")
    assert ind.subject == "科技成果"


# --- subjects ---------------------------------------------------------------------------------


def test_the_direction_of_a_flow_stays_in_the_subject():
    text = "全市输出技术合同成交额8亿元，吸纳技术合同成交额6亿元"
    assert rows(text, "subject", "value") == [("输出技术合同成交额", 8), ("吸纳技术合同成交额", 6)]


def test_a_registered_trademark_is_a_noun_and_a_bus_is_what_was_put_into_service():
    assert only("全市注册商标申请量达到900件").subject == "注册商标申请量"
    assert only("投放新能源公交车50辆").subject == "新能源公交车"


def test_one_rate_for_two_kinds_is_one_indicator_for_each():
    text = "全市高新技术企业、科技型中小企业增长10%以上"
    found = find_indicators(text, kind="actual")
    assert [(i.subject, i.value, i.comparator) for i in found] == [
        ("高新技术企业", 10, ">="),
        ("科技型中小企业", 10, ">="),
    ]
    assert found[0].span == found[1].span


def test_one_rank_for_two_kinds_is_one_rank_for_each():
    text = "电子信息、新材料领域技术合同成交额位居前两位"
    assert rows(text, "subject", "measure", "value") == [
        ("电子信息", "rank", 2),
        ("新材料领域技术合同成交额", "rank", 2),
    ]


def test_a_rate_printed_with_its_base_year_keeps_both_kinds():
    text = "专利申请量、授权量增长在上年基础上增加5%以上"
    assert rows(text, "subject", "value") == [("专利申请量", 5), ("授权量", 5)]


def test_totals_after_increases_pair_with_the_increases_subjects():
    text = "新增高新技术企业30家、科技型中小企业50家，总数分别达到300家、500家"
    assert rows(text, "subject", "measure", "value") == [
        ("高新技术企业", "increase", 30),
        ("科技型中小企业", "increase", 50),
        ("高新技术企业", "total", 300),
        ("科技型中小企业", "total", 500),
    ]


@pytest.mark.parametrize("verb", ["分别为", "达"])
def test_two_lists_of_values_pair_with_one_list_of_names(verb):
    text = f"高新技术企业、科技型中小企业{verb}300家、500家，分别增长12.5%、20.1%"
    assert rows(text, "subject", "measure", "value") == [
        ("高新技术企业", "total", 300),
        ("科技型中小企业", "total", 500),
        ("高新技术企业", "growth", 12.5),
        ("科技型中小企业", "growth", 20.1),
    ]


def test_lists_of_values_pair_with_names_in_an_earlier_clause():
    text = (
        "技术开发、技术服务两类合同成交额领先，分别登记300项、200项，"
        "成交额12.5亿元、8.1亿元，同比增长15%、22%。"
    )
    assert rows(text, "subject", "value") == [
        ("技术开发", 300),
        ("技术服务", 200),
        ("技术开发成交额", 12.5),
        ("技术服务成交额", 8.1),
        ("技术开发成交额", 15),
        ("技术服务成交额", 22),
    ]


def test_names_listed_after_fenbie_shi_pair_with_the_values_that_follow():
    text = "考核的三个县分别是青溪县、溪东县和北岸县，研发投入分别为3亿元、2亿元和1亿元"
    found = find_indicators(text, kind="actual")
    assert [(i.subject, i.value) for i in found[1:]] == [
        ("青溪县研发投入", 3),
        ("溪东县研发投入", 2),
        ("北岸县研发投入", 1),
    ]
    assert all(i.measure == "total" for i in found[1:])
    assert found[0].subject is None or "分别" not in found[0].subject


def test_fenbie_shi_followed_by_names_pairs_nothing():
    text = "新认定的两家企业分别是青溪科技和溪东材料，研发投入达到3亿元"
    assert rows(text, "subject", "value") == [("企业", 2), ("研发投入", 3)]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("新增科技特派员工作站20只", 20, "只"),
        ("投入研发人员1200人年", 1200, "人年"),
        ("建设示范基地3000亩，推广新品种", 3000, "亩"),
    ],
)
def test_more_counters(text, value, unit):
    ind = only(text)
    assert (ind.value, ind.unit) == (value, unit)
    assert find_indicators("编制青溪片区230亩地建设规划") == []  # an area naming a place


def test_a_rank_with_its_scope_and_no_verb():
    text = "全市高新技术产业增加值增速26.6%全市第1，占比66.2%"
    assert rows(text, "subject", "measure", "value", "unit", kind="actual") == [
        ("高新技术产业增加值", "growth", 26.6, "%"),
        ("高新技术产业增加值", "rank", 1, ""),
        ("高新技术产业增加值", "share", 66.2, "%"),
    ]


def test_a_rank_after_moving_up_and_a_rank_won():
    ind = only("全市研发投入强度位次前移至全省第5位次")
    assert (ind.measure, ind.value, ind.unit) == ("rank", 5, "位次")
    ind = only("连续三年获省政府科技创新督查激励第一名")
    assert (ind.measure, ind.value, ind.unit, ind.subject) == (
        "rank",
        1,
        "名",
        "省政府科技创新督查激励",
    )


def test_an_index_has_no_unit():
    text = "全市区域创新指数108.5，居全省第3位"
    assert rows(text, "subject", "measure", "value", "unit") == [
        ("区域创新指数", "other", 108.5, ""),
        ("区域创新指数", "rank", 3, "位"),
    ]


# --- what is not an indicator -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "高新技术企业每增加1家加5分，每增减5%相应加减0.5分",
        "引进新品种3分，超过5个以上计5分",
        "传达市委三届五次全会和市五届人大三次会议精神",
        "二次结构工程正在施工",
        "县卫健局负责的第17、18件事项进展滞后",
        "实行“红、黄、绿”三单预警",
        "着重抓好以下六个方面的工作",
        "按照园区建设12项总体指标进行考核",
        "青溪市科技局承担的四项任务全面完成",
    ],
)
def test_not_indicators(text):
    assert find_indicators(text) == []


def test_the_rate_an_assessment_asks_for_is_an_indicator_its_points_and_steps_are_not():
    text = "技术合同成交额增长18%计5分，每增(减)1个百分点加(减)0.2分"
    assert rows(text, "subject", "measure", "value", "unit") == [
        ("技术合同成交额", "growth", 18, "%")
    ]


def test_at_least_before_a_verb_is_a_floor():
    ind = only("每年至少召开两次会议")
    assert (ind.value, ind.comparator) == (2, ">=")


def test_a_share_after_a_growth_in_one_clause_is_a_share():
    text = "成交额共计57.1亿元、同比增长19.4%、占总成交额的63.2%"
    assert rows(text, "measure", "value", kind="actual") == [
        ("total", 57.1),
        ("growth", 19.4),
        ("share", 63.2),
    ]


def test_a_share_of_the_annual_task_takes_the_subject_before_and_newcomers_are_an_increase():
    text = "新入驻企业31家，总量达到83家；科技型中小企业入库643家，完成全年任务的80.38%"
    assert rows(text, "subject", "measure", "value", kind="actual") == [
        ("企业", "increase", 31),
        ("企业", "total", 83),
        ("科技型中小企业", "other", 643),
        ("科技型中小企业", "share", 80.38),
    ]
