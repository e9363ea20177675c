"""Values in the cells of an indicator table."""

from __future__ import annotations

import re

from .grammar import (
    _DASH,
    _MULT,
    _NUM,
    _PERCENT_POINT_UNITS,
    _RATIO_UNITS,
    _SCALED_UNITS,
    _SUFFIX,
    _SUFFIX_COMPARATOR,
    _UNIT,
)
from .model import Indicator
from .values import _FULLWIDTH, _FULLWIDTH_RE, _parse_number

_CELL_VALUE_RE = re.compile(
    rf"""
    (?P<prefix>≥|>=|＞=|≤|<=|＞|>|＜|<|约|近|不低于|不少于|不超过|不高于|超过|突破|达到)?\s*
    (?P<num>{_NUM})(?:\s*(?P<mult>{_MULT}))?
    (?:\s*(?P<dash>{_DASH})\s*(?P<hi>{_NUM})(?:\s*(?P<hi_mult>{_MULT}))?)?
    \s*(?P<approx>余|多)?\s*(?P<unit>{_UNIT})?\s*(?P<suffix>{_SUFFIX})?
    """,
    re.VERBOSE,
)
_CELL_PREFIX = {
    "≥": ">=", ">=": ">=", "＞=": ">=", "不低于": ">=", "不少于": ">=", "≤": "<=", "<=": "<=",
    "不超过": "<=", "不高于": "<=", "＞": ">", ">": ">", "超过": ">", "突破": ">", "＜": "<",
    "<": "<", "约": "~", "近": "~", "达到": "=",
}  # fmt: skip
_NAME_GROWTH_RE = re.compile(r"增长|增速|增幅|增长率")
_NAME_SHARE_RE = re.compile(r"占比|比重|比例|强度|率")
_NAME_INCREASE_RE = re.compile(r"新增|净增|新认定|新建|新备案|新引进|新培育|增加")
_NAME_TOTAL_RE = re.compile(r"总数|总量|总额|累计|数量|保有量|规模")
_NAME_RANK_RE = re.compile(r"排名|位次|名次")


def measure_of_name(name: str, unit: str) -> str:
    """The measure an indicator's name implies (高新技术企业数量 total, 研发投入增速 growth)."""
    if _NAME_RANK_RE.search(name):
        return "rank"
    if unit in _PERCENT_POINT_UNITS:
        return "share"
    if unit in _RATIO_UNITS:
        return "growth" if _NAME_GROWTH_RE.search(name) else ("share" if unit == "%" else "other")
    if _NAME_INCREASE_RE.search(name):
        return "increase"
    if _NAME_TOTAL_RE.search(name):
        return "total"
    return "other"


def read_cell_value(
    text: str,
    *,
    unit: str,
    subject: str | None,
    kind: str,
    year: int | None,
    offset: int = 0,
) -> Indicator | None:
    """The one value of an indicator table's cell ("1500", "≥2.5%", "3-5", "约10亿元"), with
    the table's unit when the cell prints none. None when the cell holds anything else."""
    norm = text.translate(_FULLWIDTH) if _FULLWIDTH_RE.search(text) else text
    stripped = norm.strip()
    m = _CELL_VALUE_RE.fullmatch(stripped)
    if m is None or not m["num"]:
        return None
    lead = len(norm) - len(norm.lstrip())
    cell_unit = m["unit"] or ""
    shown_unit = cell_unit or unit
    scaled = cell_unit in _SCALED_UNITS and bool(m["mult"])
    if scaled:
        shown_unit = m["mult"] + cell_unit  # 约10亿元: the unit as printed is 亿元
    values = []
    for number, mult in ((m["num"], m["mult"]), (m["hi"], m["hi_mult"])):
        if number is None:
            continue
        value = _parse_number(number + ("" if scaled else mult or ""))
        if value is None:
            return None
        values.append(value)
    if len(values) == 2 and not values[0] < values[1]:
        return None
    if m["dash"]:
        comparator = "range"
    elif m["suffix"]:
        comparator = _SUFFIX_COMPARATOR[m["suffix"]]
    elif m["approx"]:
        comparator = ">="
    else:
        comparator = _CELL_PREFIX.get(m["prefix"] or "", "=")
    approximate = bool(m["approx"] or m["prefix"] in ("约", "近") or m["suffix"] == "左右")
    return Indicator(
        subject=subject,
        kind=kind,
        measure=measure_of_name(subject or "", shown_unit),
        comparator=comparator,
        value=values[0],
        value_max=values[1] if len(values) == 2 else None,
        unit=shown_unit,
        year=year,
        span=(offset + lead, offset + lead + len(stripped)),
        approximate=approximate,
    )
