"""How fast `duban extract` reads the five seeds (../shared/seeds).

    .venv/bin/python bench/bench_extract.py [--runs N]

Prints two figures:

* in-process: the five seeds extracted one after the other, after the modules are imported and
  warmed up; best and median of N runs (budget: 0.3 s for the five together, on one core);
* whole process: `duban extract SEED` run as a command, start-up included, per seed; best and
  median of a few runs (budget: 1.5 s each).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from duban.extraction.extract import extract  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
IN_PROCESS_BUDGET = 0.3
PROCESS_BUDGET = 1.5


def _one_core() -> None:
    """Pin this process (and the commands it starts) to one CPU, where the system allows it."""
    if hasattr(os, "sched_setaffinity"):
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def in_process(seeds: list[tuple[bytes, str]], runs: int) -> list[float]:
    for data, name in seeds:
        extract(data, name=name)  # imports, compiled patterns, caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for data, name in seeds:
            extract(data, name=name)
        times.append(time.perf_counter() - start)
    return times


def whole_process(path: Path, runs: int) -> list[float]:
    command = [sys.executable, "-m", "duban", "extract", str(path)]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="in-process runs (default 30)")
    parser.add_argument("--process-runs", type=int, default=5, help="command runs per seed")
    args = parser.parse_args()
    paths = sorted(SEEDS.glob("*.txt"))
    if not paths:
        print(f"no seeds in {SEEDS}", file=sys.stderr)
        return 1
    _one_core()
    seeds = [(path.read_bytes(), path.name) for path in paths]
    times = in_process(seeds, args.runs)
    best, median = min(times), statistics.median(times)
    verdict = "ok" if best < IN_PROCESS_BUDGET else "OVER BUDGET"
    print(
        f"in-process, {len(seeds)} seeds together, {args.runs} runs: "
        f"best {best * 1000:.1f} ms, median {median * 1000:.1f} ms "
        f"(budget {IN_PROCESS_BUDGET * 1000:.0f} ms: {verdict})"
    )
    worst = 0.0
    for path in paths:
        runs = whole_process(path, args.process_runs)
        worst = max(worst, statistics.median(runs))
        print(
            f"  duban extract {path.name}: best {min(runs) * 1000:.0f} ms, "
            f"median {statistics.median(runs) * 1000:.0f} ms"
        )
    verdict = "ok" if worst < PROCESS_BUDGET else "OVER BUDGET"
    print(f"whole process, slowest median {worst * 1000:.0f} ms (budget 1500 ms: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
