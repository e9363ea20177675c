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


# --- finding a deadline inside an item's text ----------------------------------------------

_BEFORE = r"(?:之前|以前|前)"
_NUMERAL_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月份?"
_YEAR_WORD = r"(?:(?:\d{4}|[今本明])\s*年\s*)?"
# The phrases a deadline is printed as, the longest at a position first. Each group names a
# kind: `before` ends in 前 and states a deadline by itself; `within` is 年内; the others state
# one only when the context says so (see `_states_deadline`).
_PHRASE = re.compile(
    "|".join(
        [
            rf"(?P<date>{_YEAR_WORD}{_NUMERAL_MONTH}\s*(?:3[01]|[12]\d|0?[1-9])\s*日)",
            rf"(?P<month_part>{_YEAR_WORD}{_NUMERAL_MONTH}\s*(?:底|末|[上中下]{{1,2}}旬))",
            rf"(?P<month>{_YEAR_WORD}{_NUMERAL_MONTH})",
            r"(?P<year_end>(?:\d{4}\s*年?|[今本明])?\s*年\s*(?:底|末))",
            r"(?P<within>(?:\d{4}\s*年?|[今本明])?\s*年\s*内)",
            rf"(?P<quarter>{_YEAR_WORD}(?:第\s*)?[1-4一二三四]\s*季度\s*(?:末|底)?)",
            rf"(?P<half>{_YEAR_WORD}[上下]半年\s*(?:末|底)?)",
            rf"(?P<whole_year>{_YEAR_WORD}全年)",
        ]
    )
)
# 前 that ends a time, not the start of 前期, 前列, 前沿, 前3位.
_AFTER_BEFORE = re.compile(r"\s*" + _BEFORE + r"(?![期列沿茅景提夕身往\d一二三四五六七八九十])")
_CELL_PUNCTUATION = " \t\r\n\u3000\xa0，。；、,.;:："
# Words that make a time a reference point, not a deadline: 截至10月底 (as of), 每季度末
# (every quarter); and, unless the time ends in 前, 较2023年末 (compared with), 自/从 (since),
# 以2015年末人口数 (based on), 1至9月 and 1-9月 (months counted for statistics).
_NEVER_AFTER = ("截至", "截止", "截至到", "截止到", "每")
_NOT_AFTER = ("较", "比", "自", "从", "以", "至", "—", "-", "－", "～", "~")
# 三年内, 5年内, 近年内, 半年内: a span of years, not this year.
_NOT_AFTER_WITHIN = ("近", "多", "几", "数", "两", "半", "当")
_NOT_BEFORE = ("以来", "的", "起", "开始", "至", "到", "—", "-", "～", "~", "以后", "之后", "后")
# What makes a bare time (6月底, 上半年) a deadline: a hedge before it (力争6月底, 确保三季度末)
# or the work it is due for right after it (12月完成, 年底建成), not in the past tense (完成了).
# 全年 needs the hedge: summaries say 全年实现… of the year gone.
_HEDGES = ("力争", "争取", "确保", "计划", "预计", "力求", "务必", "必须", "拟")
_HEDGE_LINK = ("于", "在", "到")
_ACTIONS = re.compile(
    r"\s*(?:全面|基本|全部|如期|按期|按时)?"
    r"(?:完成|建成|实现|投入使用|投入运行|投用|投产|竣工|完工|开工|启动|上线|验收|落地|出台"
    r"|印发|挂牌|交付|到位)(?!了)"
)


def _hedged(text: str, start: int) -> bool:
    before = text[max(0, start - 4) : start].rstrip()
    for link in _HEDGE_LINK:
        before = before.removesuffix(link)
    return before.endswith(_HEDGES)


def _states_deadline(text: str, match: re.Match, end: int, has_before: bool) -> bool:
    start, kind = match.start(), match.lastgroup
    preceding = text[:start].rstrip()
    if preceding.endswith(_NEVER_AFTER):
        return False
    if kind == "within":
        last = preceding[-1:]
        return not (last.isdigit() or last in _CN_DIGITS or last in _NOT_AFTER_WITHIN)
    if has_before:
        return True
    if preceding.endswith(_NOT_AFTER) or preceding[-1:].isdigit():
        return False
    if text[end:].lstrip().startswith(_NOT_BEFORE):
        return False
    if text.strip(_CELL_PUNCTUATION) == text[start:end] or _hedged(text, start):
        return True
    return kind != "whole_year" and bool(_ACTIONS.match(text, end))


def find_deadline_phrase(text: str) -> str | None:
    """The first phrase in an item's text that states the deadline of its work, exactly as
    printed, or None: "力争6月底前完成验收" gives "6月底前", "年内新增…" "年内".

    Precision comes first: a time counts when it ends in 前 (年底前, 9月30日前), is 年内, is
    hedged (力争/争取/确保…) or is followed by the work due (…完成/建成/实现/投入使用…), or is
    the whole text (a 完成时限 cell). Dates of past events (2021年12月，全市…; 截至2021年底),
    titles (2020年全市科技工作要点, 第1季度目标), statistics ranges (1至9月), plan names
    (十四五) and document numbers are not deadlines.
    """
    text = text or ""
    for match in _PHRASE.finditer(text):
        end = match.end()
        after = _AFTER_BEFORE.match(text, end)
        if after:
            end = after.end()
        if _states_deadline(text, match, end, has_before=after is not None):
            return text[match.start() : end]
    return None
