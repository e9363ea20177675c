"""What makes two mentions one target: the Q2 table's row 43 and the Q1 table's row 43, a plan
item printed again in next year's plan, a corrected table imported a second time.

A mention is matched to an existing target by its source category, category and printed
number where the document numbers its tasks, else by the meaning of its text: the texts are
normalised (punctuation, spaces, line breaks, 《》, full and half width) and compared as
multisets of character pairs, a similarity that survives small edits and reordered clauses.
Each existing target is taken by at most one mention, best pairs first, so two similar but
different tasks in one table keep two targets.

Pure functions over plain values; the importer and the import preview feed them candidates.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

# A match by printed number still needs the texts to be about the same thing: a table that
# renumbers its tasks must not hand one task's history to another.
NUMBER_FLOOR = 0.35
# A match by text alone.
TEXT_THRESHOLD = 0.62
# Two targets from different sources (a plan item and a work-report task) that say the same
# thing are linked, not merged: they are two commitments with figures of their own. Their texts
# differ in length and wording, so what they share is a phrase: the name of the same project
# or institution (推进某某绿色化工与功能材料山东省实验室建设), not a stock phrase of office
# prose (科技型中小企业, 全面从严治党主体责任), which stays under this length.
LINK_THRESHOLD = 0.5
LINK_PHRASE = 14

_DROP = re.compile(r"[\s\W_]+", re.UNICODE)
_ARTEFACTS = re.compile(r"\[bookmark:[^\]]*\]")


def normalise(text: str) -> str:
    """The characters that carry meaning: full width folded to half width, case folded,
    punctuation, brackets (《》“”) and all white space dropped."""
    text = _ARTEFACTS.sub("", text or "")
    text = unicodedata.normalize("NFKC", text).casefold()
    return _DROP.sub("", text)


def _pairs(text: str) -> Counter:
    if len(text) < 2:
        return Counter([text]) if text else Counter()
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


class Fingerprint:
    """A text prepared for comparison, so each candidate is normalised once."""

    __slots__ = ("pairs", "size", "text")

    def __init__(self, text: str):
        self.text = normalise(text)
        self.pairs = _pairs(self.text)
        self.size = sum(self.pairs.values())

    def similarity(self, other: "Fingerprint") -> float:
        """Dice's coefficient over character pairs: 1.0 for the same text, about 0.9 after
        a changed clause in a long text, near 0 for unrelated texts."""
        if not self.size or not other.size:
            return 0.0
        shared = sum((self.pairs & other.pairs).values())
        return 2 * shared / (self.size + other.size)


def similarity(a: str, b: str) -> float:
    return Fingerprint(a).similarity(Fingerprint(b))


def normalise_number(number: str | None) -> str:
    """43, 43., （43）, 四十三 stay comparable as printed after the marks are gone."""
    return normalise(number or "")


@dataclass
class Mention:
    """An item of a document that is about to become or continue a target."""

    key: str
    text: str
    number: str = ""
    source_category: str = ""
    category: str = ""
    fingerprint: Fingerprint | None = None

    def __post_init__(self):
        if self.fingerprint is None:
            self.fingerprint = Fingerprint(self.text)


@dataclass
class Candidate:
    """An existing target a mention may continue."""

    pk: int
    text: str
    number: str = ""
    source_category: str = ""
    category: str = ""
    label: str = ""
    year: int | None = None
    fingerprint: Fingerprint | None = None

    def __post_init__(self):
        if self.fingerprint is None:
            self.fingerprint = Fingerprint(self.text)


@dataclass
class Match:
    candidate: Candidate
    score: float
    by_number: bool

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass
class Matching:
    """For each mention key, the target it continues (or none), and the closest others, so a
    person can choose another."""

    matches: dict = field(default_factory=dict)  # key -> Match
    alternatives: dict = field(default_factory=dict)  # key -> [Match], best first

    def get(self, key) -> "Match | None":
        return self.matches.get(key)


def _same_numbering(m: Mention, c: Candidate) -> bool:
    number = normalise_number(m.number)
    return (
        bool(number)
        and number == normalise_number(c.number)
        and m.source_category == c.source_category
        and (m.category or "") == (c.category or "")
    )


def match_mentions(
    mentions: list[Mention], candidates: list[Candidate], *, alternatives: int = 5
) -> Matching:
    """One-to-one matching of a document's mentions to existing targets: numbered matches of
    the same source first, then the most similar texts of the same source, best pairs first."""
    scored = []
    result = Matching()
    for m in mentions:
        ranked = []
        for c in candidates:
            score = m.fingerprint.similarity(c.fingerprint)
            numbered = _same_numbering(m, c) and score >= NUMBER_FLOOR
            same_source = m.source_category == c.source_category
            ranked.append(Match(c, score, numbered))
            if numbered or (same_source and score >= TEXT_THRESHOLD):
                # Numbered matches outrank any text match, then the closer text wins.
                scored.append(((1 if numbered else 0), score, m.key, c.pk, numbered))
        ranked.sort(key=lambda match: (-match.by_number, -match.score))
        result.alternatives[m.key] = [r for r in ranked[:alternatives] if r.score > 0.2]
    by_pk = {c.pk: c for c in candidates}
    taken_mentions, taken_targets = set(), set()
    for _rank, score, key, pk, numbered in sorted(scored, key=lambda s: (-s[0], -s[1])):
        if key in taken_mentions or pk in taken_targets:
            continue
        result.matches[key] = Match(by_pk[pk], score, numbered)
        taken_mentions.add(key)
        taken_targets.add(pk)
    return result


def shared_phrase(a: Fingerprint, b: Fingerprint) -> int:
    """The length of the longest run of characters two normalised texts share."""
    if sum((a.pairs & b.pairs).values()) < LINK_PHRASE - 1:
        return 0  # too few shared pairs for a long enough run: skip the costly search
    found = SequenceMatcher(None, a.text, b.text, autojunk=False).find_longest_match(
        0, len(a.text), 0, len(b.text)
    )
    return found.size


def best_link(mention: Mention, candidates: list[Candidate]) -> Match | None:
    """The target of another source that says the same thing as the mention, if one does."""
    best = None
    for c in candidates:
        if c.source_category == mention.source_category:
            continue
        score = mention.fingerprint.similarity(c.fingerprint)
        if (
            score < LINK_THRESHOLD
            and shared_phrase(mention.fingerprint, c.fingerprint) < LINK_PHRASE
        ):
            continue
        if best is None or score > best.score:
            best = Match(c, score, False)
    return best
