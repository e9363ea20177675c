"""Items from prose: work plans and summaries written as headings and numbered paragraphs.

    2022年全市科技工作要点            a part (a document may hold several: a summary, then a plan)
    一、…                              a heading
    （一）…                            a sub-heading
    1.推进…。一是…。二是…。            an item, with its sub-points 一是 二是 …
    主要工作目标：…                    an unnumbered paragraph that sets numbers: an item too

Numbering may restart in each section or run through the document; both read the same.
Words broken across lines or pages by PDF conversion are joined in the item's text, while its
span still covers the characters as printed.
"""

import re

from ..blocks import Paragraph
from ..items import Item, clean_text

_CN = "一二三四五六七八九十"
_MARKUP = r"[#>*\s]*"
_PART = re.compile(
    rf"^{_MARKUP}(?:关于印发)?[^，。；：:]{{0,30}}?((?:19|20)\d{{2}})\s*年[^，。；]{{0,30}}?"
    r"(总结|要点|计划|方案|安排|任务|清单|报告)[》」]?\s*\**\s*$"
)
_HEADING = re.compile(rf"^{_MARKUP}([{_CN}]{{1,3}})\s*[、．.]\s*\**")
_SUBHEADING = re.compile(rf"^{_MARKUP}[（(]([{_CN}]{{1,3}})[)）]\s*\**")
_NUMBERED = re.compile(rf"^{_MARKUP}(\d{{1,3}})\s*[.．、](?!\d)\s*\**")
_POINT = re.compile(rf"(?:^|(?<=[。；;：:！\s]))([{_CN}]{{1,3}})是")
_LEAD = re.compile(r"^(主要(工作)?目标|总体目标|工作目标|发展目标|目标任务|预期目标)\s*[:：是]")
_ENDS_SENTENCE = re.compile(r"[。；！？：:;]\s*\**\s*$")
_TITLE_SENTENCE = re.compile(r"^(.{2,40}?)[。：:]")
_NOTICE = re.compile(r"^(关于|各(区|县|市|有关)|现将|特此|附件)")

SUMMARY_WORDS = ("总结", "报告", "完成情况")


def part_genre(title: str) -> str:
    return "summary" if any(w in title for w in SUMMARY_WORDS) else "plan"


def _cn_value(token: str) -> int:
    if token == "十":
        return 10
    if token.startswith("十"):
        return 10 + _CN.index(token[1]) + 1
    if token.endswith("十"):
        return (_CN.index(token[0]) + 1) * 10
    if len(token) == 3:
        return (_CN.index(token[0]) + 1) * 10 + _CN.index(token[2]) + 1
    return _CN.index(token[0]) + 1


def _strip_markup(text: str) -> str:
    return re.sub(r"^[#>\s]*|\*\*", "", text).strip()


def prose_items(
    paragraphs: list[Paragraph], text: str, *, year: int | None, genre: str
) -> list[Item]:
    builder = _Builder(text, year, genre)
    for paragraph in paragraphs:
        builder.feed(paragraph)
    builder.close_item()
    return builder.items


