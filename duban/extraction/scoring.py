"""Scoring extraction against a hand-made gold file: precision, recall, F1, field accuracy and
grounding, per document and summed over a set of documents.

A gold file describes one document (and the containers that hold the same words) as facts a
careful clerk reads from it, in a structure of its own (tests/extraction/corpus/GUIDE.md):

    {"file": "c01_….txt", "also": ["c01_….docx"], "year": 2010, "genre": "plan",
     "indicators": [{"at": "10 个", "subject": "…", "kind": "target", "measure": "total",
                     "comparator": ">=", "value": 10, "unit": "个", "year": 2010}],
     "items": [{"at": "…", "fields": {"lead_unit": "…", "deadline": "…"}}]}

An extracted indicator matches a gold one when it has the same value (and upper bound for a
range) and its span overlaps a place where the gold's ``at`` is printed; white space is ignored
when looking for ``at``, so a line broken inside a number still counts. Matching is one to one,
the closest subjects first. Of each matched pair the fields subject, kind, measure, comparator,
unit, year and value_max are compared; a gold item's fields are compared with those of the
smallest extracted item whose span holds its ``at``.

Pure Python, like the rest of extraction/: the scorer reads results, not the database.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

INDICATOR_FIELDS = ("subject", "kind", "measure", "comparator", "unit", "year", "value_max")
ITEM_FIELDS = ("lead_unit", "co_units", "leaders", "deadline", "status", "category")
KINDS = {"target", "actual"}
MEASURES = {"total", "increase", "share", "growth", "rank", "other"}
COMPARATORS = {">=", ">", "=", "~", "<=", "<", "range"}
GENRES = {"plan", "summary", "progress", "goals", "commitments", "mixed", "unknown"}

_AT_NUMBER = re.compile(
    r"\s*(?:\d{1,3}\s*[.、．]|[一二三四五六七八九十]{1,3}\s*、|[（(][一二三四五六七八九十\d]{1,3}[)）]"
    r"|(?:目标|任务|承诺事项|事项)\s*[一二三四五六七八九十\d]{1,3}\s*[:：])\s*"
)
_PUNCT_RE = re.compile(r"[\s，,。.、；;：:“”\"'‘’《》（）()【】\[\]—\-·]+")


class GoldError(ValueError):
    """A gold file that does not say what it means: wrong keys, a value of the wrong type, an
    ``at`` that is not printed in the document."""


# ---------------------------------------------------------------------------------------------
# Gold
# ---------------------------------------------------------------------------------------------


def load_gold(path: Path) -> dict:
    gold = json.loads(Path(path).read_text(encoding="utf-8"))
    check_gold_shape(gold, name=Path(path).name)
    return gold


def check_gold_shape(gold: dict, name: str = "gold") -> None:
    """Raises GoldError naming the first entry that is malformed (not whether it is right)."""

    def fail(message):
        raise GoldError(f"{name}: {message}")

    for key in ("file", "indicators"):
        if key not in gold:
            fail(f"missing key {key!r}")
    if gold.get("genre") is not None and gold["genre"] not in GENRES:
        fail(f"genre {gold['genre']!r}")
    for n, g in enumerate(gold["indicators"], start=1):
        where = f"indicator {n} ({g.get('at')!r})"
        for key in ("at", "subject", "kind", "measure", "comparator", "value", "unit", "year"):
            if key not in g:
                fail(f"{where}: missing {key!r}")
        if not isinstance(g["at"], str) or not g["at"].strip():
            fail(f"{where}: 'at' must be the number as printed")
        if g["kind"] not in KINDS:
            fail(f"{where}: kind {g['kind']!r}")
        if g["measure"] not in MEASURES:
            fail(f"{where}: measure {g['measure']!r}")
        if g["comparator"] not in COMPARATORS:
            fail(f"{where}: comparator {g['comparator']!r}")
        if not isinstance(g["value"], (int, float)) or isinstance(g["value"], bool):
            fail(f"{where}: value must be a number")
        if (g["comparator"] == "range") != (g.get("value_max") is not None):
            fail(f"{where}: value_max is set exactly when the comparator is range")
        if g["year"] is not None and not isinstance(g["year"], int):
            fail(f"{where}: year must be an integer or null")
        subject = g["subject"]
        if not (isinstance(subject, str) and subject) and not (
            isinstance(subject, list) and subject and all(isinstance(s, str) for s in subject)
        ):
            fail(f"{where}: subject must be a word or a list of acceptable words")
    for n, item in enumerate(gold.get("items", []), start=1):
        if not isinstance(item.get("at"), str) or not item["at"].strip():
            fail(f"item {n}: 'at' must be a few characters printed in the item")
        unknown = set(item.get("fields", {})) - set(ITEM_FIELDS)
        if unknown:
            fail(f"item {n}: unknown fields {sorted(unknown)}")


def locate(text: str, printed: str) -> list[tuple[int, int]]:
    """Every place `printed` occurs in `text`, white space ignored on both sides."""
    kept = [i for i, ch in enumerate(text) if not ch.isspace()]
    squeezed = "".join(text[i] for i in kept)
    needle = "".join(ch for ch in printed if not ch.isspace())
    places, start = [], 0
    while needle:
        found = squeezed.find(needle, start)
        if found < 0:
            break
        places.append((kept[found], kept[found + len(needle) - 1] + 1))
        start = found + 1
    return places


def unplaced(gold: dict, text: str) -> list[str]:
    """The `at`s of a gold file that are not printed in `text`."""
    entries = gold["indicators"] + gold.get("items", [])
    return [e["at"] for e in entries if not locate(text, e["at"])]


# ---------------------------------------------------------------------------------------------
# Comparing
# ---------------------------------------------------------------------------------------------


def _norm(value) -> str:
    return _PUNCT_RE.sub("", unicodedata.normalize("NFKC", str(value or ""))).lower()


def subject_matches(gold_subject, predicted) -> bool:
    """A subject is right when it names the gold's thing: equal, or the gold's words plus at most
    four characters of qualifier, or most of the gold's words."""
    if not predicted:
        return False
    got = _norm(predicted)
    for wanted in gold_subject if isinstance(gold_subject, list) else [gold_subject]:
        want = _norm(wanted)
        if got == want:
            return True
        if want in got and len(got) <= len(want) + 4:
            return True
        if got in want and len(got) >= max(2, 0.7 * len(want)):
            return True
    return False


