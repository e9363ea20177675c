"""Items from prose: work plans and summaries written as headings and numbered paragraphs.

    2022年全市科技工作要点            a part (a document may hold several: a summary, then a plan)
    一、…                              level 1: a heading (or an item, when it is a paragraph)
    （一）…                            level 2: a sub-heading (or an item)
    1.推进…。一是…。二是…。            level 3: an item, with its sub-points 一是 二是 …
    （1）… ①…                          level 4: a sub-item
    主要工作目标：…                    an unnumbered paragraph that sets numbers: an item too

A number is read from the paragraph's own characters or, for Word and web lists, from the
automatic number the container rendered (``Paragraph.numbering``). Each numbered paragraph
becomes a child of the nearest open paragraph of an outer level, so numbering that restarts in
each section and numbering that runs through the document read the same, and a level may be
skipped. A short numbered line that reads as a title is a heading; unnumbered paragraphs after a
heading are its body, after an item its continuation. A heading style without a number
(``Heading 2: 总体要求``) opens a heading too.

An item's ``number`` is printed apart from its ``text``: the span starts after the number.
Words broken across lines or pages by PDF conversion are joined in the item's text, while its
span still covers the characters as printed.
"""

import re
from dataclasses import dataclass

from ..blocks import Paragraph
from ..document import MASKED_SUMMARY_THEN_PLAN
from ..items import Item, clean_text
from ..numbers import find_indicators
from .labels import bracketed_labels, line_fields, set_label_fields

_CN = "一二三四五六七八九十"
_MARKUP = r"[#>*\s]*"
_PART = re.compile(
    rf"^{_MARKUP}(?:关于印发)?[^，。；：:]{{0,30}}?((?:19|20)\d{{2}})\s*年[^，。；]{{0,30}}?"
    r"(总结|要点|计划|方案|安排|任务|清单|报告)[》」]?\s*\**\s*$"
)
# Numbering styles by level, outermost first: (level, pattern, how the number is printed).
_NUMBERINGS = (
    (1, re.compile(rf"^{_MARKUP}(第[{_CN}]{{1,3}}[章部篇])\s*[、．.：:]?\s*\**"), "{}"),
    # not an enumeration of ordinals ("一、二、三、四季度分别完成…")
    (1, re.compile(rf"^{_MARKUP}([{_CN}]{{1,3}})\s*[、．.](?![{_CN}]{{1,2}}[、，,])\s*\**"), "{}"),
    (2, re.compile(rf"^{_MARKUP}[（(]([{_CN}]{{1,3}})[)）]\s*[、．.]?\s*\**"), "（{}）"),
    (3, re.compile(rf"^{_MARKUP}(\d{{1,3}})\s*[.．、](?!\d)\s*\**"), "{}"),
    (4, re.compile(rf"^{_MARKUP}[（(](\d{{1,3}})[)）]\s*\**"), "（{}）"),
    (4, re.compile(rf"^{_MARKUP}(\d{{1,3}})[)）]\s*\**"), "（{}）"),
    (4, re.compile(rf"^{_MARKUP}([\u2460-\u2473])\s*[、．.]?\s*\**"), "{}"),
    # 目标1：科技投入 / 任务二：… / 承诺事项三：… in a responsibility book or commitments list
    (
        3,
        re.compile(rf"^{_MARKUP}(?:目标|任务|承诺事项|事项)\s*([0-9{_CN}]{{1,3}})\s*[:：]\s*"),
        "{}",
    ),
)
_POINT = re.compile(rf"(?:^|(?<=[。；;：:！\s]))([{_CN}]{{1,3}})是")
_LEAD = re.compile(
    r"^[#>*\s]*(主要(工作)?目标|总体目标|工作目标|发展目标|目标任务|预期目标|主要指标)\**\s*"
    r"(?:[:：]|是[:：]?)"
)
_TITLE_SENTENCE = re.compile(r"^(.{2,40}?)[。：:；;]")
_SENTENCE_INSIDE = re.compile(r"[。；;！？][^\s*]")
_NOTICE = re.compile(r"^(关于|各(区|县|市|有关)|现将|特此|附件)")
# What ends the body of the last item: a signature (the issuer's name, the date) or appendices.
_END_OF_BODY = re.compile(
    r"^(?:[\u4e00-\u9fff（）()]{2,30}(?:局|厅|委员会|委|政府|办公室)"
    r"|(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|附件\s*\d*\s*[:：]?.*)$"
)
_EDGE_MARKUP = " \t\n\u3000*#>"
MAX_HEADING_LENGTH = 60
_FIGURE_WINDOW = 2000
_FIGURE_OVERLAP = 100
MAX_PART_LENGTH = 60

