"""The year and kind of a figure from words beyond a printed year, each in sentences of our own
(fictional 青溪市):

* 去年/上年 as the sentence's topic dates a figure to the year before the text's, and makes it a
  result when nothing else says; 比上年/较上年/上年同期/上年末 are a comparison's base and
  上年结转 a qualifier, not the figure's year;
* 明年 dates it to the year after, a goal;
* a figure dated after the text's year, with no cue, is a goal; a printed earlier year keeps the
  caller's kind (a three-year plan's first year is still planned);
* a plan's section on its base (发展基础, 发展现状, 工作基础) reports results.
"""

from __future__ import annotations

import pytest

from duban.extraction.extract import extract
from duban.extraction.numbers import find_indicators


def _one(text: str, **kwargs):
    (found,) = find_indicators(text, **kwargs)
    return found


def test_last_year_as_the_topic_is_a_result_of_the_year_before():
    ind = _one("去年，青溪市新增高新技术企业52家。", kind="target", default_year=2026)
    assert (ind.year, ind.kind, ind.value) == (2025, "actual", 52)


def test_next_year_is_a_goal_of_the_year_after():
    ind = _one("明年全市新增科技型中小企业80家。", kind="actual", default_year=2025)
    assert (ind.year, ind.kind) == (2026, "target")


@pytest.mark.parametrize(
    "text",
    [
        "全市技术合同成交额比上年增长12%。",
        "全市技术合同成交额较上年增长12%。",
        "全市技术合同成交额与上年同期相比增长12%。",
        "全市有效发明专利比上年末增长12%。",
    ],
)
def test_a_comparison_with_last_year_is_this_years_figure(text):
    ind = _one(text, kind="actual", default_year=2025)
    assert (ind.year, ind.value) == (2025, 12)


def test_carried_over_from_last_year_qualifies_this_years_count():
    found = find_indicators(
        "实施科技计划项目96项（其中上年结转21项）。", kind="actual", default_year=2025
    )
    assert [(i.value, i.year) for i in found] == [(96, 2025), (21, 2025)]


def test_a_later_year_without_a_cue_is_a_goal():
    ind = _one("2027年，全市研发经费投入强度3.2%。", kind="actual", default_year=2025)
    assert (ind.year, ind.kind) == (2027, "target")


def test_a_printed_earlier_year_keeps_the_plans_kind():
    ind = _one("2024年，全市新建孵化器6个以上。", kind="target", default_year=2026)
    assert (ind.year, ind.kind) == (2024, "target")


def test_a_plans_section_on_its_base_reports_results():
    text = "\n".join(
        [
            "青溪市2026年科技创新工作要点",
            "一、发展基础",
            "全市高新技术企业总数达到410家，技术合同成交额26亿元。",
            "二、主要目标",
            "全市高新技术企业总数达到460家。",
        ]
    )
    result = extract(text.encode("utf-8"), name="要点.txt")
    kinds = [(i["value"], i["kind"]) for item in result["items"] for i in item["indicators"]]
    assert kinds == [(410, "actual"), (26, "actual"), (460, "target")]


def test_an_estimate_in_a_report_of_the_year_is_its_result():
    ind = _one("预计全年实现技术合同成交额32亿元。", kind="actual", default_year=2025)
    assert ind.kind == "actual"
    ind = _one("预计全年实现技术合同成交额32亿元。", kind="target", default_year=2025)
    assert ind.kind == "target"
    ind = _one("预计2027年技术合同成交额达到40亿元。", kind="actual", default_year=2025)
    assert ind.kind == "target"


def test_a_ratio_to_last_years_figure_is_this_years():
    ind = _one("全市技术合同成交额是上年的1.4倍。", kind="actual", default_year=2025)
    assert (ind.subject, ind.year, ind.value) == ("技术合同成交额", 2025, 1.4)


def test_gong_jiancheng_is_a_total_not_part_of_the_thing():
    ind = _one("全市共建成院士专家工作站9个。", kind="actual", default_year=2025)
    assert (ind.subject, ind.measure) == ("院士专家工作站", "total")


def test_a_news_report_states_results():
    text = "\n".join(
        [
            "青溪：公开承诺事项推进有力",
            "作者：本报记者 林青 来源：青溪日报",
            "据悉，青溪市近年来累计公开承诺事项640件，兑现承诺603件。",
            "全市新建口袋公园12个，改造老旧小区38个。",
        ]
    )
    result = extract(text.encode("utf-8"), name="新闻.txt")
    kinds = {i["kind"] for item in result["items"] for i in item["indicators"]}
    assert kinds == {"actual"}


def test_a_masked_summary_year_is_the_year_before_the_plans():
    text = "\n".join(
        [
            "青溪县科技局202x年度工作总结及2026年度工作计划",
            "一、202x年度主要工作成效",
            "全县新增高新技术企业18家，技术合同成交额4.6亿元。",
        ]
    )
    result = extract(text.encode("utf-8"), name="总结.txt")
    assert result["document"]["year"] == 2025
    found = [(i["value"], i["year"], i["kind"]) for it in result["items"] for i in it["indicators"]]
    assert found == [(18, 2025, "actual"), (4.6, 2025, "actual")]


def test_a_goal_named_as_a_noun_before_a_comma_is_no_cue():
    text = "对照年初确定的工作目标，全市研发经费投入强度达到2.8%。"
    assert _one(text, kind="actual", default_year=2025).kind == "actual"
    assert _one("全年目标：研发经费投入强度达到2.8%。", kind="actual").kind == "target"


def test_the_figures_of_assigned_indicator_tasks_are_goals():
    text = "青溪市科技局承担的考核指标任务共三项，分别是发明专利授权量150件、技术合同成交额6亿元。"
    found = find_indicators(text, kind="actual", default_year=2025)
    assert [(i.value, i.kind) for i in found] == [(150, "target"), (6, "target")]


def test_a_completion_rate_of_the_target_is_measured_not_planned():
    ind = _one("全市目标任务完成率达到96%。", kind="actual", default_year=2025)
    assert (ind.kind, ind.value) == ("actual", 96)
