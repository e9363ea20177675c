"""Paragraphs and headings in running text (plain text, Markdown, and text rejoined from PDF).

Chinese official documents write one paragraph per line. Converters add two kinds of noise:

* Markdown from PDF breaks lines, and even words, wherever the PDF's lines or pages ended, and
  often puts a blank line in between (活\\n\\n力, 建\\n\\n设). A line that reads like cut-off body text
  (it does not end with sentence punctuation, and it is long or already holds punctuation),
  followed by up to ``MAX_CONTINUATION_GAP`` blank lines and a line that does not start a heading or
  a number, continues the same paragraph. A short unpunctuated line (a title, a signature) never
  swallows the next line.
* Headings come as ``#``/``##``/``###``, as a line wholly in ``**bold**``, or bare as 一、… / （一）….
  Markdown's ``#`` count is the level. Bare and bold headings get the level Markdown headings of the
  same numbering style have elsewhere in the document, else 1 for 一、 and 第X章, 2 for （一）.

Spans are trimmed to the paragraph's content; heading spans leave out the ``#`` marks and a bold
wrapper, so ``text[span]`` is the heading as a reader sees it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..blocks import Paragraph

CN_DIGITS = "一二三四五六七八九十百零〇两"

# Where a new item or heading starts; never the continuation of a cut-off line.
NUMBER_START = re.compile(
    r"^\s*(?:"
    rf"第[{CN_DIGITS}\d]+[章节条部分篇项]"
    rf"|[{CN_DIGITS}]+[、.．]"
    rf"|[（(][{CN_DIGITS}]+[）)]"
    r"|[（(]\d{1,3}[）)]"
    r"|\d{1,3}[、.．](?![\d.]*[%％])"
    rf"|[{CN_DIGITS}]+是"
    r"|[①-⑳⑴-⒇]"
    r"|[-*+•●▪]\s"
    r"|(?:附件|注|说明|备注)\s*\d*\s*[：:]"
    rf"|(?:目标|任务|承诺事项|事项)\s*[{CN_DIGITS}\d]{{1,3}}\s*[：:]"
    r")"
)
_HEADING_KINDS = (
    ("chapter", re.compile(rf"^第[{CN_DIGITS}\d]+[章节部分篇]")),
    ("cn", re.compile(rf"^[{CN_DIGITS}]+、")),
    ("paren", re.compile(rf"^[（(][{CN_DIGITS}]+[）)]")),
)
DEFAULT_PATTERN_LEVELS = {"chapter": 1, "cn": 1, "paren": 2}
MAX_HEADING_LENGTH = 60

# Punctuation that may end a sentence, a clause list, or a quoted/bracketed unit.
TERMINAL = tuple("。！？；：;:!?….”’」』）)》】")
_INNER_PUNCTUATION = re.compile(r"[，,。；;、：:！？]")
BODY_LINE_MIN_LENGTH = 40
MAX_CONTINUATION_GAP = 3
MAX_HEADING_TAIL = 4

_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_BOLD_LINE = re.compile(r"^\*\*(.+?)\*\*$")
_MD_STRUCTURE = re.compile(r"^\s*(?:#{1,6}\s|>|\|)")


def pattern_kind(text: str) -> str | None:
    for kind, pattern in _HEADING_KINDS:
        if pattern.match(text):
            return kind
    return None


def pattern_heading_level(text: str, levels: dict[str, int] | None = None) -> int | None:
    """Heading level of a line that is a bare 一、/（一）/第一章 heading, else None."""
    text = text.strip()
    kind = pattern_kind(text)
    if kind is None or len(text) > MAX_HEADING_LENGTH or text.endswith(("。", "；", ";")):
        return None
    return (levels or DEFAULT_PATTERN_LEVELS).get(kind, DEFAULT_PATTERN_LEVELS[kind])


def ends_sentence(line: str) -> bool:
    return line.rstrip().endswith(TERMINAL)


def looks_cut_off(line: str) -> bool:
    """True for body text whose line ended in mid-sentence."""
    stripped = line.strip()
    if not stripped or ends_sentence(stripped):
        return False
    return len(stripped) >= BODY_LINE_MIN_LENGTH or bool(_INNER_PUNCTUATION.search(stripped))


def starts_new_unit(line: str) -> bool:
    """True for a line that begins a heading, a number, or a Markdown structure."""
    return bool(NUMBER_START.match(line) or _MD_STRUCTURE.match(line) or _BOLD_LINE.match(line))


@dataclass
class _Line:
    start: int  # content start (leading whitespace skipped)
    end: int  # content end (trailing whitespace skipped)
    text: str  # the content
    heading: int | None = None
    blanks_before: int = 0  # blank lines between this line and the previous non-blank one


def _content_line(text: str, start: int, end: int) -> _Line | None:
    raw = text[start:end]
    stripped = raw.strip()
    if not stripped:
        return None
    lead = len(raw) - len(raw.lstrip())
    return _Line(start + lead, start + lead + len(stripped), stripped)


def _strip_wrapper(line: _Line, inner_start: int, inner: str) -> _Line:
    """Narrow ``line`` to ``inner`` (which starts ``inner_start`` characters into it), trimmed."""
    lead = len(inner) - len(inner.lstrip())
    content = inner.strip()
    start = line.start + inner_start + lead
    return _Line(start, start + len(content), content, line.heading, line.blanks_before)


def _classify(line: _Line, levels: dict[str, int]) -> _Line:
    md = _MD_HEADING.match(line.text)
    if md and md.group(2).strip():
        inner = _Line(line.start, line.end, line.text, len(md.group(1)), line.blanks_before)
        inner = _strip_wrapper(inner, md.start(2), md.group(2))
        bold = _BOLD_LINE.match(inner.text)
        return _strip_wrapper(inner, 2, bold.group(1)) if bold else inner
    bold = _BOLD_LINE.match(line.text)
    if bold:
        level = pattern_heading_level(bold.group(1), levels)
        if level is not None:
            inner = _strip_wrapper(line, 2, bold.group(1))
            inner.heading = level
            return inner
        return line
    line.heading = pattern_heading_level(line.text, levels)
    return line


def _markdown_pattern_levels(lines: list[_Line]) -> dict[str, int]:
    """The level Markdown headings of each numbering style have in this document."""
    seen: dict[str, Counter[int]] = {}
    for line in lines:
        md = _MD_HEADING.match(line.text)
        if not md:
            continue
        inner = md.group(2).strip().strip("*").strip()
        kind = pattern_kind(inner)
        if kind:
            seen.setdefault(kind, Counter())[len(md.group(1))] += 1
    levels = dict(DEFAULT_PATTERN_LEVELS)
    for kind, counts in seen.items():
        levels[kind] = counts.most_common(1)[0][0]
    return levels


def _continues(previous: _Line, line: _Line) -> bool:
    if line.heading is not None or line.blanks_before > MAX_CONTINUATION_GAP:
        return False
    if starts_new_unit(line.text):
        return False
    if previous.heading is not None:
        # A heading the converter cut short: only a few characters spill onto the next line.
        return (
            len(line.text) <= MAX_HEADING_TAIL
            and not ends_sentence(previous.text)
            and not _INNER_PUNCTUATION.search(line.text)
        )
    return looks_cut_off(previous.text)


def split_paragraphs(text: str, line_spans: list[tuple[int, int]]) -> list[Paragraph]:
    """Paragraphs of the running text made of the given lines (start, end offsets into text)."""
    lines: list[_Line] = []
    blanks = 0
    for start, end in line_spans:
        line = _content_line(text, start, end)
        if line is None:
            blanks += 1
            continue
        line.blanks_before = blanks
        blanks = 0
        lines.append(line)
    levels = _markdown_pattern_levels(lines)
    paragraphs: list[Paragraph] = []
    previous: _Line | None = None
    for raw in lines:
        line = _classify(raw, levels)
        if previous is not None and paragraphs and _continues(previous, line):
            last = paragraphs[-1]
            last.span = (last.span[0], line.end)
            last.text = text[last.span[0] : line.end]
            previous = _Line(line.start, line.end, line.text, previous.heading)
            continue
        paragraphs.append(Paragraph(line.text, (line.start, line.end), line.heading))
        previous = line
    return paragraphs


def line_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of every line of ``text[start:end]``, line breaks excluded."""
    end = len(text) if end is None else end
    spans = []
    pos = start
    while pos <= end:
        nl = text.find("\n", pos, end)
        if nl < 0:
            spans.append((pos, end))
            break
        spans.append((pos, nl))
        pos = nl + 1
    return spans
