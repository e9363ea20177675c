"""Where a number stands: its clause, sentence and paragraph, quoted regions, and its hit."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

# How far back a cue, subject or year is looked for: real clauses, sentences and paragraphs are
# shorter, and the bounds keep the scan linear on pathological input.
_CLAUSE_REACH = 60
_SENTENCE_REACH = 200
_PARAGRAPH_REACH = 800

_PARAGRAPH_SEP_RE = re.compile(r"[\n\t]")
_SENTENCE_SEP_RE = re.compile(r"[。；;！？!?\n\t]")
# ASCII , and : separate clauses unless they sit inside a number (1,200) or a time (09:37).
# Every pattern here must read the same reversed: _Context.start_of searches the reversed text.
# Written as one character class first ("," and ":" then checked for a digit on each side)
# rather than as "[…]|(?<!\d),|,(?!\d)|…": a pattern that opens with a class is searched in C
# from one candidate to the next, one with look-behinds is tried at every character.
_CLAUSE_SEP_RE = re.compile(r"[。；;！？!?\n\t，：,:](?:(?<=[^,:])|(?<!\d[,:])|(?!\d))")
_LIST_SEP_RE = re.compile(r"[。；;！？!?\n\t，：、,:](?:(?<=[^,:])|(?<!\d[,:])|(?!\d))")

_QUOTED_RE = re.compile(
    r"“[^“”\n]{0,40}”|《[^《》\n]{0,80}》|「[^「」\n]{0,40}」|『[^『』\n]{0,40}』"
    r"|‘[^‘’\n]{0,20}’|\"[^\"\n]{0,30}\""
)


@dataclass(slots=True)  # one per number read: no __dict__ each
class _Hit:
    start: int  # span start (comparator prefix included)
    end: int
    num_start: int
    subject_end: int  # the subject is looked for before this position
    value: int | float
    value_max: int | float | None
    unit: str
    comparator: str
    approximate: bool
    measure: str
    subject: str | None = None
    award: str | None = None  # a rank's object: "获省政府督查激励第一名"
    listed: str | None = None  # the names a rank lists: "前3名分别是A、B和C" -> "A、B、C"


class _Context:
    """One text with its quoted regions, and a way to find where a clause or sentence begins."""

    def __init__(self, text: str):
        self.text = text
        # The separator patterns read the same both ways, so the nearest separator before a
        # position is the first match in the reversed text: one search in C, no scan of all.
        self.reversed = text[::-1]
        self.long = len(text) > _PARAGRAPH_REACH
        quoted = [m.span() for m in _QUOTED_RE.finditer(text)]
        self.quoted_starts = [s for s, _ in quoted]
        self.quoted = quoted
        # Keyed by the pattern's id: a re.Pattern hashes its whole compiled code each time.
        self._separators: dict[int, list[int]] = {}
        self._starts: dict[tuple[int, int, int], int] = {}

    def start_of(self, separators: re.Pattern[str], pos: int, reach: int) -> int:
        """Where the segment holding ``pos`` begins, looking back at most ``reach`` characters.

        In a long text, by bisection in the positions of all the separators, listed once per
        pattern: a number asks for its clause, sentence and paragraph several times at several
        reaches, and a search each time (of up to 800 characters where a paragraph has no
        break) took most of the time. A short text (a cell, a row) asks too few times to pay
        for the list. Written out here rather than in a method of its own: it is called ten
        times a number.
        """
        if self.long:
            positions = self._separators.get(id(separators))
            if positions is None:
                positions = self._separators[id(separators)] = self._separator_positions(separators)
            i = bisect_left(positions, pos) - 1
            low = pos - reach
            if i >= 0 and positions[i] >= low:
                return positions[i] + 1
            if low <= 0:
                return 0
            # The window's first character is read without the one before it (as a search
            # bounded at the reach is): "5,000" cut after its "5" leaves a separating ",".
            n = len(self.text)
            return low + 1 if separators.match(self.reversed, n - 1 - low, n - low) else low
        key = (id(separators), pos, reach)  # a number's clause is asked for several times
        found = self._starts.get(key)
        if found is None:
            n = len(self.text)
            end = min(n, n - pos + reach)
            m = separators.search(self.reversed, n - pos, end)
            found = self._starts[key] = n - (m.start() if m else end)
        return found

    def _separator_positions(self, separators: re.Pattern[str]) -> list[int]:
        """Ascending positions in the text of the separators, each read in its full context,
        searched in the reversed text as the patterns are written for."""
        last = len(self.text) - 1
        return [last - m.start() for m in separators.finditer(self.reversed)][::-1]

    def is_quoted(self, pos: int) -> bool:
        i = bisect_right(self.quoted_starts, pos) - 1
        return i >= 0 and self.quoted[i][0] < pos < self.quoted[i][1]


def _last(
    pattern: re.Pattern[str],
    text: str,
    start: int,
    end: int,
    starts: re.Pattern[str] | None = None,
) -> re.Match[str] | None:
    """The last match of ``pattern`` in text[start:end] (``starts``: see _finditer_from)."""
    if starts is not None:
        matches = _matches_from(starts, pattern, text, start, end)
        return matches[-1] if matches else None
    found = None
    for found in pattern.finditer(text, start, end):  # noqa: B007 - we want the last one
        pass
    return found


def _finditer_from(
    starts: re.Pattern[str], pattern: re.Pattern[str], text: str, start: int, end: int
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, start, end)``, tried only where ``starts`` finds one of the
    characters every match of ``pattern`` begins with: the same matches, without trying every
    alternative of a large pattern at every character."""
    while (at := starts.search(text, start, end)) is not None:
        m = pattern.match(text, at.start(), end)
        if m is None:
            start = at.start() + 1
        else:
            yield m
            start = m.end()


def _matches_from(
    starts: re.Pattern[str], pattern: re.Pattern[str], text: str, start: int, end: int
) -> list[re.Match[str]]:
    """The matches of ``_finditer_from`` as a list, built in a plain loop: for callers that
    want them all, several times a number, a generator's suspensions cost more than the list."""
    found = []
    while (at := starts.search(text, start, end)) is not None:
        m = pattern.match(text, at.start(), end)
        if m is None:
            start = at.start() + 1
        else:
            found.append(m)
            start = m.end()
    return found


_FULL_STOP_RE = re.compile(r"[。！？!?\n\t]")
