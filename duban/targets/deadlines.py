"""Deadlines as offices print them (完成时限): a date when one can be read, else text.

"12月" in a 2022 table means the end of December 2022; "6月底前" the end of June;
"2022年9月30日" that day; "一季度" the end of March; "持续推进" and "长期" are no date at all
and are kept only as printed.
"""

import calendar
import datetime
import re

_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
# A year as printed before a month, quarter or half: 2023年, 今年/本年 (the target's year),
# 明年 (the next).
_YEAR = r"(?:(\d{4}|[今本明])\s*年\s*)?"
_MONTH = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月"

_FULL_DATE = re.compile(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?")
_MONTH_DAY = re.compile(_YEAR + r"(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_MONTH_PART = re.compile(_YEAR + _MONTH + r"\s*份?\s*([上中下]{1,2})旬")
_YEAR_MONTH = re.compile(_YEAR + _MONTH)
_QUARTER = re.compile(_YEAR + r"(?:第\s*)?([1-4一二三四])\s*季度")
_HALF = re.compile(_YEAR + r"([上下])半年")
# 2023年底, 今年底, 2023年年底, 年底: the year may share its 年 with 年底.
_MID_YEAR = re.compile(r"(?:(\d{4}|[今本明])\s*年?\s*)?年中")
_YEAR_END = re.compile(r"(?:(\d{4}|[今本明])\s*年?\s*)?(?:年底|年末|年内|全年|年度)")
_YEAR_ONLY = re.compile(r"^\s*(\d{4})\s*年\s*$")
# The day a part of a month (旬) ends: 上旬 the 10th, 中旬 the 20th, 下旬 the month's end.
_PART_DAY = {"上": 10, "中": 20}


def _month_number(token: str) -> int:
    if token.isdigit():
        return int(token)
    if token.startswith("十"):
        return 10 + (_CN_DIGITS[token[1]] if len(token) > 1 else 0)
    return _CN_DIGITS[token]


def _year(token: str | None, default_year: int | None) -> int | None:
    """The year a printed year token names: digits, 今/本 (the default year) or 明 (the next)."""
    if token is None or token in "今本":
        return default_year
    if token == "明":
        return default_year + 1 if default_year else None
    return int(token)


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(text: str, default_year: int | None) -> datetime.date | None:
    """The date a printed deadline means, or None when it names no date (持续推进, 长期)
    or none that exists (13月, 2月30日)."""
    text = re.sub(r"\s+", "", text or "")
    if not text:
        return None
    try:
        if m := _FULL_DATE.search(text):
            return datetime.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _MONTH_DAY.search(text):
            year = _year(m[1], default_year)
            return datetime.date(year, int(m[2]), int(m[3])) if year else None
        if m := _MONTH_PART.search(text):
            year = _year(m[1], default_year)
            if not year:
                return None
            month = _month_number(m[2])
            if day := _PART_DAY.get(m[3][-1]):
                return datetime.date(year, month, day)
            return _month_end(year, month)
        if m := _YEAR_MONTH.search(text):
            year = _year(m[1], default_year)
            return _month_end(year, _month_number(m[2])) if year else None
        if m := _QUARTER.search(text):
            year = _year(m[1], default_year)
            quarter = int(m[2]) if m[2].isdigit() else _CN_DIGITS[m[2]]
            return _month_end(year, quarter * 3) if year else None
        if m := _HALF.search(text):
            year = _year(m[1], default_year)
            return _month_end(year, 6 if m[2] == "上" else 12) if year else None
        if m := _MID_YEAR.search(text):
            year = _year(m[1], default_year)
            return datetime.date(year, 6, 30) if year else None
        if m := _YEAR_END.search(text) or _YEAR_ONLY.match(text):
            year = _year(m[1], default_year)
            return datetime.date(year, 12, 31) if year else None
    except (ValueError, KeyError):
        return None
    return None
