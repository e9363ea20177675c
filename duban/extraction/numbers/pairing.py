"""Pairing: lists of values with lists of names ("A、B分别达到1700家、1200家"), and a cue
shared by a list ("拥有A 5家，B 6家")."""

from __future__ import annotations

import re
from functools import lru_cache

from .context import (
    _CLAUSE_REACH,
    _CLAUSE_SEP_RE,
    _FULL_STOP_RE,
    _PARAGRAPH_REACH,
    _Context,
    _finditer_from,
    _Hit,
    _last,
)
from .grammar import _MEASURE_CUE_RE, _MEASURE_CUE_START_RE, _RATIO_UNITS
from .subjects import (
    _BRACKETED_RE,
    _FENBIE_RE,
    _GENERIC_SUBJECTS,
    _INNER_BRACKET_RE,
    _LIST_JOIN_RE,
    _NAME_SPLIT_RE,
    _TAIL_VERBS_RE,
    _strip_affixes,
    _subject_before,
    _usable,
)

_BARE_NOUN_RE = re.compile(r"[\u4e00-\u9fffA-Za-z&()（）、]{2,24}")


def _share_cues(ctx: _Context, hits: list[_Hit]) -> None:
    """A cue shared by a list of "noun N unit" clauses ("拥有A 5家,B 6家,C 13家"): a count
    with no cue of its own, right after a counted total or increase, has its measure."""
    text = ctx.text
    shared = False  # the previous count is one of the list, its cue before its noun
    for previous, hit in zip(hits, hits[1:], strict=False):
        if not shared and previous.measure in ("total", "increase") and previous.unit:
            clause = ctx.start_of(_CLAUSE_SEP_RE, previous.num_start, _CLAUSE_REACH)
            cue = _last(_MEASURE_CUE_RE, text, clause, previous.start, _MEASURE_CUE_START_RE)
            shared = cue is not None and _is_bare_noun(text[cue.end() : previous.start])
        if (
            shared
            and hit.measure == "other"
            and hit.start == hit.num_start  # no comparator word of its own
            and hit.unit not in _RATIO_UNITS
            and previous.unit not in _RATIO_UNITS
            and hit.start > previous.end + 1
            and text[previous.end] in ",，、"
            and _is_bare_noun(text[previous.end + 1 : hit.start])
        ):
            hit.measure = previous.measure
        else:
            shared = False


@lru_cache(maxsize=4096)  # pure; a list repeats its nouns, a document its phrases
def _is_bare_noun(s: str) -> bool:
    """A noun phrase with no verb or cue in it ("众创空间", "工程(技术)中心")."""
    s = s.strip()
    return bool(
        _BARE_NOUN_RE.fullmatch(s)
        and next(_finditer_from(_MEASURE_CUE_START_RE, _MEASURE_CUE_RE, s, 0, len(s)), None) is None
        and not _TAIL_VERBS_RE.search(s)
        and _strip_affixes(s) == _BRACKETED_RE.sub("", _INNER_BRACKET_RE.sub(r"\1", s))
    )


def _list_groups(ctx: _Context, hits: list[_Hit]) -> list[list[_Hit]]:
    """Runs of numbers printed as one list ("1700家、1200家", "4.5%和16.0%")."""
    text, groups, i = ctx.text, [], 0
    while i < len(hits):
        j = i
        while j + 1 < len(hits) and _LIST_JOIN_RE.fullmatch(text, hits[j].end, hits[j + 1].start):
            j += 1
        groups.append(hits[i : j + 1])
        i = j + 1
    return groups


def _one_list(text: str, hits: list[_Hit]) -> bool:
    return all(
        _LIST_JOIN_RE.fullmatch(text, a.end, b.start) for a, b in zip(hits, hits[1:], strict=False)
    )


def _name_of(part: str) -> str:
    """One listed name without its affixes; a measure word keeps its verb (登记项数)."""
    name = _strip_affixes(part)
    if name in _GENERIC_SUBJECTS:
        with_verb = re.search(rf"[\u4e00-\u9fff]{{2}}{name}$", part.rstrip())
        if with_verb:
            return with_verb.group()
    return name


def _split_names(named: str, count: int) -> list[str] | None:
    """``count`` names from "A、B和C" (affixes stripped), or None when the list is not that."""
    parts = _NAME_SPLIT_RE.split(named)
    if len(parts) != count:
        return None
    names = [_usable(_name_of(n)) for n in parts]
    return names if all(names) else None  # type: ignore[return-value]


