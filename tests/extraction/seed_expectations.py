"""Expected extraction results for the seed documents, and how results are compared with them.

The fixtures (``expected/NNN.json``) say what a careful office clerk reads from each seed. They
hold facts and figures only: numbers, units, unit and leader names, statuses, deadlines, short
indicator subjects and the number as printed ("达到1700家"). Sentences never enter the
repository: an item's text, a title or a long field is stored as the first twelve hex digits of
the SHA-1 of the expected cleaned text and its length (see :func:`digest`).

Fixture shape::

    {"seed": "003_….txt",
     "document": {"title": {"sha1": "…", "len": 41}, "genre": "progress", …},
     "items": [{"id": "e1", "parent": null, "kind": "row", "number": "43", "title": null,
                "text": {"sha1": "…", "len": 57},
                "fields": {"status": "完成", "leaders": ["宋振波"], "progress": {"sha1": …}},
                "indicators": [{"subject": "高新技术企业", "kind": "target", "measure": "total",
                                "comparator": "=", "value": 1200, "value_max": null, "unit": "家",
                                "year": 2022, "printed": "1200家"}],
                "tolerated": [{"printed": "六项", "why": "…"}]}]}

``subject`` may be a list of acceptable subjects. ``tolerated`` lists numbers an extractor may
report or not (a count that is a fact of the text but no target or achievement); any other
number it reports that the fixture lacks is an error.

    .venv/bin/python -m tests.extraction.seed_expectations score   # accuracy per seed
    .venv/bin/python -m tests.extraction.seed_expectations draft 003 > /tmp/003.json
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

EXPECTED = Path(__file__).resolve().parent / "expected"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SEED_PREFIXES = ("000", "001", "002", "003", "004")

# Fields whose values are sentences: stored as a digest unless very short.
SENTENCE_FIELDS = {
    "title",
    "text",
    "annual_target",
    "period_target",
    "progress",
    "reason",
    "next_steps",
    "benchmark",
    "remark",
}
MAX_LITERAL = 6
INDICATOR_KEYS = ("subject", "kind", "measure", "comparator", "value", "value_max", "unit", "year")


def digest(text: str) -> dict:
    return {"sha1": hashlib.sha1(text.encode("utf-8")).hexdigest()[:12], "len": len(text)}


def stored(name: str, value):
    """How a value is written in a fixture: sentences as digests, facts as they are."""
    if name in SENTENCE_FIELDS and isinstance(value, str) and len(value) > MAX_LITERAL:
        return digest(value)
    return value


def matches(expected, actual) -> bool:
    if isinstance(expected, dict) and "sha1" in expected:
        return isinstance(actual, str) and digest(actual) == expected
    return expected == actual


def seed_path(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def load_expected(prefix: str) -> dict:
    return json.loads((EXPECTED / f"{prefix}.json").read_text(encoding="utf-8"))


# --- drafting -------------------------------------------------------------------------------


def printed(result: dict, span) -> str:
    return result["text"][span[0] : span[1]]


def draft(result: dict, seed_name: str) -> dict:
    """A fixture made from an extraction result: the starting point of a review, never the
    answer itself."""
    ids = {item["id"]: f"e{n}" for n, item in enumerate(result["items"], start=1)}
    items = []
    for item in result["items"]:
        items.append(
            {
                "id": ids[item["id"]],
                "parent": ids.get(item["parent"]),
                "kind": item["kind"],
                "number": item["number"],
                "title": stored("title", item["title"]),
                "text": stored("text", item["text"]),
                "fields": {k: stored(k, v) for k, v in item["fields"].items()},
                "indicators": [
                    {**{k: ind[k] for k in INDICATOR_KEYS}, "printed": printed(result, ind["span"])}
                    for ind in item["indicators"]
                ],
            }
        )
    document = dict(result["document"])
    document["title"] = stored("title", document["title"])
    return {"seed": seed_name, "document": document, "items": items}


# --- comparing ------------------------------------------------------------------------------


@dataclass
class Mismatch:
    where: str  # "item #4 [48]" or "document"
    field: str
    expected: object
    actual: object

    def __str__(self) -> str:
        return f"{self.where} {self.field}: expected {self.expected!r}, got {self.actual!r}"


@dataclass
class Score:
    fields_right: int = 0
    fields_total: int = 0
    indicators_right: int = 0
    indicators_total: int = 0
    indicators_extra: int = 0
    items_missing: int = 0
    items_extra: int = 0


def _label(index: int, item: dict) -> str:
    name = item.get("number") or item.get("kind")
    return f"item #{index + 1} [{name}]"


def align(expected: list[dict], actual: list[dict]) -> list[int | None]:
    """For each expected item, the index of the actual item it corresponds to (or None):
    the next one with the same text, else the next one with the same kind and number."""
    found: list[int | None] = []
    pointer = 0
    for item in expected:
        match = None
        for test in (
            lambda a, e=item: matches(e["text"], a["text"]),
            lambda a, e=item: (a["kind"], a["number"]) == (e["kind"], e["number"]),
        ):
            match = next((k for k in range(pointer, len(actual)) if test(actual[k])), None)
            if match is not None:
                break
        found.append(match)
        if match is not None:
            pointer = match + 1
    return found


def _indicator_view(result: dict, indicator: dict) -> dict:
    view = {k: indicator.get(k) for k in INDICATOR_KEYS}
    view["printed"] = printed(result, indicator["span"])
    return view


def _indicator_matches(expected: dict, actual: dict) -> list[str]:
    """The keys on which an actual indicator differs from the expected one."""
    wrong = []
    for key in (*INDICATOR_KEYS, "printed"):
        want, got = expected.get(key), actual.get(key)
        if key == "subject" and isinstance(want, list):
            ok = got in want
        elif key in ("value", "value_max") and want is not None and got is not None:
            ok = abs(float(want) - float(got)) < 1e-9
        else:
            ok = want == got
        if not ok:
            wrong.append(key)
    return wrong


def compare(expected: dict, result: dict) -> tuple[list[Mismatch], Score]:
    """Every difference between a fixture and an extraction result, and the score."""
    problems: list[Mismatch] = []
    score = Score()

    def check(where: str, name: str, want, got):
        score.fields_total += 1
        if matches(want, got):
            score.fields_right += 1
        else:
            problems.append(Mismatch(where, name, want, got))

    for key, want in expected["document"].items():
        check("document", key, want, result["document"].get(key))

    actual_items = result["items"]
    alignment = align(expected["items"], actual_items)
    id_of_actual = {
        actual_items[k]["id"]: e["id"]
        for e, k in zip(expected["items"], alignment, strict=True)
        if k is not None
    }
    for index, (item, k) in enumerate(zip(expected["items"], alignment, strict=True)):
        where = _label(index, item)
        if k is None:
            score.items_missing += 1
            score.fields_total += 5 + len(item["fields"])
            score.indicators_total += len(item["indicators"])
            problems.append(Mismatch(where, "item", "present", "missing"))
            continue
        got = actual_items[k]
        check(where, "kind", item["kind"], got["kind"])
        check(where, "number", item["number"], got["number"])
        check(where, "parent", item["parent"], id_of_actual.get(got["parent"]))
        check(where, "title", item["title"], got["title"])
        check(where, "text", item["text"], got["text"])
        for name, want in item["fields"].items():
            check(where, f"fields.{name}", want, got["fields"].get(name))
        for name in sorted(set(got["fields"]) - set(item["fields"])):
            score.fields_total += 1
            problems.append(Mismatch(where, f"fields.{name}", "absent", got["fields"][name]))
        _compare_indicators(where, item, result, got, problems, score)
    matched = {k for k in alignment if k is not None}
    for k, got in enumerate(actual_items):
        if k not in matched:
            score.items_extra += 1
            problems.append(
                Mismatch(
                    f"extra item [{got['number'] or got['kind']}]",
                    "item",
                    "absent",
                    (got["title"] or got["text"])[:20],
                )
            )
    return problems, score


def _compare_indicators(where, item, result, got, problems, score):
    views = [_indicator_view(result, ind) for ind in got["indicators"]]
    unused = list(range(len(views)))
    for want in item["indicators"]:
        score.indicators_total += 1
        same_print = [i for i in unused if views[i]["printed"] == want["printed"]]
        exact = [i for i in same_print if not _indicator_matches(want, views[i])]
        if exact:
            unused.remove(exact[0])
            score.indicators_right += 1
            continue
        if same_print:
            i = same_print[0]
            unused.remove(i)
            for key in _indicator_matches(want, views[i]):
                problems.append(
                    Mismatch(
                        where,
                        f"indicator {want['printed']} {key}",
                        want.get(key),
                        views[i].get(key),
                    )
                )
        else:
            problems.append(Mismatch(where, "indicator", want["printed"], "missing"))
    tolerated = {t["printed"] for t in item.get("tolerated", [])}
    for i in unused:
        if views[i]["printed"] not in tolerated:
            score.indicators_extra += 1
            problems.append(Mismatch(where, "indicator", "absent", views[i]["printed"]))


def indicators_anywhere(expected: dict, result: dict) -> tuple[int, int]:
    """(right, total) of the expected indicators found anywhere in the result, whichever item
    holds them: a measure of the number reading alone, apart from the item structure."""
    views = [_indicator_view(result, i) for item in result["items"] for i in item["indicators"]]
    unused = list(range(len(views)))
    right = total = 0
    for item in expected["items"]:
        for want in item["indicators"]:
            total += 1
            hit = next((i for i in unused if not _indicator_matches(want, views[i])), None)
            if hit is not None:
                unused.remove(hit)
                right += 1
    return right, total


# --- command --------------------------------------------------------------------------------


def _extract(prefix: str) -> dict:
    from duban.extraction.extract import extract

    path = seed_path(prefix)
    return extract(path.read_bytes(), name=path.name)


def main(argv: list[str]) -> int:
    if argv[:1] == ["draft"] and len(argv) == 2:
        prefix = argv[1]
        json.dump(
            draft(_extract(prefix), seed_path(prefix).name),
            sys.stdout,
            ensure_ascii=False,
            indent=1,
        )
        print()
        return 0
    if argv[:1] == ["score"]:
        verbose = "-v" in argv
        for prefix in SEED_PREFIXES:
            expected, result = load_expected(prefix), _extract(prefix)
            problems, s = compare(expected, result)
            anywhere = indicators_anywhere(expected, result)
            print(
                f"{prefix}: fields {s.fields_right}/{s.fields_total}, "
                f"indicators {s.indicators_right}/{s.indicators_total} "
                f"(+{s.indicators_extra} not expected; {anywhere[0]}/{anywhere[1]} right "
                f"in any item), items missing {s.items_missing}, extra {s.items_extra}"
            )
            if verbose:
                for problem in problems:
                    print("   ", re.sub(r"\s+", " ", str(problem))[:200])
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
