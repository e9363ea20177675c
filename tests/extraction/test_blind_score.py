"""The extractor scored on the blind set (blind/: documents of our own, written by someone who
had read neither the extractor nor its tests): the build fails when a score drops below the
floor in corpus/floor.json. blind/rounds.json says which rounds were tuned on after their one
untuned score and which round is still unseen. Unlike the real corpus, these documents are in
the repository, so this runs wherever the suite does.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from duban.extraction.extract import extract
from duban.extraction.scoring import load_gold, score_corpus, unplaced

BLIND = Path(__file__).resolve().parent / "blind"
FLOOR = json.loads((Path(__file__).resolve().parent / "corpus" / "floor.json").read_text("utf-8"))
ROUNDS = json.loads((BLIND / "rounds.json").read_text(encoding="utf-8"))
GOLD_FILES = sorted((BLIND / "gold").glob("b*.json"))
SPLITS = [split for split in ("blind_tuned", "blind") if split in FLOOR]


def _golds(split: str) -> list[dict]:
    chosen = set(ROUNDS["tuned" if split == "blind_tuned" else "unseen"])
    return [load_gold(path) for path in GOLD_FILES if path.stem[:3] in chosen]


@pytest.fixture(scope="module")
def scores():
    return {split: score_corpus(_golds(split), BLIND / "docs", extract) for split in SPLITS}


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_blind_gold_is_printed_in_its_document(path):
    gold = load_gold(path)
    text = (BLIND / "docs" / gold["file"]).read_text(encoding="utf-8")
    assert not unplaced(gold, text)


@pytest.mark.parametrize("split", SPLITS)
def test_no_blind_document_crashes_and_every_span_is_real(scores, split):
    assert scores[split].crashed == 0
    assert scores[split].grounding == 1.0


@pytest.mark.parametrize("split", SPLITS)
@pytest.mark.parametrize("figure", ["precision", "recall", "f1", "field_accuracy"])
def test_blind_score_stays_above_its_floor(scores, split, figure):
    got = getattr(scores[split], figure)
    floor = FLOOR[split][figure]
    if got < floor:
        print("\n".join(scores[split].problems), file=sys.stderr)
    assert got >= floor, f"{split} {figure} {got:.3f} fell below its floor {floor:.3f}"
