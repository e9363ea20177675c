"""The number grammar: duban.extraction.numbers (pure Python, no database)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duban.extraction.numbers import Indicator, find_indicators, parse_chinese_number

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
NUMERAL_CHARS = set("0123456789０１２３４５６７８９零〇一二两三四五六七八九十百千万亿")


def only(text: str, **kwargs) -> Indicator:
    found = find_indicators(text, **kwargs)
    assert len(found) == 1, found
    return found[0]


def printed(text: str, ind: Indicator, offset: int = 0) -> str:
    return text[ind.span[0] - offset : ind.span[1] - offset]


# --- parse_chinese_number ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("s", "value"),
    [
        ("三", 3), ("十", 10), ("十五", 15), ("二十", 20), ("十余", 10), ("两", 2),
        ("一千二百", 1200), ("一百二十", 120), ("一百零五", 105), ("两万", 20000),
        ("三千五百万", 35_000_000), ("近千", 1000), ("千", 1000), ("二〇二〇", 2020),
        ("1027", 1027), ("47.13", 47.13), ("1,200", 1200), ("1.2万", 12000), ("3亿", 3e8),
        ("300余", 300), ("300多", 300), ("２０", 20),
    ],
)  # fmt: skip
def test_parse_chinese_number(s, value):
    assert parse_chinese_number(s) == value


@pytest.mark.parametrize("s", ["", "十四五", "三五", "十十", "X", "家", "1.2.3", "万万"])
def test_parse_chinese_number_rejects_what_is_not_one_number(s):
    assert parse_chinese_number(s) is None


def test_whole_values_are_ints_and_fractions_floats():
    ind = only("高新技术企业达到1260家")
    assert type(ind.value) is int and ind.value == 1260
    assert type(only("占比达到47.13%").value) is float


# --- values exact as printed, or no value ---------------------------------------------------


@pytest.mark.parametrize(
    ("s", "value"),
    [
        ("9999999999999999", 9999999999999999),  # 16 digits: the most Indicator.value holds
        ("9007199254740993", 9007199254740993),  # beyond a double's exact integers
        ("12345678901.2345", 12345678901.2345),
        ("1234567.8万", 12345678000),
        ("0.0001", 0.0001),
        ("000.50", 0.5),
    ],
)
def test_values_are_exact_as_printed(s, value):
    parsed = parse_chinese_number(s)
    assert parsed == value and type(parsed) is type(value)
    assert repr(parsed) == repr(value)


@pytest.mark.parametrize(
    "s",
    [
        "1" * 400,  # float() of it is inf: "value": Infinity is not JSON
        "1" * 30,  # a float rounds it silently
        "10000000000000000",  # 17 digits
        "1.23456",  # 5 decimal places
        "123456789012.3456",  # 16 significant digits in a fraction: a double rounds it
        "9999999999亿亿",
    ],
)
def test_absurd_numbers_are_not_values(s):
    assert parse_chinese_number(s) is None


@pytest.mark.parametrize("digits", [400, 30, 17])
def test_absurd_number_is_kept_as_text_not_an_indicator(digits):
    text = f"新增企业{'9' * digits}家，高新技术企业达到1260家"
    found = find_indicators(text)
    assert [(i.value, i.unit) for i in found] == [(1260, "家")]
    assert find_indicators(f"新增企业{'9' * digits}-{'9' * (digits + 1)}家") == []


# --- comparators ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "comparator", "value", "shown"),
    [
        ("科技特派员数量达到7000人", "=", 7000, "达到7000人"),
        ("技术合同成交额实现10亿元", "=", 10, "实现10亿元"),
        ("备案农科驿站20家以上", ">=", 20, "20家以上"),
        ("新增省级平台不低于15家", ">=", 15, "不低于15家"),
        ("建设市级共同体超过100家", ">", 100, "超过100家"),
        ("高新技术企业总数突破5300家", ">", 5300, "突破5300家"),
        ("孵化器超50家", ">", 50, "超50家"),
        ("实施重大科技创新工程100项左右", "~", 100, "100项左右"),
        ("培训科技人员约300人次", "~", 300, "约300人次"),
        ("项目数量控制在20项以内", "<=", 20, "控制在20项以内"),
        ("一般性支出不超过500万元", "<=", 500, "不超过500万元"),
        ("失信企业低于3家", "<", 3, "低于3家"),
    ],
)
def test_comparators(text, comparator, value, shown):
    ind = only(text)
    assert (ind.comparator, ind.value, printed(text, ind)) == (comparator, value, shown)


@pytest.mark.parametrize(
    ("text", "lo", "hi", "unit"),
    [
        ("新获批省重点实验室3-5个", 3, 5, "个"),
        ("布局建设3—5家省级临床医学研究中心", 3, 5, "家"),
        ("争创1-2家省级临床医学中心", 1, 2, "家"),
        ("建设3至5家标杆孵化器", 3, 5, "家"),
        ("建设3～5家标杆孵化器", 3, 5, "家"),
        ("建设三至五家标杆孵化器", 3, 5, "家"),
        ("建设3家至5家标杆孵化器", 3, 5, "家"),
        ("新获批省重点实验室 3-5 个", 3, 5, "个"),
    ],
)
def test_ranges(text, lo, hi, unit):
    ind = only(text)
    assert (ind.comparator, ind.value, ind.value_max, ind.unit) == ("range", lo, hi, unit)
    assert printed(text, ind).endswith(unit)


def test_value_max_only_for_ranges():
    assert only("新增3家").value_max is None


def test_a_range_must_rise():
    # "5-3家" is no range; only the number that carries the unit is read
    ind = only("建设5-3家")
    assert (ind.comparator, ind.value) == ("=", 3)


# --- measures ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "measure", "value", "unit"),
    [
        ("高新技术企业总数达到630家以上", "total", 630, "家"),
        ("全市高新技术企业总量达到1027家", "total", 1027, "家"),
        ("新增院士工作站100家", "increase", 100, "家"),
        ("净增高新技术企业100家以上", "increase", 100, "家"),
        ("高新技术企业再增2000家", "increase", 2000, "家"),
        ("较上年增加133家", "increase", 133, "家"),
        ("高新技术产业产值占比47.13%", "share", 47.13, "%"),
        ("研发投入占GDP比重达到2.5%", "share", 2.5, "%"),
        ("高新技术产业产值占比提高1个百分点", "share", 1, "个百分点"),
        ("技术合同成交额增长30%", "growth", 30, "%"),
        ("高新技术企业增幅46.09%", "growth", 46.09, "%"),
        ("营业收入同比增长53.22%", "growth", 53.22, "%"),
        ("居全省第3位", "rank", 3, "位"),
        ("投入财政科技经费1750万元", "other", 1750, "万元"),
    ],
)
def test_measures(text, measure, value, unit):
    ind = only(text)
    assert (ind.measure, ind.value, ind.unit) == (measure, value, unit)


def test_growth_with_a_floor():
    ind = only("营业收入增长15%以上")
    assert (ind.measure, ind.comparator, ind.value) == ("growth", ">=", 15)


def test_a_decrease_is_negative_and_mirrors_the_comparator():
    ind = only("研发投入占GDP比重较去年下降0.12个百分点")
    assert (ind.measure, ind.value, ind.unit) == ("share", -0.12, "个百分点")
    ind = only("单位能耗下降5%以上")
    assert (ind.measure, ind.comparator, ind.value) == ("growth", "<=", -5)


@pytest.mark.parametrize(
    ("text", "comparator", "value", "unit", "shown"),
    [
        ("贷款金额居全省第3位", "=", 3, "位", "第3位"),
        ("综合科技创新水平连续4年保持全省前3位次", "<=", 3, "位次", "前3位次"),
        ("力争进入前40位", "<=", 40, "位", "前40位"),
        ("区域创新能力继续保持全省前三位", "<=", 3, "位", "前三位"),
        ("同比增速26.8%，居全省第四。", "=", 4, "", "第四"),
    ],
)
def test_ranks(text, comparator, value, unit, shown):
    ranks = [i for i in find_indicators(text) if i.measure == "rank"]
    assert len(ranks) == 1
    ind = ranks[0]
    assert (ind.comparator, ind.value, ind.unit, printed(text, ind)) == (
        comparator,
        value,
        unit,
        shown,
    )


def test_a_rank_needs_a_rank_verb_and_is_not_an_ordinal():
    assert find_indicators("第3位专家作报告") == []
    assert find_indicators("印发第一批名单") == []
    assert find_indicators("前三季度完成") == []


def test_rank_without_subject_takes_the_subject_before_it():
    text = "全市研发经费投入102.64亿元，居全省第5位"
    money, rank = find_indicators(text)
    assert money.subject == "研发经费投入"
    assert (rank.measure, rank.value, rank.subject) == ("rank", 5, "研发经费投入")


# --- units ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("新增企业8家", 8, "家"), ("攻克技术难题100项", 100, "项"), ("建设工作站4个", 4, "个"),
        ("引进团队36人", 36, "人"), ("选派特派员7835名", 7835, "名"), ("申请专利20件", 20, "件"),
        ("举办培训8次", 8, "次"), ("培训农民1000人次", 1000, "人次"), ("举办沙龙20场", 20, "场"),
        ("共建高校3所", 3, "所"), ("争取资金2.5亿元", 2.5, "亿元"), ("兑现资金912万元", 912, "万元"),
        ("补助500元", 500, "元"), ("网办率达到100%", 100, "%"), ("比重提高4.6个百分点", 4.6, "个百分点"),
        ("孵化面积达到5000平方米", 5000, "平方米"), ("引进院士10位", 10, "位"),
        ("发放贷款368笔", 368, "笔"), ("申请创新券129单", 129, "单"), ("发放摘编1000册", 1000, "册"),
        ("新建海外工作站2处", 2, "处"), ("9部门联合印发", 9, "部门"),
    ],
)  # fmt: skip
def test_units(text, value, unit):
    ind = only(text)
    assert (ind.value, ind.unit) == (value, unit)
    assert printed(text, ind).startswith(("达到",) if text.count("达到") else ("",))


def test_full_width_digits_and_percent():
    text = "占比达到４５％"
    ind = only(text)
    assert (ind.value, ind.unit, printed(text, ind)) == (45, "%", "达到４５％")


def test_money_keeps_its_magnitude_in_the_unit():
    ind = only("投入2.5亿元")
    assert (ind.value, ind.unit) == (2.5, "亿元")
    ind = only("奖补资金1200万元")
    assert (ind.value, ind.unit, ind.subject) == (1200, "万元", "奖补资金")
    ind = only("扶持资金3亿余元")
    assert (ind.value, ind.unit, ind.comparator, ind.approximate) == (3, "亿元", ">=", True)
    ind = only("孵化面积达到 210 万平方米以上")
    assert (ind.value, ind.unit, ind.comparator) == (210, "万平方米", ">=")


def test_counts_multiply_their_magnitude():
    ind = only("培育科技型企业1.2万家")
    assert (ind.value, ind.unit) == (12000, "家")
    ind = only("开展线上培训指导服务10万余人次")
    assert (ind.value, ind.unit, ind.comparator, ind.approximate) == (100000, "人次", ">=", True)


def test_weak_units_need_a_cue():
    assert find_indicators("编制位于虎山片区230亩地建设规划") == []
    ind = only("新增高标准农田5万亩")
    assert (ind.value, ind.unit, ind.measure) == (5, "万亩", "increase")


# --- Chinese numerals and approximations ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator", "approximate"),
    [
        ("建设三家省实验室", 3, "家", "=", False),
        ("实施十余项重大工程", 10, "项", ">=", True),
        ("召开两个专题会议", 2, "个", "=", False),
        ("认定一百二十家企业", 120, "家", "=", False),
        ("组织实施10余项重大科技创新工程", 10, "项", ">=", True),
        ("对上争取项目100余项", 100, "项", ">=", True),
        ("发动300余家企业参与", 300, "家", ">=", True),
        ("服务企业300多家", 300, "家", ">=", True),
        ("引进20多名青年专家", 20, "名", ">=", True),
        ("服务企业近千家", 1000, "家", "~", True),
        ("惠及企业上千家", 1000, "家", ">=", True),
    ],
)
def test_chinese_numerals_and_approximations(text, value, unit, comparator, approximate):
    ind = only(text)
    assert (ind.value, ind.unit, ind.comparator, ind.approximate) == (
        value,
        unit,
        comparator,
        approximate,
    )


def test_a_lone_one_needs_a_cue():
    assert find_indicators("这是一项重要举措，打造一个中心") == []
    ind = only("新增一家省级平台")
    assert (ind.value, ind.measure) == (1, "increase")


# --- 分别: several subjects, several values --------------------------------------------------


def test_fenbie_distributes_values_over_subjects():
    text = "年内科技型中小企业、高新技术企业分别达到1700家、1200家。"
    first, second = find_indicators(text, default_year=2022)
    assert (first.subject, first.value, printed(text, first)) == (
        "科技型中小企业",
        1700,
        "达到1700家",
    )
    assert (second.subject, second.value, printed(text, second)) == ("高新技术企业", 1200, "1200家")
    assert first.year == second.year == 2022
    assert first.measure == second.measure == "total"


def test_fenbie_with_he_and_a_measure_word():
    text = "高新技术企业、科技型中小企业数量分别达到1260家和1700家"
    found = find_indicators(text)
    assert [(i.subject, i.value) for i in found] == [
        ("高新技术企业", 1260),
        ("科技型中小企业", 1700),
    ]


def test_fenbie_without_named_subjects_uses_the_common_noun():
    text = "相关项目获得立项，分别获批财政资金1521万元和1602万元"
    found = find_indicators(text)
    assert [(i.subject, i.value, i.unit) for i in found] == [
        ("财政资金", 1521, "万元"),
        ("财政资金", 1602, "万元"),
    ]


# --- subjects ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("全市高新技术企业总量达到1027家", "高新技术企业"),
        ("新增省级以上创新平台15家以上", "省级以上创新平台"),
        ("组织实施10余项重大科技创新工程", "重大科技创新工程"),
        ("力争国家科技型中小企业入库数量再增3000家", "国家科技型中小企业"),
        ("全省科技特派员数量达到7000人", "科技特派员"),
        ("全省选派科技特派员达到7835名", "科技特派员"),
        ("力争2020年净增高新技术企业100家以上", "高新技术企业"),
        ("研发投入占GDP比重为2.79%", "研发投入占GDP比重"),
        ("实施100项左右重大科技创新工程", "重大科技创新工程"),
        ("择优筛选出100个项目作为重大工程", "项目"),
        ("全市769家规模以上企业纳入统计范围", "规模以上企业"),
        ("争取备案“农科驿站”20 家以上", "农科驿站"),
        ("引进院士高层次团队 36 人", "院士高层次团队"),
    ],
)
def test_subjects(text, subject):
    assert only(text).subject == subject


def test_subject_is_none_when_unclear():
    assert only("争取总数突破5300家").subject is None


def test_growth_without_subject_takes_the_one_before_it_in_the_sentence():
    text = "2021年全市高新技术企业总量达到1027家，增幅46.09%。"
    total, growth = find_indicators(text)
    assert (total.measure, total.value, total.year) == ("total", 1027, 2021)
    assert (growth.measure, growth.value, growth.subject) == ("growth", 46.09, "高新技术企业")


# --- kind, hedge, year ------------------------------------------------------------------------


def test_kind_defaults_to_the_callers():
    assert only("新增8720家").kind == "target"
    assert only("新增8720家", kind="actual").kind == "actual"
    with pytest.raises(ValueError):
        find_indicators("新增8720家", kind="plan")


@pytest.mark.parametrize("cue", ["力争", "确保", "计划", "预计", "目标：", "争取"])
def test_target_cues_override_actual(cue):
    ind = only(f"{cue}新增高新技术企业100家", kind="actual")
    assert ind.kind == "target"


@pytest.mark.parametrize(
    "text", ["目前已建成省级平台30家", "截至目前，已对接意向人选70人次", "营业收入同比增长26.8%"]
)
def test_actual_cues_override_target(text):
    assert only(text, kind="target").kind == "actual"


def test_year_on_year_is_a_report_unless_the_sentence_names_a_target():
    assert only("力争营业收入同比增长10%", kind="actual").kind == "target"
    assert only("营业收入同比增长10%", kind="target").kind == "actual"


def test_the_nearest_cue_wins():
    text = "在已有1027家的基础上，力争达到1260家"
    have, want = find_indicators(text)
    assert (have.kind, want.kind) == ("actual", "target")


def test_hedges():
    assert only("力争高新技术企业达到1260家").hedge == "力争"
    assert only("确保新增省级以上孵化载体3家").hedge == "确保"
    assert only("争取新增上市高新技术企业6家").hedge == "争取"
    assert only("新增上市高新技术企业6家").hedge is None


def test_zhengqu_as_a_verb_is_no_hedge():
    text = "积极争取上级支持，共申请省创新券129单"
    ind = only(text, kind="actual")
    assert (ind.hedge, ind.kind) == (None, "actual")


def test_years():
    assert only("2020年度，国家科技型入库企业数量新增8720家", default_year=2021).year == 2020
    assert only("年内科技型中小企业达到1700家", default_year=2022).year == 2022
    assert only("科技型中小企业达到1700家", default_year=2022).year == 2022
    assert only("科技型中小企业达到1700家").year is None
    assert only("制定《2020年工作要点》，新增企业5家", default_year=2021).year == 2021


# --- spans ------------------------------------------------------------------------------------


def test_spans_point_into_the_original_text_plus_offset():
    text = "力争全年新增高新技术企业100家以上，总数达到630家以上。"
    found = find_indicators(text, offset=1000)
    assert [printed(text, i, 1000) for i in found] == ["100家以上", "达到630家以上"]


# --- what is not an indicator -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2022年",
        "2022年4月1日印发",
        "12月底前完成",
        "一季度",
        "第1季度目标",
        "鲁科字〔2020〕11号",
        "制定作战方案3.0版",
        "1.推进山东能源研究院规范化建设",
        "2. 完成评审",
        "（一）加强组织领导",
        "第一，加强领导",
        "经第33次厅党组会审议通过",
        "第二届新材料产业博览会",
        "理事会一届三次会议",
        "编制“十四五”科技创新规划",
        "十四五规划",
        "“十三五”规划收官之年",
        "基本形成“1+30+N”创新体系",
        "基本形成1+30+N创新体系",
        "构建1+N+2科技创新体系",
        "实施“双培育”工程",
        "做到“两个维护”",
        "增强四个意识，做到两个维护",
        "落实中央八项规定精神",
        "联系方式：3179657",
        "联系电话：0533-2186688",
        "新增X家",
        "新增**家",
        "新增×家",
        "完成XX项",
        "实施“百城百园”行动",
        "实施“100%覆盖”工程",
        "印发《关于提高30%补助标准的通知》",
        "办理时限由10个工作日缩短为5个工作日",
        "3个月内完成",
        "推进“氢进万家”科技示范工程",
        "送到千家万户",
        "采取1/3基层的工作方式",
        "服务数十家企业",
        "引进几百项成果",
        "推进5G网络建设",
    ],
)
def test_not_indicators(text):
    assert find_indicators(text) == []


# --- the seeds' own constructions -------------------------------------------------------------


def test_promise_and_report_from_the_commitments():
    target = only("力争国家科技型中小企业入库数量再增3000家", kind="actual")
    actual = only("2020年度，国家科技型入库企业数量新增8720家", kind="actual")
    assert (target.kind, target.measure, target.value) == ("target", "increase", 3000)
    assert (actual.kind, actual.measure, actual.value, actual.year) == (
        "actual",
        "increase",
        8720,
        2020,
    )


def test_people_as_ren_and_ming():
    promise = only("全省科技特派员数量达到7000人")
    report = only("全省选派科技特派员达到7835名")
    assert (promise.value, promise.unit, report.value, report.unit) == (7000, "人", 7835, "名")
    assert promise.subject == report.subject == "科技特派员"


def test_range_promise_and_count_report():
    promise = only("布局建设3—5家省级临床医学研究中心")
    report = find_indicators("新布局建设了骨科、耳鼻喉专科等4个省级临床医学研究中心")[-1]
    assert (promise.value, promise.value_max, promise.unit) == (3, 5, "家")
    assert (report.value, report.unit, report.measure) == (4, "个", "increase")
    assert promise.subject == report.subject == "省级临床医学研究中心"


def test_about_a_hundred_against_a_hundred_projects():
    promise = only("实施100项左右重大科技创新工程")
    report = only("择优筛选出100个项目作为重大工程拟立项支持项目")
    assert (promise.comparator, promise.approximate, promise.unit) == ("~", True, "项")
    assert (report.comparator, report.value, report.unit) == ("=", 100, "个")


def test_progress_percentages_and_money():
    text = "外装和内部安装已完成70%，精装修已完成30%。"
    found = find_indicators(text, kind="target")
    assert [(i.value, i.unit, i.kind, i.subject) for i in found] == [
        (70, "%", "actual", "外装和内部安装"),
        (30, "%", "actual", "精装修"),
    ]


def test_a_summary_paragraph():
    text = (
        "金融机构共为科技型中小企业发放科技成果转化贷款368笔,居全省第3位,"
        "贷款金额12.94亿元,居全省第4位。"
    )
    found = find_indicators(text, kind="actual", default_year=2021)
    assert [(i.measure, i.value, i.unit) for i in found] == [
        ("total", 368, "笔"),
        ("rank", 3, "位"),
        ("other", 12.94, "亿元"),
        ("rank", 4, "位"),
    ]
    assert found[1].subject == "科技成果转化贷款"
    assert found[3].subject == "贷款金额"


def test_a_plan_paragraph():
    text = "力争新获批省重点实验室 3-5 个、省级技术创新中心 1 个，新增省级以上平台 60 个以上。"
    found = find_indicators(text, default_year=2020)
    assert [(i.subject, i.measure, i.comparator, i.value) for i in found] == [
        ("省重点实验室", "increase", "range", 3),
        ("省级技术创新中心", "increase", "=", 1),
        ("省级以上平台", "increase", ">=", 60),
    ]
    assert all(i.hedge == "力争" and i.kind == "target" for i in found)


@pytest.fixture(scope="module")
def seed_texts():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the checkout")
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


def test_seeds_spans_and_key_values(seed_texts):
    values = {}
    for name, text in seed_texts.items():
        found = find_indicators(text, kind="actual")
        for ind in found:
            shown = text[ind.span[0] : ind.span[1]]
            assert NUMERAL_CHARS & set(shown), shown
            assert "年" not in shown and "号" not in shown and "第3" + "3" not in shown
        values[name] = {(i.subject, i.value, i.unit) for i in found}
    assert ("高新技术企业", 1027, "家") in values["002"]
    assert ("科技型中小企业", 1700, "家") in values["003"]
    assert ("高新技术企业", 1200, "家") in values["003"]
    assert ("省级以上创新平台", 15, "家") in values["003"]
    assert ("高新技术企业", 1260, "家") in values["002"]
    assert ("科技特派员", 7835, "名") in values["000"]
    assert ("高新技术企业", 630, "家") in values["001"]


def test_seeds_are_fast(seed_texts):
    texts = list(seed_texts.values())
    find_indicators(texts[0])  # warm up
    started = time.perf_counter()
    for text in texts:
        find_indicators(text)
    assert time.perf_counter() - started < 0.5  # about 0.02 s on a laptop; generous for CI


# --- properties -------------------------------------------------------------------------------

GRAMMAR_CHARS = list(
    "0123456789０５.,-—～至到一二两三十百千万亿余多近约上家项个人名次%％元以下左右达到超过不低于"
    "新增净增第前位居全省，。、；：分别和X*×年月日号“”《》+/ \n\t"
)


def check(text: str, offset: int) -> None:
    for ind in find_indicators(text, offset=offset, default_year=2022):
        start, end = ind.span
        assert offset <= start < end <= offset + len(text)
        assert NUMERAL_CHARS & set(text[start - offset : end - offset])
        assert (ind.value_max is not None) == (ind.comparator == "range")
        assert ind.comparator in (">=", ">", "=", "~", "<=", "<", "range")
        assert ind.measure in ("total", "increase", "share", "growth", "rank", "other")
        assert ind.kind in ("target", "actual")


@settings(max_examples=300, deadline=None)
@given(st.text(), st.integers(min_value=0, max_value=10_000))
def test_never_raises_on_arbitrary_text(text, offset):
    check(text, offset)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(GRAMMAR_CHARS), max_size=60), st.integers(0, 50))
def test_never_raises_on_grammar_soup(text, offset):
    check(text, offset)
