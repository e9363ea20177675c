"""Number phrases beyond the seeds' (issue 11): signs, subjects that carry over, more units and
measures, what is not an indicator, and the kind of an achievement that mentions its target.

Every sentence here is made up (the fictional 青溪市); none is copied from a real document.
"""

from __future__ import annotations

import pytest

from duban.extraction.numbers import Indicator, find_indicators


def only(text: str, **kwargs) -> Indicator:
    found = find_indicators(text, **kwargs)
    assert len(found) == 1, found
    return found[0]


def printed(text: str, ind: Indicator) -> str:
    return text[ind.span[0] : ind.span[1]]


def rows(text: str, *fields: str, **kwargs) -> list[tuple]:
    return [tuple(getattr(i, f) for f in fields) for i in find_indicators(text, **kwargs)]


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


def test_spaced_digits_do_not_join_separate_numbers():
    assert [i.value for i in find_indicators("2019 2020 3家企业")] == [3]


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
