"""Speed of the dashboard (/reports/dashboard/) with synthetic data, through the real server.

    .venv/bin/python bench/bench_dashboard.py                  # SQLite, in a temporary dir
    .venv/bin/python bench/bench_dashboard.py --single-year    # all 10,000 targets in one year
    .venv/bin/python bench/bench_dashboard.py --database-url postgres://postgres@127.0.0.1:5432/duban_bench

Creates the data of bench_loop.py (10,000 targets, 100,000 progress reports, milestones,
co-units, an audit trail; its `generate()`), gives the reports submission times around their
periods' deadlines, sets goals on 30% of the targets with reported actuals for most of them
and figures from summaries besides, and signs in leaders. Then starts `duban serve` and runs
20 concurrent clients over the dashboard as office staff (the year, a quarter of it, another
year), as leaders and as unit reporters. Prints p50/p95 per kind of page and overall; the
target is p95 under 300 ms. For PostgreSQL the named database is dropped and created.
"""

import argparse
import datetime
import random
import statistics
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_loop import (  # noqa: E402
    generate,
    load,
    percentile,
    prepare_database,
    serving,
    session_cookie,
    settle,
)


def add_dashboard_data(single_year: int | None, seed: int = 13):
    """What the dashboard reads beyond bench_loop's data: submission times, goals and
    actuals, leaders who can sign in."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db.models import F, Value
    from django.db.models.functions import Concat, Right
    from django.utils import timezone

    from duban.documents.models import Genre, SourceDocument
    from duban.organisations.models import Person
    from duban.targets.models import Indicator, ProgressReport, Target
    from duban.targets.periods import Period

    rng = random.Random(seed)
    if single_year:
        Target.objects.update(year=single_year)
        ProgressReport.objects.update(period=Concat(Value(f"{single_year}-"), Right("period", 2)))
    # Reports sent from three weeks before to three weeks after their period's end.
    periods = ProgressReport.objects.order_by().values_list("period", flat=True).distinct()
    for period in list(periods):
        end = Period.parse(period).end_date
        for k, offset in enumerate((-20, 5, 9, 14, 25)):
            moment = timezone.make_aware(
                datetime.datetime.combine(end + datetime.timedelta(days=offset), datetime.time(10))
            )
            ProgressReport.objects.alias(k=F("id") % 5).filter(period=period, k=k).update(
                submitted_at=moment
            )
    # Goals on 30% of the targets, an actual in their own reports for 80% of those, and the
    # figures a summary document reports for each year.
    summary = SourceDocument.objects.create(
        name="bench-summary.txt",
        format="txt",
        sha256="d" * 64,
        genre=Genre.SUMMARY,
        text="基准市科技工作总结",
    )
    subjects = ["高新技术企业", "科技型中小企业", "省级创新平台", "技术合同成交额", "研发投入"]
    units = {"技术合同成交额": "亿元", "研发投入": "亿元"}
    indicators = []
    for target in Target.objects.only("id", "year"):
        if rng.random() >= 0.3:
            continue
        subject = rng.choice(subjects)
        unit = units.get(subject, "家")
        goal = rng.randint(50, 2000)
        indicators.append(
            Indicator(
                target_id=target.pk,
                kind="target",
                subject=subject,
                comparator=">=",
                value=Decimal(goal),
                unit=unit,
                year=target.year,
            )
        )
        if rng.random() < 0.8:
            indicators.append(
                Indicator(
                    target_id=target.pk,
                    kind="actual",
                    subject=subject,
                    comparator="=",
                    value=Decimal(int(goal * rng.uniform(0.4, 1.3))),
                    unit=unit,
                    year=target.year,
                )
            )
    years = Target.objects.order_by().values_list("year", flat=True).distinct()
    for year in list(years):
        for subject in subjects:
            indicators.append(
                Indicator(
                    source_document=summary,
                    kind="actual",
                    subject=f"全市{subject}",
                    comparator="=",
                    value=Decimal(rng.randint(100, 3000)),
                    unit=units.get(subject, "家"),
                    year=year,
                )
            )
    Indicator.objects.bulk_create(indicators, batch_size=5000)
    User = get_user_model()
    password = make_password("bench-password")
    leaders = list(Person.objects.filter(role=Person.Role.LEADER).order_by("id"))
    for i, leader in enumerate(leaders):
        leader.user = User.objects.create(username=f"leader{i}", password=password)
        leader.save(update_fields=["user"])
    settle()
    return len(indicators), len(leaders)


def edit_targets(every: float, stop: threading.Event):
    """An office at work: a recorded change every `every` seconds until `stop`."""
    from django.db import connection

    from duban.targets.models import Target

    ids = list(Target.objects.values_list("pk", flat=True)[:500])
    n = 0
    while not stop.wait(every):
        target = Target.objects.get(pk=ids[n % len(ids)])
        target.title = f"改{n}"
        target.save()
        n += 1
    print(f"  {n} targets edited during the run")
    connection.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--targets", type=int, default=10_000)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=30, help="requests per client")
    parser.add_argument(
        "--threads", type=int, default=None, help="server threads per worker (serve's default)"
    )
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument(
        "--change-every",
        type=float,
        default=0,
        metavar="SECONDS",
        help="meanwhile edit a target this often, so cached figures must be worked out again",
    )
    parser.add_argument(
        "--single-year", action="store_true", help="put every target in the current year"
    )
    parser.add_argument(
        "--reuse",
        metavar="DIR",
        help="the data directory of a run (and its PostgreSQL database, with --database-url)",
    )
    args = parser.parse_args()

    year = datetime.date.today().year
    if args.reuse:
        # The data of an earlier run (with --database-url, its PostgreSQL database as it is):
        # only for trying changes to the code quickly.
        prepare_database(args.database_url, args.reuse, keep=True)
        from duban.organisations.models import Organisation, Person

        units = list(Organisation.objects.filter(name__startswith="基准市").order_by("id"))
        leaders = Person.objects.filter(role=Person.Role.LEADER, user__isnull=False).count()
    else:
        data_dir = tempfile.mkdtemp(prefix="duban-bench-dashboard-")
        prepare_database(args.database_url, data_dir)
        started = time.perf_counter()
        units = generate(args.targets, args.reports)
        figures, leaders = add_dashboard_data(year if args.single_year else None)
        print(
            f"generated {args.targets} targets, {args.reports} reports, {figures} figures"
            f"{' (all in ' + str(year) + ')' if args.single_year else ''}"
            f" in {time.perf_counter() - started:.1f} s  (data in {data_dir})"
        )
    from duban.targets.models import Target

    office = session_cookie("office")
    leader_cookies = [session_cookie(f"leader{i}") for i in range(leaders)]
    unit_cookies = [session_cookie(f"unit{i}") for i in range(len(units))]
    other_year = year - 1 if not args.single_year else year
    for kind, count in (
        ("office, this year", Target.objects.filter(year=year).count()),
        (
            "a leader, this year",
            Target.objects.filter(year=year, leader__user__username="leader0").count(),
        ),
    ):
        print(f"  dashboard over {count} targets ({kind})")

    def office_pages():
        return [
            lambda: ("office: year", "/reports/dashboard/"),
            lambda: ("office: quarter", f"/reports/dashboard/?year={year}&period={year}-Q3"),
            lambda: ("office: other year", f"/reports/dashboard/?year={other_year}"),
        ]

    def leader_pages():
        return [lambda: ("leader: year", "/reports/dashboard/")]

    def unit_pages():
        return [lambda: ("unit: year", "/reports/dashboard/")]

    # 20 clients: ten as office staff, five as leaders, five as unit reporters.
    plans = []
    for i in range(args.clients):
        if i % 4 in (0, 2):
            plans.append((office, office_pages()))
        elif i % 4 == 1:
            plans.append((leader_cookies[i % len(leader_cookies)], leader_pages()))
        else:
            plans.append((unit_cookies[i % len(unit_cookies)], unit_pages()))
    with serving(args.threads, args.workers) as server:
        load(server.port, plans, 4, 3)  # warm up
        cpu = server.cpu()
        editing = threading.Event()
        editor = threading.Thread(target=edit_targets, args=(args.change_every, editing))
        if args.change_every:
            editor.start()
        try:
            results, elapsed = load(server.port, plans, args.clients, args.requests)
        finally:
            editing.set()
            if args.change_every:
                editor.join()
        cpu = server.cpu() - cpu
    database = "postgresql" if args.database_url else "sqlite"
    everything = [v for values in results.values() for v in values]
    print(
        f"{database}: {args.clients} clients, {len(everything)} requests in {elapsed:.1f} s;"
        f" server CPU {cpu:.2f} s ({cpu / len(everything) * 1000:.1f} ms a request)"
    )
    for name, values in sorted(results.items()):
        print(
            f"  {name:<20} n={len(values):<4} p50={statistics.median(values) * 1000:6.0f} ms"
            f"  p95={percentile(values, 0.95) * 1000:6.0f} ms"
        )
    p95 = percentile(everything, 0.95) * 1000
    print(
        f"  {'all':<20} n={len(everything):<4} p50={statistics.median(everything) * 1000:6.0f} ms"
        f"  p95={p95:6.0f} ms  ({'under' if p95 < 300 else 'OVER'} 300 ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
