import datetime
import re

import pytest

from duban.targets.deadlines import find_deadline_phrase, parse_deadline
from duban.targets.periods import Period, period_label


@pytest.mark.parametrize(
    "value,label,end",
    [
        ("2022", "2022年", datetime.date(2022, 12, 31)),
        ("2022-Q1", "2022年第一季度", datetime.date(2022, 3, 31)),
        ("2024-Q4", "2024年第四季度", datetime.date(2024, 12, 31)),
        ("2022-H1", "2022年上半年", datetime.date(2022, 6, 30)),
        ("2024-M02", "2024年2月", datetime.date(2024, 2, 29)),
    ],
)
def test_periods(value, label, end):
    period = Period.parse(value)
    assert str(period) == value
    assert period.label == label
    assert period.end_date == end


@pytest.mark.parametrize("value", ["", "2022Q1", "2022-Q5", "2022-M13", "二〇二二"])
def test_bad_periods_are_refused_in_chinese(value):
    with pytest.raises(ValueError, match="无法识别的期次"):
        Period.parse(value)
    assert period_label(value) == value


def test_quarters_of_a_year_and_quarter_of_a_day():
    assert [str(q) for q in Period.parse("2023").quarters()] == [
        "2023-Q1",
        "2023-Q2",
        "2023-Q3",
        "2023-Q4",
    ]
    assert Period.quarter_of(datetime.date(2023, 8, 1)) == Period(2023, "Q", 3)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("12月", datetime.date(2022, 12, 31)),
        ("12月底前", datetime.date(2022, 12, 31)),
        ("6月底", datetime.date(2022, 6, 30)),
        ("十一月", datetime.date(2022, 11, 30)),
        ("2023年3月", datetime.date(2023, 3, 31)),
        ("2022年9月30日", datetime.date(2022, 9, 30)),
        ("2022.9.30", datetime.date(2022, 9, 30)),
        ("6月30日前", datetime.date(2022, 6, 30)),
        ("一季度", datetime.date(2022, 3, 31)),
        ("第3季度", datetime.date(2022, 9, 30)),
        ("上半年", datetime.date(2022, 6, 30)),
        ("年底前", datetime.date(2022, 12, 31)),
        ("2023年", datetime.date(2023, 12, 31)),
        ("完成\n时限：12月", datetime.date(2022, 12, 31)),
    ],
)
def test_deadlines_that_name_a_date(text, expected):
    assert parse_deadline(text, 2022) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("年内", datetime.date(2022, 12, 31)),
        ("全年", datetime.date(2022, 12, 31)),
        ("年底", datetime.date(2022, 12, 31)),
        ("年末", datetime.date(2022, 12, 31)),
        ("今年底", datetime.date(2022, 12, 31)),
        ("明年底", datetime.date(2023, 12, 31)),
        ("12月底", datetime.date(2022, 12, 31)),
        ("6月底前", datetime.date(2022, 6, 30)),
        ("六月底前", datetime.date(2022, 6, 30)),
        ("2023年12月底", datetime.date(2023, 12, 31)),
        ("2023年底前", datetime.date(2023, 12, 31)),
        ("2023年年底", datetime.date(2023, 12, 31)),
        ("2023年内", datetime.date(2023, 12, 31)),
        ("2023年度", datetime.date(2023, 12, 31)),
        ("三季度末", datetime.date(2022, 9, 30)),
        ("第三季度", datetime.date(2022, 9, 30)),
        ("2023年一季度末前", datetime.date(2023, 3, 31)),
        ("下半年", datetime.date(2022, 12, 31)),
        ("年中", datetime.date(2022, 6, 30)),
        ("2023年中", datetime.date(2023, 6, 30)),
        ("9月30日前", datetime.date(2022, 9, 30)),
        ("明年3月", datetime.date(2023, 3, 31)),
        ("9月上旬", datetime.date(2022, 9, 10)),
        ("9月中旬", datetime.date(2022, 9, 20)),
        ("9月下旬", datetime.date(2022, 9, 30)),
        ("2月下旬", datetime.date(2022, 2, 28)),
        ("12月中下旬", datetime.date(2022, 12, 31)),
    ],
)
def test_deadlines_as_offices_print_them(text, expected):
    assert parse_deadline(text, 2022) == expected


@pytest.mark.parametrize(
    "text",
    [
        "持续推进",
        "长期",
        "长期坚持",
        "",
        "视情况而定",
        "2月30日",
        "2022年2月30日",
        "13月",
        "2022年13月",
        "0月",
        "13月底前",
        "9月32日",
    ],
)
def test_deadlines_that_name_no_date(text):
    assert parse_deadline(text, 2022) is None


def test_month_without_a_year_needs_the_targets_year():
    assert parse_deadline("12月", None) is None


@pytest.mark.parametrize("text", ["年底前", "6月底", "一季度", "9月中旬", "年中", "今年底"])
def test_a_year_named_only_by_the_target_needs_the_targets_year(text):
    assert parse_deadline(text, None) is None


# --- finding a deadline inside an item's text ----------------------------------------------


