"""Subjects that a statistical release or a summary leaves half-said, each in sentences of our
own (fictional 青溪市):

* a part named by its level only (其中国家级5家、省级9家) is that level of the whole before it;
* an amount named by what it measures only (登记技术合同1856项，成交额42.3亿元) is that amount of
  the thing counted before it, and so is the growth that follows;
* a time or holding word before the thing (年末全市共有…, 现有…) is no part of it;
* a milestone word after the number (突破50亿元大关) is not what is counted;
* in a report, 争取…资金 N元 is money obtained, not a goal.
"""

from __future__ import annotations

from duban.extraction.numbers import find_indicators


def _subjects(text: str, **kwargs) -> list[tuple]:
    return [(i.subject, i.value) for i in find_indicators(text, **kwargs)]


def test_a_level_only_part_is_that_level_of_the_whole():
    assert _subjects("全市众创空间达到31家，其中国家级4家、省级11家。", kind="actual") == [
        ("众创空间", 31),
        ("国家级众创空间", 4),
        ("省级众创空间", 11),
    ]


def test_a_whole_with_its_own_level_gives_the_parts_theirs():
    assert _subjects("全市省级以上研发平台64个，其中国家级7个。", kind="actual")[1] == (
        "国家级研发平台",
        7,
    )


def test_an_attribute_only_amount_is_that_of_the_thing_before():
    found = find_indicators("全年登记技术合同912项，成交额18.6亿元，增长24.5%。", kind="actual")
    assert [(i.subject, i.measure, i.value) for i in found] == [
        ("技术合同", "other", 912),
        ("技术合同成交额", "other", 18.6),
        ("技术合同成交额", "growth", 24.5),
    ]


def test_a_counted_verb_is_not_kept_before_the_attribute():
    found = find_indicators("全县技术合同登记356项，成交额达9.8亿元。", kind="actual")
    assert found[1].subject == "技术合同成交额"


def test_an_attribute_of_its_own_thing_is_left_alone():
    assert _subjects("全市规上工业增加值增长8%，高新技术产业产值612亿元。", kind="actual") == [
        ("规上工业增加值", 8),
        ("高新技术产业产值", 612),
    ]


def test_time_and_holding_words_are_not_the_thing():
    assert _subjects("年末全市共有科技型中小企业874家。", kind="actual") == [
        ("科技型中小企业", 874)
    ]
    assert _subjects("现有省级工程技术研究中心26家。", kind="actual") == [
        ("省级工程技术研究中心", 26)
    ]


def test_a_milestone_word_after_the_number_is_not_counted():
    assert _subjects("全市技术合同交易额突破30亿元大关。", kind="actual") == [
        ("技术合同交易额", 30)
    ]


def test_funds_striven_for_in_a_report_were_obtained():
    (ind,) = find_indicators("全年争取上级科技资金8600万元。", kind="actual")
    assert ind.kind == "actual"
    (plan,) = find_indicators("全年争取上级科技资金8600万元。", kind="target")
    assert plan.kind == "target"
    # Elsewhere 争取 still names a goal, in a report too.
    (task,) = find_indicators("争取省级以上科技项目25项。", kind="actual")
    assert task.kind == "target"


def test_a_comparisons_base_is_neither_the_subject_nor_the_year():
    (ind,) = find_indicators(
        "全市技术合同成交额较2021年增长15%。", kind="actual", default_year=2025
    )
    assert (ind.subject, ind.year) == ("技术合同成交额", 2025)
    (ind,) = find_indicators("科技贷款余额较年初增加8.2亿元。", kind="actual", default_year=2025)
    assert (ind.subject, ind.measure) == ("科技贷款余额", "increase")
    (ind,) = find_indicators(
        "全市科技成果登记数量比上年增长三成。", kind="actual", default_year=2025
    )
    assert ind.subject == "科技成果登记" and ind.year == 2025
    (ind,) = find_indicators("2021年全市高企达到300家。", kind="actual", default_year=2025)
    assert ind.year == 2021


def test_more_words_of_new_things_are_increases():
    for text, subject in [
        ("新入库科技型中小企业260家。", "科技型中小企业"),
        ("新晋升国家高新技术企业38家。", "国家高新技术企业"),
        ("新获评省级专精特新企业9家。", "省级专精特新企业"),
    ]:
        (ind,) = find_indicators(text, kind="actual", default_year=2025)
        assert (ind.subject, ind.measure) == (subject, "increase")


def test_numbers_without_a_subject_under_a_heading_that_names_a_thing():
    from duban.extraction.extract import extract

    text = "\n".join(
        [
            "青溪市科技局2025年工作总结",
            "一、主要成效",
            "（一）科技型中小企业培育",
            "全年新增52家，总数达到640家。",
            "（二）加强平台建设",
            "全年新增3个，总数达到21个。",
        ]
    )
    result = extract(text.encode("utf-8"), name="总结.txt")
    found = [(i["subject"], i["value"]) for it in result["items"] for i in it["indicators"]]
    assert found[:2] == [("科技型中小企业", 52), ("科技型中小企业", 640)]
    # A heading that names a programme of work, not a thing, gives no subject.
    assert found[2:] == [(None, 3), (None, 21)]