def _same_number(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))


def _field_right(name: str, wanted, got) -> bool:
    if name == "subject":
        return subject_matches(wanted, got)
    if name == "value_max":
        return _same_number(wanted, got)
    if name == "unit":
        return _norm(wanted) == _norm(got)
    return wanted == got


def _item_field_right(wanted, got) -> bool:
    if isinstance(wanted, list) or isinstance(got, list):
        as_set = lambda v: {_norm(x) for x in (v if isinstance(v, list) else [v]) if _norm(x)}  # noqa: E731
        return as_set(wanted) == as_set(got)
    return _norm(wanted) == _norm(got)


@dataclass
class Score:
    """Counts for one document or summed over many."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    fields: int = 0
    fields_right: int = 0
    items: int = 0
    items_found: int = 0
    item_fields: int = 0
    item_fields_right: int = 0
    spans: int = 0
    spans_real: int = 0
    crashed: int = 0
    documents: int = 0
    wrong: dict = field(default_factory=dict)  # field name -> count of wrong values
    problems: list = field(default_factory=list)  # readable lines, for tuning

    def add(self, other: Score) -> None:
        for name in (
            "gold", "predicted", "matched", "fields", "fields_right", "items", "items_found",
            "item_fields", "item_fields_right", "spans", "spans_real", "crashed", "documents",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name, count in other.wrong.items():
            self.wrong[name] = self.wrong.get(name, 0) + count

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def field_accuracy(self) -> float:
        """Indicator and item fields together."""
        total = self.fields + self.item_fields
        return (self.fields_right + self.item_fields_right) / total if total else 1.0

    @property
    def indicator_field_accuracy(self) -> float:
        return self.fields_right / self.fields if self.fields else 1.0

    @property
    def item_field_accuracy(self) -> float:
        return self.item_fields_right / self.item_fields if self.item_fields else 1.0

    @property
    def grounding(self) -> float:
        return self.spans_real / self.spans if self.spans else 1.0

    def figures(self) -> dict:
        return {
            "documents": self.documents,
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "field_accuracy": round(self.field_accuracy, 4),
            "indicator_field_accuracy": round(self.indicator_field_accuracy, 4),
            "item_field_accuracy": round(self.item_field_accuracy, 4),
            "items_found": f"{self.items_found}/{self.items}",
            "grounding": round(self.grounding, 4),
            "crashed": self.crashed,
        }


def _span_is_real(text: str, span, expect_text: str | None = None) -> bool:
    try:
        start, end = span
    except (TypeError, ValueError):
        return False
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        return False
    if expect_text is not None:
        # An item's text may join the lines a PDF or a web page broke; its span must still hold
        # exactly its characters.
        squeeze = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
        return squeeze(text[start:end]) == squeeze(expect_text)
    return bool(re.search(r"[0-9０-９零〇一二两三四五六七八九十百千万]", text[start:end]))


def score_result(gold: dict, result: dict, label: str | None = None) -> Score:
    """Scores one extraction result against the gold of its document."""
    label = label or result.get("source", {}).get("name") or gold["file"]
    text = result["text"]
    score = Score(documents=1)
    predicted = [(item, ind) for item in result["items"] for ind in item["indicators"]]
    score.predicted = len(predicted)
    for item in result["items"]:
        score.spans += 1
        score.spans_real += _span_is_real(text, item.get("span"), item.get("text"))
    for _item, ind in predicted:
        score.spans += 1
        score.spans_real += _span_is_real(text, ind.get("span"))

    # Gold indicators not printed in this file (a container that drops a cut-off cell) are left
    # out of this file's count, and said.
    golds = []
    for g in gold["indicators"]:
        places = locate(text, g["at"])
        if places:
            golds.append((g, places))
        else:
            score.problems.append(f"{label}: not in this file: {g['at']!r}")
    score.gold = len(golds)

    pairs = []
    for gi, (g, places) in enumerate(golds):
        for pi, (_item, p) in enumerate(predicted):
            start, end = p["span"]
            if not any(start < e and s < end for s, e in places):
                continue
            if not _same_number(g["value"], p["value"]):
                continue
            closeness = (
                subject_matches(g["subject"], p["subject"]),
                g["kind"] == p["kind"],
                g["measure"] == p["measure"],
                _norm(g["unit"]) == _norm(p["unit"]),
            )
            pairs.append((closeness, gi, pi))
    pairs.sort(key=lambda pair: pair[0], reverse=True)
    used_gold, used_predicted = set(), set()
    for _closeness, gi, pi in pairs:
        if gi in used_gold or pi in used_predicted:
            continue
        used_gold.add(gi)
        used_predicted.add(pi)
        g, p = golds[gi][0], predicted[pi][1]
        for name in INDICATOR_FIELDS:
            wanted = g.get(name)
            score.fields += 1
            if _field_right(name, wanted, p.get(name)):
                score.fields_right += 1
            else:
                score.wrong[name] = score.wrong.get(name, 0) + 1
                score.problems.append(
                    f"{label}: {g['at']!r} {name}: want {wanted!r}, got {p.get(name)!r}"
                )
    score.matched = len(used_gold)
    for gi, (g, _places) in enumerate(golds):
        if gi not in used_gold:
            score.problems.append(
                f"{label}: missed {g['at']!r} ({g['subject']} {g['value']}{g['unit']})"
            )
    for pi, (_item, p) in enumerate(predicted):
        if pi not in used_predicted:
            start, end = p["span"]
            score.problems.append(
                f"{label}: extra {text[start:end]!r} ({p['subject']} {p['value']}{p['unit']})"
            )

    for wanted_item in gold.get("items", []):
        places = locate(text, wanted_item["at"])
        if not places:
            score.problems.append(f"{label}: item not in this file: {wanted_item['at']!r}")
            continue
        score.items += 1
        s, e = places[0]
        # An item's number is printed apart from its text (its span starts after "1."), so an
        # `at` that begins with the number is held by the item that starts after it.
        if number := _AT_NUMBER.match(text, s, e):
            s = min(number.end(), e - 1)
        holders = [i for i in result["items"] if i["span"][0] <= s and e <= i["span"][1]]
        holder = min(holders, key=lambda i: i["span"][1] - i["span"][0]) if holders else None
        if holder is not None:
            score.items_found += 1
        got_fields = holder["fields"] if holder else {}
        for name, wanted in wanted_item.get("fields", {}).items():
            score.item_fields += 1
            if _item_field_right(wanted, got_fields.get(name)):
                score.item_fields_right += 1
            else:
                score.wrong[f"item.{name}"] = score.wrong.get(f"item.{name}", 0) + 1
                score.problems.append(
                    f"{label}: item {wanted_item['at']!r} {name}: want {wanted!r}, "
                    f"got {got_fields.get(name)!r}"
                )
    return score


def files_of(gold: dict) -> list[str]:
    """The document's file and the containers holding the same words."""
    return [gold["file"], *gold.get("also", [])]


def score_corpus(golds: list[dict], corpus_dir: Path, extract) -> Score:
    """Extracts every file of every gold with `extract(bytes, name)` and sums the scores; a
    file that raises counts as crashed with everything in its gold missed."""
    total = Score()
    for gold in golds:
        for name in files_of(gold):
            path = Path(corpus_dir) / name
            try:
                result = extract(path.read_bytes(), name=name)
            except Exception as error:  # a crash is a score, not an abort
                crashed = Score(documents=1, crashed=1, gold=len(gold["indicators"]))
                crashed.problems.append(f"{name}: crashed: {type(error).__name__}: {error}")
                total.add(crashed)
                total.problems += crashed.problems
                continue
            one = score_result(gold, result, label=name)
            total.add(one)
            total.problems += one.problems
    return total
