import datetime

import pytest

from duban.targets.deadlines import parse_deadline
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