SUMMARY_WORDS = ("总结", "报告", "完成情况")
# A section heading that names a year's review or a year's plan ("一、2023年工作完成情况",
# "三、2024年工作打算") divides a document as a part title does.
_SECTION_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_SECTION_SUMMARY = re.compile(r"总结|完成情况|开展情况|工作情况|主要成效|工作成效|回顾|成绩")
_SECTION_PLAN = re.compile(r"打算|计划|思路|安排|要点|重点(工作|任务)|目标任务|工作任务")
# Without a year, a level-1 heading still says whether its figures were reached or are to be:
# a plan's review of the last period reports them; a summary's next steps, and a bulletin's list
# of lagging tasks, name targets.
_SECTION_REVIEW = re.compile(
    r"回顾|主要成效|工作成效|主要成绩|取得的成[绩效]|完成情况|进展情况|总体情况|发展基础|"
    r"发展现状|基本情况|工作基础|现实基础|发展成就|取得成效|工作亮点|主要做法"
)
# A section that lists tasks of one status: 二、进度滞后的主要事项, （三）已办结事项
_STATUS_HEADING = re.compile(
    r"^(进度滞后|进展滞后|推进滞后|未完成|已完成|已办结|正在办理|超进度|达进度)的?(?:主要|重点)?"
    r"(?:事项|任务|工作|项目)?$"
)
_SECTION_TARGETS = re.compile(
    r"滞后|未完成|未达|进展缓慢|打算|下一步|下步|下半年|计划|思路|主要目标|目标任务|发展目标"
)


def part_genre(title: str) -> str:
    return "summary" if any(w in title for w in SUMMARY_WORDS) else "plan"


def _strip_markup(text: str) -> str:
    return re.sub(r"^[#>\s]*|\*\*", "", text).strip()


@dataclass
class _Numbered:
    level: int
    number: str
    body_offset: int  # where the text after the number starts, in the paragraph's text


def numbering_of(text: str, label: str | None = None) -> _Numbered | None:
    """The numbering level and printed number of a paragraph: from the automatic ``label``
    a container rendered, else from the paragraph's own first characters."""
    if label:
        for level, pattern, shown in _NUMBERINGS:
            if m := pattern.match(label.strip()):
                return _Numbered(level, shown.format(m.group(1)), 0)
        return _Numbered(3, label.strip().rstrip(".．、)）"), 0)
    for level, pattern, shown in _NUMBERINGS:
        if m := pattern.match(text):
            return _Numbered(level, shown.format(m.group(1)), m.end())
    return None


def prose_items(
    paragraphs: list[Paragraph],
    text: str,
    *,
    year: int | None,
    genre: str,
    kind: str | None = None,
) -> list[Item]:
    """``kind``: what the document's figures are by default (``actual`` for a report of
    results, ``target`` for a plan); by default a summary's are actual, all others targets."""
    builder = _Builder(text, year, genre, kind)
    for paragraph in paragraphs:
        builder.feed(paragraph)
    builder.close_all()
    # Sub-points are found when their item closes, after its numbered children: put every item
    # back in the order of the text.
    return sorted(builder.items, key=lambda item: item.span[0])


