"""Rendering list counters the way Word (and browsers) print them: 1, 一, （一）, ①, a, iv …

``format_number(n, fmt)`` takes a WordprocessingML ``w:numFmt`` value; unknown formats fall back to
decimal, which is what Word shows for formats it cannot render either.
"""

from __future__ import annotations

_CN_DIGITS = "零一二三四五六七八九"
_CN_UNITS = ("", "十", "百", "千")
_TRADITIONAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_TRADITIONAL_UNITS = ("", "拾", "佰", "仟")
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


def chinese_counting(n: int, digits: str = _CN_DIGITS, units: tuple = _CN_UNITS) -> str:
    """一, 十, 十一, 二十, 一百零五 … for 0 <= n < 10000; larger numbers in decimal."""
    if n == 0:
        return digits[0]
    if n < 0 or n >= 10000:
        return str(n)
    out = []
    pending_zero = False
    for power in (3, 2, 1, 0):
        digit = n // 10**power % 10
        if digit == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append(digits[0])
            pending_zero = False
        out.append(digits[digit] + units[power])
    text = "".join(out)
    if digits is _CN_DIGITS and 10 <= n < 20:
        text = text[1:]  # 十一, not 一十一
    return text


def _letters(n: int) -> str:
    # Word repeats the letter: a … z, aa … zz, aaa …
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, numeral in _ROMAN:
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def _cycle(symbols: str, n: int) -> str:
    return symbols[(n - 1) % len(symbols)] if n > 0 else str(n)


def format_number(n: int, fmt: str | None) -> str:
    match fmt:
        case (
            "chineseCounting" | "chineseCountingThousand" | "japaneseCounting" | "taiwaneseCounting"
        ):
            return chinese_counting(n)
        case "chineseLegalSimplified" | "ideographLegalTraditional":
            return chinese_counting(n, _TRADITIONAL_DIGITS, _TRADITIONAL_UNITS)
        case "ideographTraditional":
            return _cycle(_HEAVENLY_STEMS, n)
        case "ideographZodiac":
            return _cycle(_EARTHLY_BRANCHES, n)
        case "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" | "ideographEnclosedCircle":
            return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
        case "decimalEnclosedParen":
            return chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})"
        case "decimalEnclosedFullstop":
            return chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}."
        case "decimalFullWidth" | "decimalFullWidth2":
            return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        case "decimalZero":
            return f"{n:02d}"
        case "lowerLetter":
            return _letters(n)
        case "upperLetter":
            return _letters(n).upper()
        case "lowerRoman":
            return _roman(n)
        case "upperRoman":
            return _roman(n).upper()
        case _:
            return str(n)
