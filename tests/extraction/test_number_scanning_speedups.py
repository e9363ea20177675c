"""The shortcuts the numbers' grammar takes for speed find exactly what the plain patterns do."""

from re import _parser

from duban.extraction.numbers.context import _finditer_from
from duban.extraction.numbers.grammar import (
    _CUE_RE,
    _CUE_START_RE,
    _DASH,
    _DASH_STARTS,
    _MEASURE_CUE_RE,
    _MEASURE_CUE_START_RE,
    _NUMERAL_START_RE,
    _QUANTITY_LOOKBEHINDS,
    _QUANTITY_RE,
)
from duban.extraction.numbers.indicators import _cues
from duban.extraction.numbers.scanning import _next_quantity
from duban.extraction.numbers.values import _CN

TEXT = (
    "力争全市高新技术企业总数达到630家以上，新增省级以上创新平台15家；已累计完成投资1.2亿元，"
    "同比增长26.6%，居全省第3位。计划到2025年建成3—5家“示范”项目，预计新增一百二十项，"
    "拟实现产值约为３５０万元。截至目前，为全年目标任务的110.7%，争取努力争创10余项。"
    "第17、18件；1 2 0亿；G20；1,200人次；十万家；数十家，千家万户。"
)


def _first_characters(pattern) -> set[str]:
    def first(items, out):
        op, av = items[0]
        if op is _parser.SUBPATTERN:
            first(list(av[3]), out)
        elif op is _parser.BRANCH:
            for alternative in av[1]:
                first(list(alternative), out)
        elif op is _parser.LITERAL:
            out.add(chr(av))
        else:
            assert op is _parser.IN, op
            for kind, value in av:
                assert kind is _parser.LITERAL, kind
                out.add(chr(value))

    out: set[str] = set()
    first(list(_parser.parse(pattern.pattern)), out)
    return out


def test_cue_start_holds_every_cue_first_character():
    assert all(_CUE_START_RE.fullmatch(c) for c in _first_characters(_CUE_RE))


def test_cues_are_finditer():
    for start in range(len(TEXT)):
        for end in (len(TEXT), start + 7, start + 40):
            plain = [(m.span(), m.lastgroup) for m in _CUE_RE.finditer(TEXT, start, end)]
            assert [(m.span(), m.lastgroup) for m in _cues(TEXT, start, end)] == plain


def test_next_quantity_is_search():
    # The start's look-behinds are the quantity's own, so no quantity's start is skipped.
    widened = _QUANTITY_LOOKBEHINDS.replace(")", ".)")
    assert widened.count(".)") == _QUANTITY_LOOKBEHINDS.count("(?<!") == 4
    assert _NUMERAL_START_RE.pattern == "[0-9" + _CN + "]" + widened
    assert _QUANTITY_RE.pattern.lstrip().startswith(_QUANTITY_LOOKBEHINDS)
    for pos in range(len(TEXT) + 1):
        a, b = _QUANTITY_RE.search(TEXT, pos), _next_quantity(TEXT, pos)
        assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict()))


def test_skipping_ordinals_finds_the_numbers_after_them():
    """With ``ordinals=False`` the scan goes on from where refusing an ordinal's match would
    have taken it (the next character), and finds the same quantities after it."""
    text = TEXT + "第十四届；十四届三次全会；第123项新增5家"
    for pos in range(len(text) + 1):
        found = _QUANTITY_RE.search(text, pos)
        while found is not None and text[found.start() - 1 : found.start()] in ("第", "届"):
            found = _QUANTITY_RE.search(text, found.start() + 1)
        skipped = _next_quantity(text, pos, ordinals=False)
        assert (found and (found.span(), found.groupdict())) == (
            skipped and (skipped.span(), skipped.groupdict())
        )


def test_a_range_is_tried_only_before_a_dash():
    assert {alternative[0] for alternative in _DASH.split("|")} == set(_DASH_STARTS)
    for text in ("新增3-5家，达到10家", "达到10家，新增3-5家", "三至五家", "5家到10家", "12家"):
        for pos in range(len(text) + 1):
            a, b = _QUANTITY_RE.search(text, pos), _next_quantity(text, pos)
            assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict()))


def test_measure_cue_start_holds_every_first_character():
    assert all(_MEASURE_CUE_START_RE.fullmatch(c) for c in _first_characters(_MEASURE_CUE_RE))


def test_measure_cues_from_their_starts_are_finditer():
    text = TEXT + "公共服务平台共同建设；下达任务；总量达标；增加到5家，规模以上企业减少3家，降至2%"
    for start in range(len(text)):
        for end in (len(text), start + 5, start + 30):
            plain = [(m.span(), m.lastgroup) for m in _MEASURE_CUE_RE.finditer(text, start, end)]
            found = _finditer_from(_MEASURE_CUE_START_RE, _MEASURE_CUE_RE, text, start, end)
            assert [(m.span(), m.lastgroup) for m in found] == plain
