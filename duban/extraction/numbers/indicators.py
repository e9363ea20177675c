"""``find_indicators``: scanning, subjects and pairing put together, with each number's kind,
hedge and year from the cues before it."""

from __future__ import annotations

import re

from .context import (
    _CLAUSE_REACH,
    _CLAUSE_SEP_RE,
    _FULL_STOP_RE,
    _PARAGRAPH_REACH,
    _PARAGRAPH_SEP_RE,
    _SENTENCE_REACH,
    _SENTENCE_SEP_RE,
    _Context,
    _Hit,
    _last,
    _matches_from,
)
from .grammar import _CUE_RE, _CUE_START_RE, _RATIO_UNITS, _YEAR_RE
from .lines import _join_broken_lines
from .model import KINDS, Indicator
from .pairing import _pair_lists, _share_cues
from .scanning import _counts_the_text_itself, _scan_indexes, _scan_quantities, _scan_ranks
from .subjects import (
    _NAME_SPLIT_RE,
    _complete_part_subjects,
    _inherit_subjects,
    _own_subject,
    _usable,
)
from .values import _CN, _FULLWIDTH, _FULLWIDTH_RE

# Every number the grammar reads holds an Arabic digit (ASCII or full-width) or a Chinese
# numeral: text with neither (most table cells: names, statuses, dates' words) has none.
_ANY_NUMERAL_RE = re.compile(f"[0-9\uff10-\uff19{_CN}]")


def _assign_subjects(ctx: _Context, hits: list[_Hit]) -> None:
    prev_end = 0
    for hit in hits:
        hit.subject = _own_subject(ctx, hit, prev_end)
        prev_end = hit.end
    # Lists, parts of a whole and shared cues take two numbers at least: a table cell or a
    # ledger's row most often holds one, and is spared the calls.
    several = len(hits) > 1
    if several:
        _pair_lists(ctx, hits)
    _inherit_subjects(ctx, hits)
    if several:
        _complete_part_subjects(ctx, hits)
        _share_cues(ctx, hits)


