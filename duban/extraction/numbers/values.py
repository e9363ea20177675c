"""Numbers as printed: Arabic and Chinese numerals, exactly as an indicator holds them."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

# One-to-one replacements, so offsets into the normalised text are offsets into the original.
_FULLWIDTH = str.maketrans("０１２３４５６７８９％．～－＋／Ｘｘ＊", "0123456789%.~-+/Xx*")

_FULLWIDTH_RE = re.compile("[０-９％．～－＋／Ｘｘ＊]")

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_MAGNITUDE = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}
_CN = "零〇一二两三四五六七八九十百千万亿"

_ARABIC_WITH_MULT_RE = re.compile(r"([0-9]+(?:\.[0-9]+)?)([十百千万亿]*)")
_APPROX_AFFIX_RE = re.compile(r"^[近约]|[余多来]$")


def _parse_chinese_integer(s: str) -> int | None:
    """一百二十 -> 120, 两万 -> 20000, 二〇二〇 -> 2020; None for what is not a numeral (十四五)."""
    if all(c in _CN_DIGIT for c in s):
        if len(s) == 1:
            return _CN_DIGIT[s]
        if "零" in s or "〇" in s:  # digit by digit, as in years: 二〇二〇
            return int("".join(str(_CN_DIGIT[c]) for c in s))
        return None  # 三五 ("three or five") is not one number
    yi = 0  # the part already multiplied by 亿
    wan = 0  # the part already multiplied by 万
    section = 0  # below 万
    digit: int | None = None
    last_small = 10**5  # 十/百/千 must fall within a section: 一千二百, not 十百
    for ch in s:
        if ch in "零〇":
            if digit is not None:
                return None
        elif ch in _CN_DIGIT:
            if digit is not None:  # two digits in a row: 十四五
                return None
            digit = _CN_DIGIT[ch]
        elif ch in _CN_SMALL:
            unit = _CN_SMALL[ch]
            if unit >= last_small:
                return None
            section += (1 if digit is None else digit) * unit
            digit, last_small = None, unit
        elif ch == "万":
            if wan:
                return None
            wan = (section + (digit or 0) or 1) * 10**4
            section, digit, last_small = 0, None, 10**5
        else:  # 亿
            if yi:
                return None
            yi = (wan + section + (digit or 0) or 1) * 10**8
            wan, section, digit, last_small = 0, 0, None, 10**5
    return yi + wan + section + (digit or 0)


def parse_chinese_number(s: str) -> int | float | None:
    """Read a number as printed: "三" -> 3, "十余" -> 10, "一千二百" -> 1200, "两" -> 2,
    "1.2万" -> 12000, "1,200" -> 1200, "近千" -> 1000. Approximation words (近 约 余 多) are
    dropped; the caller records them. Returns None for anything that is not one number, and for
    a number no indicator can hold exactly (see ``_exact``)."""
    return _parse_number(s.translate(_FULLWIDTH))


# What Indicator.value (DecimalField(max_digits=20, decimal_places=4)) holds: at most 16 digits
# before the point and 4 after it. A fraction is given as a float, so it must also be one a
# double carries exactly, as printed: at most 15 significant digits (every such decimal is
# its float's shortest repr). Whole numbers are given as int, exact at any size.
MAX_WHOLE_DIGITS = 16
MAX_DECIMAL_PLACES = 4
MAX_FRACTION_DIGITS = 15


def _exact(number: str, magnitude: int = 0) -> int | float | None:
    """The decimal ``number`` ("1200", "47.13") times 10**magnitude, exactly: an int when whole,
    else a float that prints as the same decimal. None when it is beyond what an indicator
    holds (a 30-digit amount, five decimal places): such a number is text, not a value."""
    whole, _, fraction = number.partition(".")
    digits = (whole + fraction).lstrip("0")
    if not digits:
        return 0
    exponent = magnitude - len(fraction)
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    if len(stripped) + exponent > MAX_WHOLE_DIGITS or -exponent > MAX_DECIMAL_PLACES:
        return None
    if exponent >= 0:
        return int(stripped) * 10**exponent
    if len(stripped) > MAX_FRACTION_DIGITS:
        return None
    return float(Decimal(int(stripped)).scaleb(exponent))


@lru_cache(maxsize=4096)  # pure; a document repeats its figures
def _parse_number(s: str) -> int | float | None:
    """parse_chinese_number for text already passed through _FULLWIDTH."""
    s = _APPROX_AFFIX_RE.sub("", s.strip(" \t\u3000\u00a0").replace(",", "").replace(" ", ""))
    if not s:
        return None
    m = _ARABIC_WITH_MULT_RE.fullmatch(s)
    if m:
        magnitude = sum(len(str(_MAGNITUDE[ch])) - 1 for ch in m.group(2))
        return _exact(m.group(1), magnitude)
    if any(c not in _CN for c in s):
        return None
    n = _parse_chinese_integer(s)
    return None if n is None or n >= 10**MAX_WHOLE_DIGITS else n