def _names_in_clauses_before(ctx: _Context, group: list[_Hit], sentence: int) -> list[str] | None:
    """The names a list of values goes with, printed in an earlier clause of the sentence:
    "技术开发、技术服务两类合同…领先，分别登记5896项、5216项", "前3名分别是A、B、C，增长率
    分别为…"."""
    text = ctx.text
    end = ctx.start_of(_CLAUSE_SEP_RE, group[0].num_start, _CLAUSE_REACH)
    for _ in range(3):
        if end <= sentence + 1:
            return None
        start = max(sentence, ctx.start_of(_CLAUSE_SEP_RE, end - 1, _CLAUSE_REACH))
        clause = text[start : end - 1]
        end = start
        lead = _NAMES_LEAD_RE.search(clause)
        if lead:
            clause = clause[lead.end() :]
        if "、" not in clause or _DIGIT_RE.search(clause):
            continue
        tail = _NAMES_TAIL_RE.search(clause, clause.rfind("、") + 1)
        if tail:
            clause = clause[: tail.start()]
        names = _split_names(clause, len(group))
        if names:
            return names
    return None


_DIGIT_RE = re.compile(r"[0-9]")
# what opens a list of names ("增速前3名分别是A、B、C") and what follows its last name
_NAMES_LEAD_RE = re.compile(r"^.*(?:分别是|分别为|依次为|依次是|包括)")
_NAMES_TAIL_RE = re.compile(
    r"[两二三四五六七八九十]+[类个项家种大]|等|均|分别|位居|位列|居|排名|排在|领先|遥遥|的"
)


def _pair_lists(ctx: _Context, hits: list[_Hit]) -> None:
    """Give each value of a list its own subject, in order: "A、B分别达到1700家、1200家",
    "A、B达6588家、6403家"; a list with no names of its own takes those of an earlier list of
    the same length in its sentence ("新增A 30家、B 50家，总数分别达到300家、500家",
    "…分别为M家、N家，分别增长x%、y%") or of a list of names before it. The values of a list
    share the measure of its first ("分别为551.43亿元、25.49亿元")."""
    text = ctx.text
    index = {id(h): i for i, h in enumerate(hits)}
    for group in _list_groups(ctx, hits):
        if len(group) < 2:
            continue
        first = group[0]
        clause = ctx.start_of(_CLAUSE_SEP_RE, first.num_start, _CLAUSE_REACH)
        sentence = ctx.start_of(_FULL_STOP_RE, first.num_start, _PARAGRAPH_REACH)
        fenbie = _FENBIE_RE.search(text, clause, first.start)
        before = text[clause : fenbie.start() if fenbie else first.subject_end]
        names = _split_names(_strip_affixes(before), len(group))
        if len({h.unit for h in group}) > 1:
            # values of different things ("3785万元,10个") pair only with names that 分别 gives
            # them ("成交额、登记项数分别为8.2亿元、260项")
            if fenbie and names:
                for hit, name in zip(group, names, strict=True):
                    hit.subject = name
                _share_measure(group)
            continue
        own = {h.subject for h in group} - {None}
        common = _subject_before(fenbie["mid"]) if fenbie and names is None else None
        if common:  # "分别获批财政资金1521万元和1602万元": a noun of their own
            names = [common] * len(group)
        if names is None and (fenbie or len(own) <= 1):
            at = index[id(first)]
            earlier = hits[max(0, at - len(group)) : at]
            subjects = [h.subject for h in earlier]
            if (
                len(earlier) == len(group)
                and earlier[0].start >= sentence
                and (len({h.unit for h in earlier}) == 1 or _one_list(text, earlier))
                and all(subjects)
                and len(set(subjects)) == len(group)
            ):
                noun = own.pop() if len(own) == 1 else None
                names = [
                    n + noun if noun and noun not in n and len(noun) <= 4 else n
                    for n in subjects  # type: ignore[operator]
                ]
            elif not own or len(next(iter(own))) <= 4:
                # a short noun of their own (成交额, 研发投入) goes with each name
                names = _names_in_clauses_before(ctx, group, sentence)
                noun = next(iter(own)) if own else None
                if names and noun:
                    names = [n if noun in n else n + noun for n in names]
        if names is not None:
            for hit, name in zip(group, names, strict=True):
                hit.subject = name
        _share_measure(group)


def _share_measure(group: list[_Hit]) -> None:
    first = group[0]
    ratio = first.unit in _RATIO_UNITS
    for hit in group[1:]:
        if (
            hit.measure == "other"
            and first.measure != "other"
            and (hit.unit in _RATIO_UNITS) == ratio
        ):
            hit.measure = first.measure
