"""Scanning: quantities, ranks and indexes found in the text, each with its comparator
and measure; what is no indicator (dates, item numbers, scoring rules, thresholds) is left."""

from __future__ import annotations

import re

from .context import _CLAUSE_REACH, _CLAUSE_SEP_RE, _Context, _Hit, _last, _matches_from
from .grammar import (
    _APPROX_PREFIXES,
    _AT_LEAST_VERB_RE,
    _BECAME_BEFORE_WEI,
    _DASH_STARTS,
    _MEASURE_CUE_RE,
    _MEASURE_CUE_START_RE,
    _MIRROR,
    _NAME_RE,
    _NUMERAL_START_RE,
    _ONE_CUE_RE,
    _PERCENT_POINT_UNITS,
    _PREFIX_COMPARATOR,
    _PREFIX_RE,
    _QUANTITY_RE,
    _RANK_RE,
    _RANK_SCOPE_RE,
    _RANK_VERB_RE,
    _RATIO_UNITS,
    _SCALED_UNITS,
    _SINGLE_QUANTITY_RE,
    _SUFFIX_COMPARATOR,
    _THRESHOLD_BEFORE_RE,
    _THRESHOLD_COUNTED_RE,
    _WEAK_UNIT_END_RE,
    _WEAK_UNITS,
)
from .subjects import _NAME_SPLIT_RE, _strip_affixes, _usable
from .values import _CN, _parse_number

# a share named after a growth in the same clause: "同比增长89.04%、占总成交额的93.43%"
_SHARE_CUE_RE = re.compile(r"占(?![领用地])|比重|占比|比例")


def _measure_for(unit: str, text: str, start: int, end: int) -> tuple[str, int]:
    """Measure and sign (+1, or -1 for a decrease) from the cues in text[start:end]."""
    cues = _matches_from(_MEASURE_CUE_START_RE, _MEASURE_CUE_RE, text, start, end)
    nearest = cues[-1].lastgroup if cues else None
    if unit in _PERCENT_POINT_UNITS:
        return "share", -1 if nearest == "decrease" else 1
    if unit in _RATIO_UNITS:
        change = [c for c in cues if c.lastgroup in ("growth", "decrease")]
        share = _last(_SHARE_CUE_RE, text, change[-1].end(), end) if change else None
        if change and not (unit in ("%", "成") and share):
            return "growth", -1 if change[-1].lastgroup == "decrease" else 1
        return ("share" if unit in ("%", "成") else "other"), 1
    if nearest in ("increase", "growth"):
        return "increase", 1
    if nearest == "decrease":
        return "increase", -1
    if nearest == "total":
        return "total", 1
    return "other", 1


def _signed_rate(text: str, ns: int, unit: str) -> int | None:
    """Where the sign of a signed rate ("(-4.5%)", "为-3.5%", "+6.1%") is, or None: a ``-``
    or ``+`` glued to a % or 个百分点 with no digit, letter or numeral before it (5-3%, G-5%)."""
    if ns == 0 or text[ns - 1] not in "-+−" or unit not in (*_RATIO_UNITS, *_PERCENT_POINT_UNITS):
        return None
    before = text[ns - 2 : ns - 1]
    if before and ((before.isascii() and before.isalnum()) or before in f"%.,{_CN}"):
        return None
    return ns - 1


def _cue_start(text: str, clause: int, ns: int) -> int:
    """Where the cues of a number's measure begin: its clause, but not before a bracket it is
    in nor before 其中 ("下降1.3%(其中发明专利授权2246件" is no fall of 2246 patents)."""
    start = clause
    for mark in ("(", "（", "其中"):
        i = text.rfind(mark, start, ns)
        if i >= 0:
            start = i + len(mark)
    return start


def _split_magnitude(number: str) -> tuple[str, str]:
    """'3亿' -> ('3', '亿'); '一千二百万' -> ('一千二百', '万'); '30' -> ('30', '')."""
    if number[:1] in "0123456789":
        core = number.rstrip("十百千万亿")
        return core, number[len(core) :]
    if len(number) > 1 and number[-1] in "万亿":
        return number[:-1], number[-1]
    return number, ""


