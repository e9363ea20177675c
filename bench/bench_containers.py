"""Time and memory of reading documents with duban.extraction.containers.

    .venv/bin/python bench/bench_containers.py [file ...]

Without arguments: the five seeds (../shared/seeds) and bench/out/big.docx (made by
bench/make_big_docx.py if missing). Peak memory is reported twice: Python allocations
(tracemalloc, which slows reading down, so it is a separate run) and the process's maximum
resident set size.
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from duban.extraction.containers import read_document  # noqa: E402

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
BIG = Path(__file__).resolve().parent / "out" / "big.docx"


def timed(path: Path, repeat: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        read_document(path)
    return (time.perf_counter() - start) / repeat


def main(paths: list[Path]) -> None:
    if not paths:
        seeds = sorted(SEEDS.glob("*.txt"))
        for path in seeds:
            read_document(path)  # warm imports
        total = sum(timed(path, 20) for path in seeds)
        print(f"five seeds: {total * 1000:.1f} ms in total (mean of 20 runs)")
        if not BIG.exists():
            import make_big_docx

            make_big_docx.write(BIG, 10)
        paths = [BIG]
    for path in paths:
        size = path.stat().st_size / 1024 / 1024
        seconds = timed(path)
        tracemalloc.start()
        doc = read_document(path)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{path.name}: {size:.1f} MB file, {seconds:.2f} s, {len(doc.text) / 1e6:.1f} M chars, "
            f"{len(doc.blocks)} blocks, Python peak {peak / 1024 / 1024:.0f} MB, "
            f"max RSS {rss:.0f} MB"
        )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main([Path(p) for p in sys.argv[1:]])