@pytest.mark.parametrize(
    "text,phrase",
    [
        ("年内科技型中小企业、高新技术企业分别达到1700家、1200家", "年内"),
        ("力争6月底前完成验收", "6月底前"),
        ("2023年12月底前建成", "2023年12月底前"),
        ("确保三季度末投入使用", "三季度末"),
        ("上半年完成评审", "上半年"),
        ("年底前", "年底前"),
        ("青溪市数字科技产业园一期工程于2023年底前全面建成", "2023年底前"),
        ("青溪实验室科研楼力争于9月30日前交付使用", "9月30日前"),
        ("争取10月底青溪科创中心主体结构全部完工", "10月底"),
        ("启动青溪市科技成果转化基金，12月完成首批项目投放", "12月"),
        ("9月中旬完成第一批科技特派员选派", "9月中旬"),
        ("确保下半年青溪智能制造创新中心挂牌运行", "下半年"),
        ("力争全年新认定市级重点实验室8家以上", "全年"),
        ("争取年内有1至2家企业进入上市辅导期", "年内"),
        ("明年6月底前完成二期工程验收", "明年6月底前"),
        ("今年底建成青溪科技大市场", "今年底"),
        ("年底建成投用", "年底"),
        ("第二季度末前完成中期评估", "第二季度末前"),
        ("2022年9月30日", "2022年9月30日"),
        ("\t12月\n", "12月"),
        ("6 月底前完成招标", "6 月底前"),
    ],
)
def test_a_deadline_found_in_an_items_text_as_printed(text, phrase):
    found = find_deadline_phrase(text)
    assert found == phrase
    assert parse_deadline(found, 2022) is not None


@pytest.mark.parametrize(
    "text",
    [
        "2021年12月，全市高新技术企业达到960家",
        "2020年全市科技工作要点",
        "第1季度目标",
        "“十四五”期间，青溪市研发投入强度年均提高0.2个百分点",
        "根据《关于下达2020年度科技计划的通知》（鲁科字〔2020〕11号）",
        "1至9月，全市技术合同成交额18.6亿元",
        "1-9月完成技术合同登记326项",
        "截至2021年底，青溪市共有省级以上创新平台85家",
        "截止到10月底，已走访企业260家",
        "2021年底，全市拥有科技型中小企业1130家",
        "较2021年末净增高新技术企业112家",
        "以2020年末常住人口为基数计算",
        "每季度末报送一次进展",
        "三年内建成青溪科学城",
        "5年内实现规模以上工业企业研发机构全覆盖",
        "上半年的工作成果得到市政府肯定",
        "2022年上半年科技工作总结",
        "上半年，全市科技创新工作稳中有进",
        "下半年工作打算",
        "全年共争取上级科技项目资金2.3亿元",
        "全年实现技术合同成交额21亿元",
        "全年新增省级工程技术研究中心6家",
        "制定全年工作计划",
        "10月27日，完成了项目申报和形式审查",
        "11月11日青溪实验室二期正式开工建设",
        "分别于3月9日和8月11日召开了两次推进会",
        "2021-2022年中央引导地方科技发展资金支持项目9个",
        "现将2022年上半年工作情况报告如下",
        "上半年前期准备工作已基本就绪",
        "3月至6月开展科技活动周",
        "持续推进",
        "",
    ],
)
def test_times_that_are_not_deadlines_are_not_found(text):
    assert find_deadline_phrase(text) is None


def test_the_first_deadline_after_a_narrative_date():
    text = "2021年12月，青溪科创中心主体封顶；力争6月底前完成内部装修，年底投入使用"
    assert find_deadline_phrase(text) == "6月底前"


def _found(text):
    """Deadline phrases found sentence by sentence (and line by line, as table cells are)."""
    return [p for s in re.split(r"[。；;\n]", text) if (p := find_deadline_phrase(s))]


def _phrases(path):
    return _found(path.read_text(encoding="utf-8"))


def _seed(seeds_dir, prefix):
    return next(seeds_dir.glob(f"{prefix}_*.txt"))


def test_seeds_the_commitments_deadline_cells_and_none_of_their_progress_dates(seeds_dir):
    # The progress cells are full of dated events and 截至…底 figures; only the 完成时限
    # cells state deadlines.
    found = _phrases(_seed(seeds_dir, "000"))
    assert found and set(found) == {"12月"}


def test_seeds_a_plans_hedged_years(seeds_dir):
    found = _phrases(_seed(seeds_dir, "001"))
    assert set(found) == {"全年", "年内"}
    assert found.count("全年") >= 4


def test_seeds_a_summarys_dates_are_not_deadlines_and_the_plans_are(seeds_dir):
    # The summary of the year gone dates its events (截至…年底, 全年共…, 全年新增…) and names
    # funds by years (…年中央…): none of those is found. Its 年内 ("during the year") reads as
    # a plan's does; telling a summary from a plan is the caller's, who knows the document.
    text = _seed(seeds_dir, "002").read_text(encoding="utf-8")
    summary = re.search(r"^\s*\d{4}年.{0,10}工作总结\s*$", text, re.M)
    plan = re.search(r"^\s*\d{4}年.{0,10}工作要点\s*$", text, re.M)
    assert plan.start() - summary.end() > 2000
    found = _found(text[summary.end() : plan.start()])
    assert set(found) <= {"年内"}
    found = _found(text[plan.end() :])
    assert set(found) == {"年内", "全年"} and found.count("年内") >= 4


def test_seeds_the_quarterly_table_gives_its_year_and_its_month_ends(seeds_dir):
    assert _phrases(_seed(seeds_dir, "003")) == ["年内", "6月底", "5月底"]