def _scan_ranks(ctx: _Context) -> list[_Hit]:
    text, hits = ctx.text, []
    for m in _RANK_RE.finditer(text):
        start, end = m.span()
        if ctx.is_quoted(start):
            continue
        listed = _listed_names(text, end) if m["which"] == "前" and m["unit"] else None
        nxt = text[end : end + 1]
        if listed is None and nxt and ("\u4e00" <= nxt <= "\u9fff" or nxt.isdigit()):
            continue  # 第一批, 第3位院士, 前三季度
        value = _parse_number(m["num"])
        if value is None or value < 1 or value != int(value):
            continue
        clause = ctx.start_of(_CLAUSE_SEP_RE, start, _CLAUSE_REACH)
        verb = _RANK_VERB_RE.search(text, max(clause, start - 18), start)
        if verb is None and listed is None:
            verb = _RANK_SCOPE_RE.search(text, max(clause, start - 3), start)
            if verb is None or m["which"] != "第":
                continue
        hits.append(
            _Hit(
                start=start,
                end=end,
                num_start=m.start("num"),
                subject_end=verb.start() if verb else start,
                award=_usable(_strip_affixes(text[verb.end("verb") : start]))
                if verb and verb.lastgroup == "verb" and verb["verb"].startswith("获")
                else None,
                value=value,
                value_max=None,
                unit=m["unit"] or "",
                comparator="=" if m["which"] == "第" else "<=",
                approximate=False,
                measure="rank",
                listed=listed,
            )
        )
    return hits


# "增速前3名分别是A、B和C": the top places named after a rank with no verb
_LISTED_RE = re.compile(r"(?:分别是|分别为|依次是|依次为)([^，。；,;！？!?\n]{2,60})")


def _listed_names(text: str, end: int) -> str | None:
    m = _LISTED_RE.match(text, end)
    if m is None:
        return None
    names = [_usable(n) for n in _NAME_SPLIT_RE.split(m.group(1))]
    return "、".join(names) if len(names) >= 2 and all(names) else None  # type: ignore[arg-type]


# An index has no unit: "区域创新指数108.5", "综合指数为86.2".
_INDEX_RE = re.compile(
    r"指数(?P<cue>为|达到|达|是)?[ \u3000]{0,2}(?P<num>[0-9]+(?:\.[0-9]+)?)"
    r"(?![0-9.%％,，]?[0-9]|[ \u3000]*(?:[%％‰]|[\u4e00-\u9fff](?<![，。；、居位排较比同增上])))"
)


def _scan_indexes(ctx: _Context) -> list[_Hit]:
    text, hits = ctx.text, []
    for m in _INDEX_RE.finditer(text):
        if ctx.is_quoted(m.start()):
            continue
        value = _parse_number(m["num"])
        if value is None:
            continue
        start = m.start("cue") if m["cue"] else m.start("num")
        hits.append(
            _Hit(
                start=start,
                end=m.end(),
                num_start=m.start("num"),
                subject_end=m.start() + 2,
                value=value,
                value_max=None,
                unit="",
                comparator="=",
                approximate=False,
                measure="total" if m["cue"] in ("达到", "达", "为") else "other",
            )
        )
    return hits


def _scan_quantities(ctx: _Context, ranks: list[_Hit]) -> list[_Hit]:
    text, hits = ctx.text, []
    in_rank = bytearray(len(text) + 1)
    for h in ranks:
        in_rank[h.start : h.end] = b"\x01" * (h.end - h.start)
    pos = 0
    last_dash = _last_dash(ctx.reversed)
    while True:
        m = _next_quantity(text, pos, last_dash, ordinals=False)
        if m is None:
            return hits
        hit = _read_quantity(ctx, m, in_rank)
        if hit is None:
            pos = m.start() + 1
        else:
            hits.append(hit)
            pos = m.end()


def _next_quantity(
    text: str, pos: int, last_dash: int | None = None, ordinals: bool = True
) -> re.Match[str] | None:
    """``_QUANTITY_RE.search(text, pos)``, tried only where a numeral begins (every quantity
    does): the same leftmost match, without trying the whole pattern at every character, nor
    a range where no dash follows (``last_dash``: where the text's last dash is, -1 if none).
    ``ordinals=False``: nor right after an ordinal's mark (第3项, 十四届), where _read_quantity
    would refuse the match and the scan go on from the next character all the same."""
    if last_dash is None:
        last_dash = _last_dash(text[::-1])
    while (start := _NUMERAL_START_RE.search(text, pos)) is not None:
        at = start.start()
        if ordinals or text[at - 1 : at] not in _ORDINAL_MARKS:
            m = (_QUANTITY_RE if at < last_dash else _SINGLE_QUANTITY_RE).match(text, at)
            if m is not None:
                return m
        pos = at + 1
    return None


_DASH_START_RE = re.compile(f"[{_DASH_STARTS}]")


def _last_dash(reversed_text: str) -> int:
    """Where the last dash of a text is (-1 if none), from the text reversed: one search in
    C from the end, where eight calls of rfind cost more in a cell."""
    m = _DASH_START_RE.search(reversed_text)
    return len(reversed_text) - 1 - m.start() if m else -1


