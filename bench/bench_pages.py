"""CPU per request of the hot pages, in-process, beside the framework's floor.

    .venv/bin/python bench/bench_pages.py                          # SQLite, in a temporary dir
    .venv/bin/python bench/bench_pages.py --keep /tmp/pages-data   # keep the data for next time
    .venv/bin/python bench/bench_pages.py --reuse /tmp/pages-data  # reuse it (seconds, not minutes)
    .venv/bin/python bench/bench_pages.py --database-url postgres://postgres@127.0.0.1:5432/duban_bench

Creates the data of bench_loop.py (10,000 targets, 100,000 progress reports, milestones,
co-units, an audit trail; its `generate()`), then requests each page through Django's test
client (the whole middleware stack, no server and no network) and measures the process's CPU
time per request with `time.process_time()`. The pages are taken in turn, one request each per
round, so that whatever else the machine does falls on all of them alike. Prints each page's
median and p90 and its ratio to the floor, the sign-in page, measured in the same run: the
ratio is what compares between runs and machines. With PostgreSQL the database server's own
CPU is not counted (it is another process); with SQLite it is.

`--profile PAGE` prints a cProfile of that page's requests instead (by cumulative time), and
`--queries` the SQL each page sends.
"""

import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_loop import generate, percentile, prepare_database  # noqa: E402

FLOOR = "floor (sign-in page)"


def pages(units, rounds: int) -> list[tuple[str, str | list[str], str | None]]:
    """(name, path or paths taken in turn, username or None for anonymous), the floor first;
    `rounds` the number of requests per page in the run, warm-up included."""
    from duban.targets.models import Target

    rng = random.Random(7)
    office_ids = list(Target.objects.order_by("pk").values_list("pk", flat=True))
    first_visits = rng.sample(office_ids, rounds)
    unit_ids = list(
        Target.objects.for_unit(units[0].pk).order_by("pk").values_list("pk", flat=True)[:200]
    )
    return [
        (FLOOR, "/accounts/login/", None),
        ("office workbench /", "/", "office"),
        ("unit home /", "/", "unit0"),
        ("list (filtered)", "/targets/?year=2024&state=in_progress&light=red", "office"),
        ("list (search)", "/targets/?q=%E5%AD%B5%E5%8C%96%E5%99%A8&year=2025", "office"),
        ("list (unit)", "/targets/?state=in_progress", "unit0"),
        ("target page", [f"/targets/{pk}/" for pk in rng.sample(office_ids, 8)], "office"),
        ("target page (unit)", [f"/targets/{pk}/" for pk in rng.sample(unit_ids, 8)], "unit0"),
        # Each request a target not opened before in the run: what nothing cached saves.
        ("target page, 1st visit", [f"/targets/{pk}/" for pk in first_visits], "office"),
        ("dashboard (cached)", "/reports/dashboard/", "office"),
    ]


def clients(usernames):
    from django.contrib.auth import get_user_model
    from django.test import Client

    signed_in = {None: Client(HTTP_HOST="127.0.0.1")}
    for username in usernames:
        if username is not None and username not in signed_in:
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(get_user_model().objects.get(username=username))
            signed_in[username] = client
    return signed_in


def request(client, path, n: int):
    """GET one of the page's paths (a page with several, e.g. target pages, cycles them)."""
    if isinstance(path, list):
        path = path[n % len(path)]
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: HTTP {response.status_code}")
    return response


def measure(plan, signed_in, rounds: int, warmup: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name, _, _ in plan}
    for n in range(warmup + rounds):
        for name, path, username in plan:
            started = time.process_time()
            request(signed_in[username], path, n)
            elapsed = time.process_time() - started
            if n >= warmup:
                times[name].append(elapsed)
    return times


def count_queries(plan, signed_in, n: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, path, username in plan:
        with CaptureQueriesContext(connection) as queries:
            request(signed_in[username], path, n)
        counts[name] = queries.captured_queries
    return counts


def profile(plan, signed_in, page: str, rounds: int):
    chosen = [p for p in plan if p[0].startswith(page)]
    if not chosen:
        raise SystemExit(f"no page named {page!r}: {', '.join(p[0] for p in plan)}")
    name, path, username = chosen[0]
    for n in range(3):
        request(signed_in[username], path, n)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for n in range(rounds):
        request(signed_in[username], path, n)
    profiler.disable()
    print(f"profile of {name}, {rounds} requests")
    pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(60)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--targets", type=int, default=10_000)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=40, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=8, help="requests per page not measured")
    data = parser.add_mutually_exclusive_group()
    data.add_argument("--keep", metavar="DIR", help="generate the data into DIR and keep it")
    data.add_argument(
        "--reuse",
        metavar="DIR",
        help="the data directory of a --keep run: its data (and PostgreSQL database) as they are",
    )
    parser.add_argument("--profile", metavar="PAGE", help="profile the page whose name this starts")
    parser.add_argument("--queries", action="store_true", help="print each page's SQL")
    args = parser.parse_args()

    data_dir = args.reuse or args.keep or tempfile.mkdtemp(prefix="duban-bench-pages-")
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    prepare_database(args.database_url, data_dir, keep=bool(args.reuse))
    from duban.organisations.models import Organisation
    from duban.targets.models import Target

    if args.reuse:
        units = list(Organisation.objects.filter(name__startswith="基准市").order_by("pk"))
        print(f"reusing {Target.objects.count()} targets in {data_dir}")
    elif Target.objects.exists():
        raise SystemExit(f"{data_dir} already holds data: --reuse it, or --keep another")
    else:
        started = time.perf_counter()
        units = generate(args.targets, args.reports)
        print(
            f"generated {args.targets} targets, {args.reports} reports "
            f"in {time.perf_counter() - started:.1f} s (data in {data_dir})"
        )

    plan = pages(units, args.warmup + args.rounds + 1)
    signed_in = clients(username for _, _, username in plan)
    if args.profile:
        profile(plan, signed_in, args.profile, args.rounds)
        return 0
    times = measure(plan, signed_in, args.rounds, args.warmup)
    # Of one more request like the measured ones (a target not opened before, for first visits).
    queries = count_queries(plan, signed_in, args.warmup + args.rounds)
    if args.queries:
        for name, captured in queries.items():
            print(f"== {name}: {len(captured)} queries")
            for query in captured:
                print(f"   {query['sql'][:400]}")
    floor = statistics.median(times[FLOOR])
    database = "postgresql" if args.database_url else "sqlite"
    print(f"{database}: CPU per request, {args.rounds} requests per page after {args.warmup}")
    print(f"  {'page':<22} {'median':>9} {'p90':>9} {'× floor':>8} {'queries':>8}")
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"  {name:<22} {median * 1000:6.1f} ms {percentile(values, 0.9) * 1000:6.1f} ms"
            f" {median / floor:7.1f}× {len(queries[name]):>8}"
        )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    sys.exit(main())
