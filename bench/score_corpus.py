"""Scores the extractor on the tuning corpus (../shared/corpus) against its hand-made gold.

    .venv/bin/python bench/score_corpus.py [--split all|tune|held|blind-tuned|blind] [--doc c19]
                                            [--problems]
    .venv/bin/python bench/score_corpus.py --check      # the gold's shape, and every `at` printed

Prints precision, recall, F1, field accuracy and grounding for the tuning set and the held-out
set (tests/extraction/corpus/split.json), and the blind set (tests/extraction/blind: documents
of our own written by someone who had not read the extractor; its rounds.json names the round
that was tuned on after its one untuned score, and the unseen round that is only scored), one
line per document with --per-doc, and every miss,
extra and wrong field with --problems. The suite runs the same scoring against a floor
(tests/extraction/test_corpus_score.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from duban.extraction.extract import extract  # noqa: E402
from duban.extraction.scoring import (  # noqa: E402
    GoldError,
    files_of,
    load_gold,
    score_corpus,
    unplaced,
)

CORPUS = ROOT.parent / "shared" / "corpus"
GOLD = ROOT / "tests" / "extraction" / "corpus" / "gold"
SPLIT = ROOT / "tests" / "extraction" / "corpus" / "split.json"
BLIND = ROOT / "tests" / "extraction" / "blind"


def golds(split: str = "all", only: str | None = None) -> list[dict]:
    if split.startswith("blind"):
        rounds = json.loads((BLIND / "rounds.json").read_text(encoding="utf-8"))
        chosen = set(rounds["tuned" if split == "blind-tuned" else "unseen"])
        paths = sorted((BLIND / "gold").glob("b*.json"))
        return [
            load_gold(p) for p in paths if p.stem[:3] in chosen and (not only or p.stem[:3] == only)
        ]
    held = set(json.loads(SPLIT.read_text(encoding="utf-8"))["held_out"])
    found = []
    for path in sorted(GOLD.glob("c*.json")):
        key = path.stem[:3]
        if only and key != only:
            continue
        if split == "held" and key not in held or split == "tune" and key in held:
            continue
        found.append(load_gold(path))
    return found


def check() -> int:
    bad = 0
    for path in sorted(GOLD.glob("c*.json")):
        try:
            gold = load_gold(path)
        except (GoldError, json.JSONDecodeError) as error:
            print(f"{path.name}: {error}")
            bad += 1
            continue
        text = (CORPUS / gold["file"]).read_bytes().decode("utf-8")
        for name in files_of(gold):
            if not (CORPUS / name).is_file():
                print(f"{path.name}: no file {name}")
                bad += 1
        for at in unplaced(gold, text):
            print(f"{path.name}: not printed in {gold['file']}: {at!r}")
            bad += 1
    print("gold ok" if not bad else f"{bad} problem(s)")
    return 1 if bad else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--split", choices=("all", "tune", "held", "blind-tuned", "blind"), default="all"
    )
    parser.add_argument("--doc", help="one document, e.g. c19")
    parser.add_argument("--problems", action="store_true", help="list every miss and wrong field")
    parser.add_argument("--per-doc", action="store_true", help="one line per document")
    parser.add_argument("--check", action="store_true", help="check the gold files only")
    args = parser.parse_args()
    if args.check:
        return check()
    if args.split == "all" and not args.doc:
        splits = ("tune", "held", "blind-tuned", "blind")
    else:
        splits = (args.split,)
    for split in splits:
        chosen = golds(split, args.doc)
        started = time.perf_counter()
        corpus = BLIND / "docs" if split.startswith("blind") else CORPUS
        total = score_corpus(chosen, corpus, extract)
        seconds = time.perf_counter() - started
        figures = total.figures()
        print(f"== {split}: {len(chosen)} documents, {figures['documents']} files, {seconds:.2f} s")
        print(
            "indicators: gold {gold}, extracted {predicted}, matched {matched}; "
            "P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}".format(**figures)
        )
        print(
            "fields: {field_accuracy:.3f} (indicator fields {indicator_field_accuracy:.3f}, "
            "item fields {item_field_accuracy:.3f}, items found {items_found}); "
            "grounding {grounding:.3f}; crashed {crashed}".format(**figures)
        )
        if total.wrong:
            print("wrong fields: " + ", ".join(f"{k} {v}" for k, v in sorted(total.wrong.items())))
        if args.per_doc:
            for gold in chosen:
                one = score_corpus([gold], corpus, extract).figures()
                print(
                    f"  {gold['file'][:40]:40} gold {one['gold']:3} P {one['precision']:.2f} "
                    f"R {one['recall']:.2f} F1 {one['f1']:.2f} fields {one['field_accuracy']:.2f}"
                )
        if args.problems:
            for line in total.problems:
                print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