def find_indicators(
    text: str,
    *,
    kind: str = "target",
    default_year: int | None = None,
    offset: int = 0,
    now_year: int | None = None,
) -> list[Indicator]:
    """Every quantitative indicator in ``text``, in order of position.

    ``kind`` is the caller's default ("target" for a plan, "actual" for a report); a cue in the
    sentence overrides it per number. ``default_year`` is used when the text names no year (or
    says 年内/今年). Spans are offsets into ``text`` plus ``offset``.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    if not _ANY_NUMERAL_RE.search(text):
        return []
    norm = text.translate(_FULLWIDTH) if _FULLWIDTH_RE.search(text) else text
    norm, where = _join_broken_lines(norm)
    ctx = _Context(norm)
    ranks = _scan_ranks(ctx)
    hits = sorted(ranks + _scan_quantities(ctx, ranks) + _scan_indexes(ctx), key=lambda h: h.start)
    _assign_subjects(ctx, hits)
    hits = [h for h in hits if not _counts_the_text_itself(ctx.text, h)]

    out = []
    for hit in hits:
        cue_kind, hedge = _read_cues(ctx, hit.num_start)
        year = _year(ctx, hit.start, default_year, now_year or default_year)
        if cue_kind == "estimate":
            # 预计 in a report of a year estimates that year's result; in a plan, of another
            # year, or in an undated text, it is a goal.
            this_year = default_year is not None and year == default_year
            cue_kind = "actual" if kind == "actual" and this_year else "target"
        if (
            hedge is not None
            and kind == "actual"
            and hit.unit.endswith("元")
            and _WEAK_CUE_RE.fullmatch(hedge)
        ):
            # In a report, 争取上级资金1.2亿元 says what funds were obtained, not striven for.
            cue_kind = None
        if cue_kind is None and year is not None and default_year is not None:
            # No cue in the sentence: 去年/上年 names a result (a plan's review of last year); a
            # later year than the text's a goal (a summary's 2026年…). A printed earlier year
            # may still be a goal: a three-year plan's first year.
            if year < default_year and _named_relatively(ctx, hit.start):
                cue_kind = "actual"
            elif year > default_year:
                cue_kind = "target"
        out.extend(
            Indicator(
                subject=subject,
                kind=cue_kind or kind,
                measure=hit.measure,
                comparator=hit.comparator,
                value=hit.value,
                value_max=hit.value_max,
                unit=hit.unit,
                year=year,
                span=(
                    (hit.start + offset, hit.end + offset)
                    if where is None
                    else (where[hit.start] + offset, where[hit.end - 1] + 1 + offset)
                ),
                hedge=hedge,
                approximate=hit.approximate,
            )
            for subject in _each_subject(hit)
        )
    return out


def _each_subject(hit: _Hit) -> list[str | None]:
    """A rate or rank of a list of kinds is one of each ("A、B增长10%以上", "A、B位居前两位");
    a count of them is their sum ("新备案孵化器、众创空间5个以上")."""
    subject = hit.subject
    if subject and "、" in subject and (hit.unit in _RATIO_UNITS or hit.measure == "rank"):
        names = [_usable(n) for n in _NAME_SPLIT_RE.split(subject)]
        if all(names):
            return names  # type: ignore[return-value]
    return [subject]


def _read_cues(ctx: _Context, pos: int) -> tuple[str | None, str | None]:
    """(kind, hedge) from the cues before ``pos``; the nearest cue decides the kind."""
    sentence = ctx.start_of(_SENTENCE_SEP_RE, pos, _SENTENCE_REACH)
    clause = ctx.start_of(_CLAUSE_SEP_RE, pos, _CLAUSE_REACH)
    kind = hedge = None
    year_on_year = False
    for m in _cues(ctx.text, sentence, pos):
        group = m.lastgroup
        if group == "measured":
            continue
        if group in ("weak", "yoy") and m.start() < clause:
            continue
        if group == "yoy":
            year_on_year = True
            continue
        kind = "actual" if group == "actual" else "target"
        if group in ("hedge", "weak"):
            hedge = m.group()
        elif group == "target" and m.group() in ("预计", "预期"):
            kind = "estimate"
    if kind is None and year_on_year:
        kind = "actual"
    if kind is None and sentence > 0:
        # "截至目前，A达到310件；完成B 134件，…": an opening 截至/目前/已 reports the whole
        # sentence, over its semicolons.
        opening = ctx.start_of(_FULL_STOP_RE, pos, _PARAGRAPH_REACH)
        if opening < sentence and _REPORT_OPENING_RE.match(ctx.text, opening):
            kind = "actual"
        elif opening < sentence and _LATER_POINT_RE.match(ctx.text, sentence):
            kind = _kind_of_list_lead(ctx, opening, sentence)
    return kind, hedge


# A later point of a list (②, B., (2)) after a colon shares what the words before the colon
# say: "任务是：①收集…2条以上；②完成…1项" are both asked for.
_LATER_POINT_RE = re.compile(r"\s*(?:[\u2461-\u2473]|[B-Z][.．、]|[（(]?[2-9][)）])")
_COLON_RE = re.compile(r"[：:](?!\d)")


def _kind_of_list_lead(ctx: _Context, opening: int, sentence: int) -> str | None:
    colon = _last(_COLON_RE, ctx.text, opening, sentence)
    if colon is None:
        return None
    kind = None
    for m in _cues(ctx.text, opening, colon.start()):
        if m.lastgroup in ("target", "hedge"):
            kind = "target"
        elif m.lastgroup == "actual":
            kind = "actual"
    return kind


def _cues(text: str, start: int, end: int) -> list[re.Match[str]]:
    """``_CUE_RE.finditer(text, start, end)``, tried only where a cue's first character is:
    the same matches, without trying every cue at every character."""
    return _matches_from(_CUE_START_RE, _CUE_RE, text, start, end)


_REPORT_OPENING_RE = re.compile(r"[\s\u3000]*(?:截至|截止|目前|已)")
_TOPIC_LEAD_RE = re.compile(r"\s*(?:截至|截止|到|至|在|于|自|从)?\s*")


_WEAK_CUE_RE = re.compile(r"争取|努力")
_LAST_YEAR_RE = re.compile(r"(?<![比较与同是为于])(?:去|上一?)年(?![同末底初结])")


def _named_relatively(ctx: _Context, pos: int) -> bool:
    """Whether the number's sentence, or its paragraph's opening, dates it by 去年/上年 rather
    than by a printed year."""
    sentence = ctx.start_of(_FULL_STOP_RE, pos, _PARAGRAPH_REACH)
    if _LAST_YEAR_RE.search(ctx.text, sentence, pos) is not None:
        return True
    topic = _paragraph_topic(ctx, pos)
    return topic is not None and topic.group(1) != "今年"


# A paragraph that opens on a time ("会议指出，去年以来，…", "今年，…") dates the figures of
# its later sentences that name none.
_PARAGRAPH_TOPIC_RE = re.compile(
    r"[\s\u3000]*(?:[^，。；,;\n]{0,8}[，,：:])?[\s\u3000]*(去年|上一?年|今年|明年)"
    r"(?:以来|一年来|全年|度)?[，,]"
)


def _paragraph_topic(ctx: _Context, pos: int) -> re.Match[str] | None:
    paragraph = ctx.start_of(_PARAGRAPH_SEP_RE, pos, _PARAGRAPH_REACH)
    return _PARAGRAPH_TOPIC_RE.match(ctx.text, paragraph, pos)


def _topic_year(ctx: _Context, pos: int, default_year: int | None, now: int | None) -> int | None:
    topic = _paragraph_topic(ctx, pos) if now is not None else None
    if topic is None or topic.group(1) == "今年":
        return default_year
    return now + 1 if topic.group(1) == "明年" else now - 1


def _year_of(found: re.Match[str], default_year: int | None, now: int | None) -> int | None:
    """A printed year; 去年/明年 counted from the year the text is written in (a summary's
    plan section "2014年工作思路" of 2013 says 明年 for 2014); 今年/全年 the text's own."""
    if found.group(1) is not None:
        return int(found.group(1))
    if now is not None and found.group(2) is not None:
        return now - 1
    if now is not None and found.group(3) is not None:
        return now + 1
    return default_year


