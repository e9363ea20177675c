"""Time and peak memory of `duban extract` on a 10 MB .docx, as a whole process.

    .venv/bin/python bench/bench_big_docx.py [--runs N] [--all-cores] [file]

The file defaults to bench/out/big.docx, which is made by bench/make_big_docx.py when missing.
The command runs as a subprocess (start-up, reading, extraction and writing the JSON to
/dev/null included), pinned to one CPU unless --all-cores is given. Elapsed time is wall-clock;
CPU time (user + system) is printed beside it, since on a busy machine the wall clock also counts
the time other processes had the CPU. Peak memory is the largest maximum resident set size of the
runs (resource.getrusage(RUSAGE_CHILDREN).ru_maxrss).

Budget: under 20 s and under 500 MB for a 10 MB .docx.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIG = HERE / "out" / "big.docx"
TIME_BUDGET = 20.0
MEMORY_BUDGET_MB = 500


def _one_core() -> None:
    """Pin this process (and the commands it starts) to one CPU, where the system allows it."""
    if hasattr(os, "sched_setaffinity"):
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _command(path: Path) -> list[str]:
    script = Path(sys.executable).with_name("duban")  # the console script of the virtualenv
    prefix = [str(script)] if script.exists() else [sys.executable, "-m", "duban"]
    return [*prefix, "extract", str(path), "--compact"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(command: list[str]) -> tuple[float, float]:
    """(elapsed, CPU seconds) of one run of the command."""
    cpu = _children_cpu()
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start, _children_cpu() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=BIG)
    parser.add_argument("--runs", type=int, default=3, help="runs of the command (default 3)")
    parser.add_argument("--all-cores", action="store_true", help="do not pin to one CPU")
    args = parser.parse_args()
    if not args.file.exists():
        if args.file != BIG:
            print(f"{args.file}: no such file", file=sys.stderr)
            return 1
        sys.path.insert(0, str(HERE))
        import make_big_docx

        make_big_docx.write(BIG, 10)
    if not args.all_cores:
        _one_core()
    command = _command(args.file)
    runs = [run_once(command) for _ in range(args.runs)]
    elapsed = [e for e, _cpu in runs]
    cpu = [c for _e, c in runs]
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    size_mb = args.file.stat().st_size / 1024 / 1024
    print(f"{' '.join(command[-3:])} ({size_mb:.1f} MB), {args.runs} runs:")
    for number, (e, c) in enumerate(runs, start=1):
        print(f"  run {number}: {e:.2f} s elapsed, {c:.2f} s CPU")
    ok_time = min(elapsed) < TIME_BUDGET
    ok_memory = peak_mb < MEMORY_BUDGET_MB
    print(
        f"elapsed best {min(elapsed):.2f} s, median {statistics.median(elapsed):.2f} s; "
        f"CPU best {min(cpu):.2f} s (budget {TIME_BUDGET:.0f} s: "
        f"{'ok' if ok_time else 'OVER BUDGET'})"
    )
    print(
        f"peak memory (max RSS) {peak_mb:.0f} MB "
        f"(budget {MEMORY_BUDGET_MB} MB: {'ok' if ok_memory else 'OVER BUDGET'})"
    )
    return 0 if ok_time and ok_memory else 1


if __name__ == "__main__":
    sys.exit(main())
