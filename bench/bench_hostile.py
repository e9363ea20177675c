"""Memory and time of reading hostile files (small files built to eat gigabytes) and of large
ordinary ones, each in a child process of its own.

    .venv/bin/python bench/bench_hostile.py [--limit-mb 6000] [--timeout 120] [shape ...]

Each file is built in memory (tests/extraction/hostile_samples.py), written to a temporary
directory and read by ``extract`` in a child process whose address space is capped at
``--limit-mb`` (so that a regression fails instead of eating the machine). The line per file
gives the file size, the outcome (the result's size or the error message), the child's CPU
time and its maximum resident set size. For the large ordinary files it also gives the text
extracted in MB/s of CPU (UTF-8 bytes of the result's text per CPU second), the same for the
containers alone (``read_document``, without layouts and numbers), and a floor measured in the
same child: the time to read the file and decode its bytes (for .xlsx: to inflate its sheet
XML), which no reader can beat.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.extraction import hostile_samples as hs  # noqa: E402

GB = 1024**3
HOSTILE = {
    "docx-gridbefore.docx": lambda: hs.docx_grid_before(),
    "docx-gridspan.docx": lambda: hs.docx_grid_span(),
    "docx-styles-bomb.docx": lambda: hs.docx_with_big_part("word/styles.xml", 2 * GB),
    "docx-styles-250mb.docx": lambda: hs.docx_with_big_part("word/styles.xml", 250 * 1024**2),
    "docx-ctypes-bomb.docx": lambda: hs.docx_with_big_part("[Content_Types].xml", 2 * GB),
    "xlsx-far-corners.xlsx": hs.xlsx_far_corners,
    "xlsx-huge-merge.xlsx": hs.xlsx_huge_merge,
    "xlsx-huge-dimension.xlsx": hs.xlsx_huge_dimension,
    "xlsx-core-bomb.xlsx": lambda: hs.xlsx_with_big_part("docProps/core.xml", 2 * GB),
    "xlsx-ctypes-bomb.xlsx": lambda: hs.xlsx_with_big_part("[Content_Types].xml", 2 * GB),
    "xlsx-styles-bomb.xlsx": lambda: hs.xlsx_with_big_part("xl/styles.xml", 2 * GB),
    "html-spans.html": lambda: hs.html_huge_spans(),
    "pdf-stream-bomb.pdf": lambda: hs.pdf_stream_bomb(1 * GB),
    "pdf-double-flate.pdf": lambda: hs.pdf_stream_bomb(1 * GB, layers=2),
}
LARGE = {
    "text-table-200k.txt": lambda: hs.text_table(200_000),
    "single-line-15mb.txt": lambda: hs.single_line(15 * 1024 * 1024),
    "xlsx-160k-rows.xlsx": lambda: hs.xlsx_large(160_000),
}

CHILD = r"""
import json, resource, sys, time, zipfile
limit = int(sys.argv[2]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
path = sys.argv[1]
from duban.extraction.extract import extract
from duban.extraction.containers import encoding

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

start = cpu()
data = open(path, "rb").read()
large = sys.argv[3] == "1"
if large and path.endswith(".xlsx"):
    with zipfile.ZipFile(path) as z:
        chars = sum(len(z.read(n)) for n in z.namelist() if n.startswith("xl/worksheets/"))
elif large:
    chars = len(encoding.decode(data))
floor = cpu() - start
reading = 0.0
if large:  # the containers alone (read_document), before the whole extraction
    from duban.extraction.containers import read_document
    start = cpu()
    read_document(path)
    reading = cpu() - start
start = cpu()
try:
    result = extract(path)
    outcome = f"{len(result['text']) / 1e6:.1f} M chars, {len(result['items'])} items"
    text = len(result["text"].encode()) if large else 0
except Exception as exc:
    outcome = f"{type(exc).__name__}: {exc}"
    text = 0
took = cpu() - start
print(json.dumps({"outcome": outcome, "cpu": took, "floor": floor, "read": reading, "text": text}))
"""


def run(path: Path, limit_mb: int, timeout: float, large: bool) -> str:
    import json

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    wall = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(limit_mb), "1" if large else "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        # "-c" puts the working directory first on sys.path: run in ROOT, so that this copy's
        # code is measured (an older checkout's bench measures its own, from anywhere).
        cwd=ROOT,
    )
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        out, err = child.communicate()
    wall = time.perf_counter() - wall
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    try:
        info = json.loads(out.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        tail = err.decode(errors="replace").strip().splitlines()[-1:] or [""]
        return (
            f"died (exit {child.returncode}) after {wall:.1f} s wall: {tail[0][:100]}; "
            f"max RSS so far {rss:.0f} MB"
        )
    line = f"{info['outcome'][:90]}; {info['cpu']:.2f} s CPU"
    if info["text"]:
        rate = info["text"] / 1e6 / max(info["cpu"], 1e-9)
        floor = info["text"] / 1e6 / max(info["floor"], 1e-9)
        read = info["text"] / 1e6 / max(info["read"], 1e-9)
        line += (
            f", {rate:.1f} MB/s of text (containers alone {read:.1f} MB/s;"
            f" floor: read+decode {floor:.0f} MB/s)"
        )
    return line


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit-mb", type=int, default=6000)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("shapes", nargs="*")
    args = parser.parse_args()
    shapes = {**HOSTILE, **LARGE}
    chosen = args.shapes or list(shapes)
    with tempfile.TemporaryDirectory() as tmp:
        for name in chosen:
            data = shapes[name]()
            path = Path(tmp) / name
            path.write_bytes(data)
            # Each child in a fresh grandchild so that RUSAGE_CHILDREN is its own maximum.
            pid = os.fork()
            if pid == 0:
                line = run(path, args.limit_mb, args.timeout, name in LARGE)
                rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
                print(
                    f"{name}: {len(data) / 1024:.0f} KB; {line}; max RSS {rss:.0f} MB", flush=True
                )
                os._exit(0)
            os.waitpid(pid, 0)


if __name__ == "__main__":
    main()