def _year(ctx: _Context, pos: int, default_year: int | None, now: int | None) -> int | None:
    """The year a number belongs to: a year named earlier in the number's own clause, or one
    that opens an earlier clause of its sentence as its topic ("2020年度，全市…；…2.79%").
    A year inside another clause ("被评为2020年度十大科技成果；6项成果…") names that clause's
    thing only. Found by jumping from one 年 back to the one before it, within the paragraph."""
    text = ctx.text
    paragraph = ctx.start_of(_PARAGRAPH_SEP_RE, pos, _PARAGRAPH_REACH)
    if text.rfind("年", paragraph, pos) < 0:
        return default_year  # every way of naming a year has a 年: none before the number
    clause = ctx.start_of(_CLAUSE_SEP_RE, pos, _PARAGRAPH_REACH)
    sentence = ctx.start_of(_FULL_STOP_RE, pos, _PARAGRAPH_REACH)
    end = pos
    while (i := text.rfind("年", paragraph, end)) >= 0:
        found = _last(_YEAR_RE, text, max(paragraph, i - 6), min(pos, i + 2))
        end = i
        if found is None or not found.start() <= i < found.end() or ctx.is_quoted(i):
            continue
        year = _year_of(found, default_year, now)
        if found.group() in ("全年", "当年", "年内"):
            # "会议指出，去年以来，…。全年新增…47个": the year of the paragraph's topic
            year = _topic_year(ctx, pos, default_year, now)
        if found.start() >= clause:
            return year
        if found.start() < sentence:
            return _topic_year(ctx, pos, default_year, now)
        opening = ctx.start_of(_CLAUSE_SEP_RE, found.start(), _CLAUSE_REACH)
        if _TOPIC_LEAD_RE.fullmatch(text, opening, found.start()):
            return year
    return _topic_year(ctx, pos, default_year, now)