# "第17、18件": the numbers of listed items; "每增减5%加减0.5分", "超过5个以上计5分": the terms
# of a scoring rule; "五届二次全会", "人大三次会议": a session's number; "二次结构" a word.
_ITEM_LIST_RE = re.compile(
    r"第[0-9一二三四五六七八九十]+(?:[、，,][0-9一二三四五六七八九十]+)*[、，,和及与]$"
)
_RULE_BEFORE_RE = re.compile(r"每(?:增|减|提高|降低|超|多|少|下降|上升)[^，。；,;]{0,6}$")
_RULE_AFTER_RE = re.compile(r"[^，。；,;\n]{0,8}?(?:计|得|加|扣|减)[0-9.]+分")
_SESSION_RE = re.compile(r"届[^，。；,;\n]{0,6}$")
# "浏览710次", "阅读数: 1396": a web page's counter of its readers
_PAGE_COUNTER_RE = re.compile(r"(?:浏览|阅读|点击|访问)(?:次数|量|数)?\s*[:：]?\s*$")
# "权重各占50%": the weight of a part of an assessment's formula
_WEIGHT_RE = re.compile(r"权重[^，。；,;\n]{0,6}$")
# "含80名学生以上的教学点": a count inside a noun phrase says which schools are meant
_QUALIFYING_COUNT_RE = re.compile(
    r"[\u4e00-\u9fff]{1,4}(?:以上|及以上|以下)的(?!目标|任务|水平|要求)[\u4e00-\u9fff]"
)
# "增加值增长18%计5分": the rate an assessment asks for, with the points it earns; the rule is
# the tiers and steps around it ("每增(减)1个百分点加(减)0.2分", "超过5个以上计5分").
_GOAL_RATE_RE = re.compile(r"(?:增长|增速|增幅|达到|达)$")


def _is_threshold(text: str, ns: int, end: int) -> bool:
    before = text[max(0, ns - 10) : ns]
    if _THRESHOLD_COUNTED_RE.search(before):
        return True
    return (
        text.startswith("的", end)
        and not _GOAL_AFTER_RE.match(text, end)
        and bool(_THRESHOLD_BEFORE_RE.search(before))
    )


# "超过5亿元的目标": a figure aimed at or reached, not a threshold of a kind of thing
_GOAL_AFTER_RE = re.compile(r"的(?:目标|任务|基础|水平|要求|成绩|好成绩|记录|历史)")


def _not_a_count(text: str, ns: int, end: int, m: re.Match[str], prev: str, unit: str) -> bool:
    before = text[max(0, ns - 16) : ns]
    if _ITEM_LIST_RE.search(before) or _RULE_BEFORE_RE.search(before):
        return True
    if _PAGE_COUNTER_RE.search(before) or _WEIGHT_RE.search(before):
        return True
    if _QUALIFYING_COUNT_RE.match(text, end):
        return True
    if _RULE_AFTER_RE.match(text, end) and not (unit == "%" and _GOAL_RATE_RE.search(before)):
        return True
    if unit == "次" and (
        _SESSION_RE.search(before) or text.startswith("全会", end) or m["num"] == "二"
    ):
        return True
    # “蓝、黄、红”三单: a number naming a quoted list is part of the name
    return prev in "”》" and m["num"] is not None and not m["num"][0].isdigit()


# What makes the number right after it an ordinal (also refused further on, after a space).
_ORDINAL_MARKS = ("第", "届")


