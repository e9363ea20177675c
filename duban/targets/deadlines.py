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

_FULL_DATE = re.compile(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?")
_YEAR_MONTH = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_QUARTER = re.compile(r"(?:(\d{4})\s*年\s*)?(?:第\s*)?([1-4一二三四])\s*季度")
_HALF = re.compile(r"(?:(\d{4})\s*年\s*)?([上下])半年")
_YEAR_END = re.compile(r"(?:(\d{4})\s*年\s*)?(?:年底|年末|年内|全年|年度)")
_YEAR_ONLY = re.compile(r"^\s*(\d{4})\s*年\s*$")


def _month_number(token: str) -> int:
    if token.isdigit():
        return int(token)
    if token.startswith("十"):
        return 10 + (_CN_DIGITS[token[1]] if len(token) > 1 else 0)
    return _CN_DIGITS[token]


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(text: str, default_year: int | None) -> datetime.date | None:
    """The date a printed deadline means, or None when it names no date."""
    text = re.sub(r"\s+", "", text or "")
    if not text:
        return None
    try:
        if m := _FULL_DATE.search(text):
            return datetime.date(int(m[1]), int(m[2]), int(m[3]))
        if (m := _MONTH_DAY.search(text)) and default_year:
            return datetime.date(default_year, int(m[1]), int(m[2]))
        if m := _YEAR_MONTH.search(text):
            year = int(m[1]) if m[1] else default_year
            month = _month_number(m[2])
            if year and 1 <= month <= 12:
                return _month_end(year, month)
        if m := _QUARTER.search(text):
            year = int(m[1]) if m[1] else default_year
            quarter = int(m[2]) if m[2].isdigit() else _CN_DIGITS[m[2]]
            if year:
                return _month_end(year, quarter * 3)
        if m := _HALF.search(text):
            year = int(m[1]) if m[1] else default_year
            if year:
                return _month_end(year, 6 if m[2] == "上" else 12)
        if m := _YEAR_END.search(text) or _YEAR_ONLY.match(text):
            year = int(m[1]) if m[1] else default_year
            if year:
                return datetime.date(year, 12, 31)
    except ValueError:
        return None
    return None
