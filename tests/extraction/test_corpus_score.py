"""The extractor scored on the real corpus (../shared/corpus) against the hand-made gold in
corpus/gold/: the build fails when a score drops below the floor in corpus/floor.json.

The floor is the last measured score less a small margin; raise it when the extractor improves
(`python bench/score_corpus.py` prints the figures). Held-out documents (corpus/split.json) are
scored but never tuned on.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from duban.extraction.extract import extract
from duban.extraction.scoring import files_of, load_gold, score_corpus, unplaced

HERE = Path(__file__).resolve().parent / "corpus"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
FLOOR = json.loads((HERE / "floor.json").read_text(encoding="utf-8"))
HELD_OUT = set(json.loads((HERE / "split.json").read_text(encoding="utf-8"))["held_out"])
GOLD_FILES = sorted((HERE / "gold").glob("c*.json"))

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="../shared/corpus is not beside the repo"
)


def _golds(split: str) -> list[dict]:
    return [
        load_gold(path) for path in GOLD_FILES if (path.stem[:3] in HELD_OUT) == (split == "held")
    ]


@pytest.fixture(scope="module")
def scores():
    return {split: score_corpus(_golds(split), CORPUS, extract) for split in ("tune", "held")}


def test_every_corpus_document_has_gold():
    documents = {p.name[:3] for p in CORPUS.glob("c[0-9][0-9]_*")}
    assert documents == {p.stem[:3] for p in GOLD_FILES}


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_is_printed_in_its_document(path):
    gold = load_gold(path)
    text = (CORPUS / gold["file"]).read_bytes().decode("utf-8")
    assert not unplaced(gold, text)
    assert all((CORPUS / name).is_file() for name in files_of(gold))


@pytest.mark.parametrize("split", ["tune", "held"])
def test_no_document_crashes_and_every_span_is_real(scores, split):
    score = scores[split]
    assert score.crashed == 0, [p for p in score.problems if "crashed" in p]
    assert score.grounding == 1.0


@pytest.mark.parametrize("split", ["tune", "held"])
@pytest.mark.parametrize("figure", ["precision", "recall", "f1", "field_accuracy"])
def test_score_stays_above_its_floor(scores, split, figure):
    got = getattr(scores[split], figure)
    floor = FLOOR[split][figure]
    if got < floor:
        print("\n".join(scores[split].problems), file=sys.stderr)
    assert got >= floor, f"{split} {figure} {got:.3f} fell below its floor {floor:.3f}"