def _read_quantity(ctx: _Context, m: re.Match[str], in_rank: bytearray) -> _Hit | None:
    text = ctx.text
    ns, end = m.span()
    if text[ns - 1 : ns] in _ORDINAL_MARKS:
        return None  # 第3项, 十四届: the commonest number that counts nothing, refused first
    if ctx.is_quoted(ns) or 1 in in_rank[ns:end]:
        return None
    if _NAME_RE.match(text, ns):
        return None
    before = text[max(0, ns - 8) : ns]
    unit = m["unit"]
    sign_at = _signed_rate(text, ns, unit)
    if sign_at is not None:
        before = text[max(0, sign_at - 8) : sign_at]
    prev = before.rstrip(" \u3000\u00a0")[-1:]
    if prev in _ORDINAL_MARKS or (prev and prev in "+/#@&_*X×"):
        return None
    if prev.isascii() and prev.isalpha():
        return None  # G20, R2
    if text[end : end + 1] in ("+", "/"):
        return None
    if unit.endswith("亿") and not m[("lo" if m["dash"] else "num")][0].isdigit():
        return None  # 上亿, 十亿: a magnitude word; 120亿 and 1.6万亿 are amounts
    if prev == "前" and unit in ("位", "名"):
        return None  # a rank without its verb: leave it alone
    if _not_a_count(text, ns, end, m, prev, unit):
        return None
    if _is_threshold(text, ns, end):
        return None

    is_range = m["dash"] is not None
    numbers = (
        [m["lo"] + (m["lo_mult"] or ""), m["hi"] + (m["hi_mult"] or "")]
        if is_range
        else [m["num"] + (m["num_mult"] or "")]
    )
    prefix = _PREFIX_RE.search(before)
    prefix_word = prefix.group().rstrip(" \u3000\u00a0") if prefix else None

    if prev in ("数", "几") and numbers[0][0] in "十百千万亿":
        return None  # 数十家, 几百项: "dozens of", no number
    magnitude = ""
    values = []
    for number in numbers:
        if number[0] in "百千万亿" and prefix_word not in ("近", "上", "约", "逾"):
            return None  # 千家万户, 氢进万家: a bare magnitude is a word, not a count
        if unit in _SCALED_UNITS:
            number, magnitude = _split_magnitude(number)
            if not number:
                return None
        value = _parse_number(number)
        if value is None:
            return None
        values.append(value)
    if prefix_word == "上" and numbers[0][0] not in "百千万亿":
        prefix_word, prefix = None, None  # "以上3家": 上 only means "as many as" before 千/万
    if is_range and not values[0] < values[1]:
        return None
    if not is_range and numbers[0] == "一" and not prefix and not _ONE_CUE_RE.search(before):
        return None  # 一项重要举措, 一个中心
    unit = magnitude + unit

    clause = ctx.start_of(_CLAUSE_SEP_RE, ns, _CLAUSE_REACH)
    measure, sign = _measure_for(unit, text, _cue_start(text, clause, ns), ns)
    if sign_at is not None:
        # "(-4.5%)" beside a name, "增速为-3.5%": the printed sign says the direction.
        sign = -1 if text[sign_at] in "-−" else 1
        measure = "growth" if unit in _RATIO_UNITS else measure
        ns = sign_at
    if measure == "other" and prefix_word in ("为", "约为"):
        # "目标任务为1533万元" states a level; "明确为", "评为" name what a thing became.
        at = ns - len(before) + prefix.start()
        if text[at - 1 : at] not in _BECAME_BEFORE_WEI:
            measure = "total"
    if unit.endswith(_WEAK_UNITS) and not (
        prefix
        or m["suffix"]
        or _MEASURE_CUE_RE.search(text, clause, ns)
        or _WEAK_UNIT_END_RE.match(text, end)
    ):
        return None  # "230亩地建设规划": an area that names a place, not a measured one

    approx_word = m["approx"]
    suffix = m["suffix"]
    if unit == "成" and not approx_word and text.startswith(("多", "余"), end):
        approx_word, end = text[end], end + 1  # "增长7成多": 多 follows 成
    if is_range:
        comparator = "range"
    elif suffix:
        comparator = _SUFFIX_COMPARATOR[suffix]
    elif approx_word:
        comparator = ">="
    elif prefix_word in _PREFIX_COMPARATOR:
        comparator = _PREFIX_COMPARATOR[prefix_word]
    elif _AT_LEAST_VERB_RE.search(before):
        comparator = ">="  # "至少召开两次会议"
    else:
        comparator = "="
    approximate = bool(approx_word or suffix in ("左右", "上下") or prefix_word in _APPROX_PREFIXES)
    value, value_max = values[0], (values[1] if is_range else None)
    if sign < 0:
        comparator = _MIRROR[comparator]
        value, value_max = (-value_max, -value) if is_range else (-value, None)
    start = ns - (len(before) - prefix.start()) if prefix else ns
    return _Hit(
        start=start,
        end=end,
        num_start=ns,
        subject_end=start,
        value=value,
        value_max=value_max,
        unit=unit,
        comparator=comparator,
        approximate=approximate,
        measure=measure,
    )


_STRUCTURE_RE = re.compile(r"(?:方面|指标)$")


def _counts_the_text_itself(text: str, hit: _Hit) -> bool:
    """ "以下六个方面", "12项总体指标", "承担的四项任务", "以下两个之一": a count of the document's own parts,
    headings or assessment items, not of anything done."""
    subject = hit.subject or ""
    if hit.measure == "rank" or hit.unit not in ("个", "项", "条"):
        return False
    if _STRUCTURE_RE.search(subject):
        return True
    spelled = not text[hit.num_start].isdigit()
    listed_below = text[max(0, hit.num_start - 2) : hit.num_start] in ("以下", "如下")
    return spelled and hit.value <= 10 and ("任务" in subject or listed_below)