class _Builder:
    """Reads paragraphs in order, keeping the open item of every level in ``stack``."""

    def __init__(self, text: str, year: int | None, genre: str, kind: str | None = None):
        self.text = text
        self.default_kind = kind or ("actual" if genre == "summary" else "target")
        self.kind_section: str | None = None  # the kind a level-1 heading without a year names
        self.kinds: dict[int, str] = {}  # id(item) -> the kind of its figures
        self.year = year
        self.genre = genre
        self.items: list[Item] = []
        self.title_ends: dict[int, int] = {}  # id(heading) -> end of its title line
        self.part: Item | None = None
        self.part_year = year
        self.section: tuple[str, int] | None = None  # (genre, year) named by a level-1 heading
        self.stack: list[tuple[int, Item]] = []  # (level, item), outermost first
        # the status a level-1 heading gives the tasks under it (二、进度滞后的主要事项)
        self.status_section: tuple[str, tuple[int, int]] | None = None  # (status, heading span)
        self.statuses: dict[int, tuple[str, tuple[int, int]]] = {}  # id(item) -> its section's

    # --- helpers ------------------------------------------------------------------------

    def _trim(self, start: int, end: int) -> tuple[int, int]:
        while start < end and self.text[start] in _EDGE_MARKUP:
            start += 1
        while end > start and self.text[end - 1] in _EDGE_MARKUP:
            end -= 1
        return start, end

    def _current_genre(self) -> str:
        if self.section:
            return self.section[0]
        return self.part.genre if self.part else self.genre

    def _current_kind(self) -> str:
        if self.section:
            return "actual" if self.section[0] == "summary" else "target"
        if self.kind_section:
            return self.kind_section
        if self.part:
            return "actual" if self.part.genre == "summary" else "target"
        return self.default_kind

    def _current_year(self) -> int | None:
        return self.section[1] if self.section else self.part_year

    def _enter_section(self, level: int, title: str | None, span: tuple[int, int] = (0, 0)):
        """At a level-1 heading: the genre and year it names, if any, hold until another
        level-1 heading names others."""
        if level > 1:
            return
        status = _STATUS_HEADING.match(title or "")
        self.status_section = (status.group(1), span) if status else None
        self.kind_section = None
        if _SECTION_REVIEW.search(title or ""):
            self.kind_section = "actual"
        elif _SECTION_TARGETS.search(title or ""):
            self.kind_section = "target"
        year = _SECTION_YEAR.search(title or "")
        if year is None:
            return
        if _SECTION_SUMMARY.search(title):
            self.section = ("summary", int(year.group(1)))
        elif _SECTION_PLAN.search(title):
            self.section = ("plan", int(year.group(1)))

    def _parent_for(self, level: int) -> Item | None:
        """Close every open item at ``level`` or deeper; the parent is the innermost left."""
        while self.stack and self.stack[-1][0] >= level:
            self._close(self.stack.pop()[1])
        return self.stack[-1][1] if self.stack else self.part

    def _open(self, span, kind: str, number: str | None, parent: Item | None) -> Item:
        item = Item(
            span=span,
            text="",
            number=number,
            parent=parent,
            kind=kind,
            genre=self._current_genre(),
            year=self._current_year(),
        )
        self.kinds[id(item)] = self._current_kind()
        if self.status_section and kind == "item":
            self.statuses[id(item)] = self.status_section
        self.items.append(item)
        return item

    # --- paragraphs ---------------------------------------------------------------------

    def feed(self, paragraph: Paragraph):
        raw = paragraph.text
        start, end = self._trim(*paragraph.span)
        if start >= end:
            return
        if self.stack and self._labelled(start, end):
            return
        stripped = _strip_markup(raw)
        if self._is_part(raw, stripped):
            self._open_part(start, end, stripped)
            return
        numbered = numbering_of(raw, paragraph.numbering)
        if numbered is not None:
            self._numbered(paragraph, numbered, end)
        elif paragraph.heading_level:
            self._heading_without_number(paragraph, start, end)
        else:
            self._unnumbered(start, end, stripped)

    def _labelled(self, start: int, end: int) -> bool:
        """Lines such as 牵头单位：… / 完成时限：… under a task: its fields (see ``labels``).
        True when the paragraph holds fields only; a paragraph that also states the task's
        particulars (目标任务：…, 当前进展：…) gives its fields and stays the task's text."""
        found, fields_only = line_fields(self.text, start, end)
        if not found or not fields_only:
            return False  # the task's text, whose label lines give their fields on closing
        set_label_fields(self.stack[-1][1], self.text, found)
        return True

    def _is_part(self, raw: str, stripped: str) -> bool:
        return bool(
            _PART.match(raw) and len(stripped) <= MAX_PART_LENGTH and not _NOTICE.match(stripped)
        )

    def _open_part(self, start: int, end: int, title: str):
        self.close_all()
        self.section = None
        self.kind_section = None
        self.part_year = int(_PART.match(title).group(1))
        if masked := MASKED_SUMMARY_THEN_PLAN.search(title):
            self.part_year = int(masked.group(1)) - 1  # 202x年度工作总结及2025年度工作计划
        title = clean_text(title)
        self.part = Item(
            span=(start, end),
            text=title,
            title=title,
            kind="part",
            genre=part_genre(title),
            year=self.part_year,
        )
        self.items.append(self.part)

    def _numbered(self, paragraph: Paragraph, numbered: _Numbered, end: int):
        body_start, body_end = self._trim(paragraph.span[0] + numbered.body_offset, end)
        if body_start >= body_end:
            return
        body = self.text[body_start:body_end]
        # A heading reads as a title: no sentence inside, and short unless a style says so.
        title_like = (
            numbered.level <= 2
            and not _SENTENCE_INSIDE.search(body.rstrip("。 *"))
            and (len(body) <= MAX_HEADING_LENGTH or bool(paragraph.heading_level))
        )
        parent = self._parent_for(numbered.level)
        if title_like:
            self._enter_section(
                numbered.level, clean_text(_strip_markup(body)), (body_start, body_end)
            )
        kind = "heading" if title_like else "item"
        item = self._open((body_start, body_end), kind, numbered.number, parent)
        if title_like:
            item.title = clean_text(_strip_markup(body)).rstrip("。") or None
            self.title_ends[id(item)] = body_end
        self.stack.append((numbered.level, item))

    def _heading_without_number(self, paragraph: Paragraph, start: int, end: int):
        level = min(paragraph.heading_level, 2)
        parent = self._parent_for(level)
        self._enter_section(level, clean_text(_strip_markup(self.text[start:end])), (start, end))
        item = self._open((start, end), "heading", None, parent)
        item.title = clean_text(_strip_markup(self.text[start:end])).rstrip("。") or None
        self.title_ends[id(item)] = end
        self.stack.append((level, item))

    def _unnumbered(self, start: int, end: int, stripped: str):
        if _END_OF_BODY.match(stripped):
            self.close_all()  # a signature or the appendices: the items have ended
            return
        if self.stack:
            # The body of a heading, or an item going on in another paragraph.
            item = self.stack[-1][1]
            item.span = (item.span[0], end)
            return
        lead = _LEAD.match(stripped)
        if lead is None and not self._has_figures(start, end):
            return  # an introduction, a notice, a signature: not a target
        item = self._open((start, end), "item", None, self.part)
        if lead:
            item.title = lead.group(1)
            label = _LEAD.match(self.text[start:end])
            if label is not None:
                item.span = self._trim(start + label.end(), end)
        self._close(item)

    def _has_figures(self, start: int, end: int) -> bool:
        """Whether the paragraph states a number; read in windows, stopping at the first."""
        for at in range(start, end, _FIGURE_WINDOW):
            window = self.text[max(start, at - _FIGURE_OVERLAP) : min(end, at + _FIGURE_WINDOW)]
            if find_indicators(window, kind="target"):
                return True
        return False

    # --- closing ------------------------------------------------------------------------

    def close_all(self):
        while self.stack:
            self._close(self.stack.pop()[1])

    def _close(self, item: Item):
        start, end = item.span
        title_end = self.title_ends.get(id(item), end)
        item.text = clean_text(_strip_markup(self.text[start:title_end]))
        if title_end < end:
            # A heading with a body: the title line, then the body on lines of its own.
            item.text += "\n" + clean_text(_strip_markup(self.text[title_end:end]))
        if (status := self.statuses.get(id(item))) and "status" not in item.fields:
            item.set("status", *status)
        # Labels in brackets after the task's sentence, and label lines that share the task's
        # paragraph ("（一）关于…的批示\n承办单位：…　责任领导：…").
        fields = bracketed_labels(self.text, start, end) + line_fields(self.text, start, end)[0]
        set_label_fields(item, self.text, fields)
        kind = self.kinds.get(id(item)) or ("actual" if item.genre == "summary" else "target")
        if item.title is None:
            item.title = _lead_sentence(item.text)
        self._split_points(item, kind)

    def _split_points(self, item: Item, kind: str):
        """一是 … 二是 … inside an item become its sub-points, in order."""
        start, end = item.span
        raw = self.text[start:end]
        points, expected, search_from = [], 1, 0
        for m in _POINT.finditer(raw):
            if m.start() < search_from:
                continue
            if _cn_value(m.group(1)) != expected:
                continue
            points.append((m.start(), m.end(), m.group(1) + "是"))
            expected += 1
            search_from = m.end()
        if len(points) < 2:
            item.number_sources.append((item.span, kind, item.year))
            return
        item.number_sources.append(((start, start + points[0][0]), kind, item.year))
        bounds = [p[0] for p in points] + [len(raw)]
        for (_offset, body, number), stop in zip(points, bounds[1:], strict=True):
            span = self._trim(start + body, start + stop)
            point = Item(
                span=span,
                text=clean_text(self.text[span[0] : span[1]]),
                number=number,
                parent=item,
                kind="point",
                genre=item.genre,
                year=item.year,
            )
            point.title = _lead_sentence(point.text)
            point.number_sources.append((span, kind, item.year))
            self.items.append(point)


def _lead_sentence(text: str) -> str | None:
    """An item's title: its first short sentence, when more text follows it."""
    m = _TITLE_SENTENCE.match(text)
    if m is None or not text[m.end() :].strip():
        return None
    return m.group(1).strip("*")


def _cn_value(token: str) -> int | None:
    """一 … 九十九 as a number; None for anything else."""
    digits = [_CN.index(c) + 1 if c in _CN else None for c in token]
    if None in digits or not digits:
        return None
    if len(digits) == 1:
        return digits[0]
    if len(digits) == 2 and digits[0] == 10:
        return 10 + digits[1]
    if len(digits) == 2 and digits[1] == 10:
        return digits[0] * 10
    if len(digits) == 3 and digits[1] == 10:
        return digits[0] * 10 + digits[2]
    return None