class _Builder:
    def __init__(self, text, year, genre):
        self.text = text
        self.year = year
        self.genre = genre
        self.items: list[Item] = []
        self.part: Item | None = None
        self.heading: Item | None = None
        self.subheading: Item | None = None
        self.item: Item | None = None
        self.part_year = year

    # --- structure ------------------------------------------------------------------

    def _container(self) -> Item | None:
        return self.subheading or self.heading or self.part

    def _current_genre(self) -> str:
        return self.part.genre if self.part else self.genre

    def feed(self, paragraph: Paragraph):
        raw = paragraph.text
        start, end = paragraph.span
        lead_ws = len(raw) - len(raw.lstrip())
        start += lead_ws
        end = start + len(raw.strip())
        if start >= end:
            return
        stripped = _strip_markup(raw)
        part = _PART.match(raw)
        if part and len(stripped) <= 60 and not _NOTICE.match(stripped):
            self.close_item()
            self.part_year = int(part.group(1))
            self.part = Item(
                span=(start, end),
                text=stripped,
                title=stripped,
                kind="part",
                genre=part_genre(stripped),
                year=self.part_year,
            )
            self.heading = self.subheading = None
            self.items.append(self.part)
            return
        if (
            (m := _HEADING.match(raw))
            and not _ENDS_SENTENCE.search(raw)
            or (m and paragraph.heading_level)
        ):
            self.close_item()
            self.heading = self._open(start, end, "heading", m.group(1) + "、", self.part)
            self.heading.title = clean_text(_strip_markup(raw[m.end() :])).rstrip("。") or None
            self.subheading = None
            self.close_item(keep=self.heading)
            return
        if (m := _SUBHEADING.match(raw)) and (paragraph.heading_level or len(stripped) <= 50):
            self.close_item()
            self.subheading = self._open(
                start, end, "heading", f"（{m.group(1)}）", self.heading or self.part
            )
            self.subheading.title = clean_text(_strip_markup(raw[m.end() :])).rstrip("。") or None
            self.close_item(keep=self.subheading)
            return
        if m := _NUMBERED.match(raw):
            self.close_item()
            self.item = self._open(start, end, "item", m.group(1), self._container())
            return
        if self.item is not None:
            self.item.span = (self.item.span[0], end)  # the item goes on in this paragraph
            return
        if _LEAD.match(stripped) or (
            self.part is not None and self._has_figures(stripped) and self._container() is not None
        ):
            lead = _LEAD.match(stripped)
            self.item = self._open(start, end, "item", None, self._container())
            if lead:
                self.item.title = lead.group(1)
            self.close_item()

    def _has_figures(self, text: str) -> bool:
        return bool(re.search(r"\d+(\.\d+)?\s*(%|家|项|个|亿元|万元|人|名)", text))

    def _open(self, start, end, kind, number, parent) -> Item:
        item = Item(
            span=(start, end),
            text="",
            number=number,
            parent=parent,
            kind=kind,
            genre=self._current_genre(),
            year=self.part_year,
        )
        self.items.append(item)
        return item

    def close_item(self, keep: Item | None = None):
        item = keep or self.item
        if item is None:
            return
        start, end = item.span
        raw = self.text[start:end]
        item.text = clean_text(_strip_markup(raw) if item.kind != "item" else raw)
        kind = "actual" if item.genre == "summary" else "target"
        if item.kind == "item":
            self._split_points(item, kind)
            if item.title is None and (
                m := _TITLE_SENTENCE.match(_NUMBERED.sub("", item.text, count=1))
            ):
                item.title = m.group(1).strip("*")
        else:
            item.number_sources.append((item.span, kind, self.part_year))
        if keep is None:
            self.item = None

    def _split_points(self, item: Item, kind: str):
        """一是 … 二是 … inside an item become its sub-points, in order."""
        start, end = item.span
        raw = self.text[start:end]
        points, expected, search_from = [], 1, 0
        for m in _POINT.finditer(raw):
            if m.start() < search_from:
                continue
            try:
                value = _cn_value(m.group(1))
            except (ValueError, IndexError):
                continue
            if value != expected:
                continue
            points.append((m.start(), m.group(1) + "是"))
            expected += 1
            search_from = m.end()
        if len(points) < 2:
            item.number_sources.append((item.span, kind, self.part_year))
            return
        item.number_sources.append(((start, start + points[0][0]), kind, self.part_year))
        bounds = [p[0] for p in points] + [len(raw)]
        for (offset, number), stop in zip(points, bounds[1:], strict=True):
            piece = raw[offset:stop]
            trimmed = len(piece.rstrip())
            span = (start + offset, start + offset + trimmed)
            point = Item(
                span=span,
                text=clean_text(piece),
                number=number,
                parent=item,
                kind="point",
                genre=item.genre,
                year=item.year,
            )
            point.number_sources.append((span, kind, self.part_year))
            self.items.append(point)
