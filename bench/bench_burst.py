"""Deadline day: 200 unit reporters open the report form and submit within a minute.

    .venv/bin/python bench/bench_burst.py                    # SQLite, in a temporary dir
    .venv/bin/python bench/bench_burst.py --database-url postgres://postgres@127.0.0.1:5432/duban_burst
    .venv/bin/python bench/bench_burst.py --spread 0         # all 200 at the same instant

Builds background data (bench_loop's targets, reports and trail, smaller by default) and 200
units, each with one signed-in reporter and one target in progress; starts `duban serve` with
the given workers and threads on a free loopback port. Each reporter, starting at a random
moment within `--spread` seconds, opens the report form, submits a report (with a small evidence
file) and lands on the target page, then keeps its connection open, as a browser does, until
every reporter is done. Prints p50/p95/max per step, errors and timeouts (a client waits at most
120 s), and checks that every unit's report was stored exactly once.

The issue's figure: every request under 2 s at p95 with no timeouts, on both databases, with
`--workers 2` on a 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import random
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_loop import (  # noqa: E402
    TOKEN_RE,
    generate,
    multipart,
    percentile,
    prepare_database,
    serving,
    session_cookie,
)

CLIENT_TIMEOUT = 120


def burst_units(count: int):
    """`count` units, each with a reporter (unitburstN) and one target it leads, in progress."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from duban.organisations.models import Organisation, Person
    from duban.targets.models import Milestone, Target
    from duban.targets.periods import Period

    today = datetime.date.today()
    quarter = Period.quarter_of(today)
    units = Organisation.objects.bulk_create(
        [Organisation(name=f"冲刺县第{i}局", short_name=f"冲刺{i}") for i in range(count)]
    )
    User = get_user_model()
    password = make_password("bench-password")
    users = User.objects.bulk_create(
        [User(username=f"unitburst{i}", password=password) for i in range(count)]
    )
    Person.objects.bulk_create(
        [
            Person(name=f"冲刺填报员{i}", role=Person.Role.UNIT, organisation=unit, user=user)
            for i, (unit, user) in enumerate(zip(units, users, strict=True))
        ]
    )
    targets = Target.objects.bulk_create(
        [
            Target(
                year=today.year,
                number=str(i + 1),
                text=f"第{i}局年内新增科技型中小企业{10 + i % 50}家。",
                source_category="work_plan",
                deadline=today + datetime.timedelta(days=30),
                lead_unit=unit,
                state=Target.State.IN_PROGRESS,
            )
            for i, unit in enumerate(units)
        ]
    )
    Milestone.objects.bulk_create(
        [
            Milestone(target=t, period=str(quarter), text="本季度任务", due_date=today)
            for t in targets
        ]
    )
    return [(f"unitburst{i}", t.pk) for i, t in enumerate(targets)], str(quarter)


class Reporter(threading.Thread):
    """One unit's reporter: form, submit, target page; then an idle kept-alive connection."""

    def __init__(self, port, cookie, target_id, period, start_at, all_done, evidence):
        super().__init__(daemon=True)
        self.port, self.cookie, self.target_id, self.period = port, cookie, target_id, period
        self.start_at, self.all_done, self.evidence = start_at, all_done, evidence
        self.timings: dict[str, float] = {}
        self.error: str | None = None

    def request(self, connection, step, method, path, body=None, headers=None):
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        content = response.read()
        self.timings[step] = time.perf_counter() - started
        return response, content

    def run(self):
        time.sleep(max(0.0, self.start_at - time.perf_counter()))
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=CLIENT_TIMEOUT)
        cookies = f"sessionid={self.cookie}"
        base = {"Host": "127.0.0.1", "Cookie": cookies}
        path = f"/targets/{self.target_id}/report/"
        try:
            response, content = self.request(connection, "form", "GET", path, headers=base)
            if response.status != 200:
                raise RuntimeError(f"form: HTTP {response.status}")
            token = TOKEN_RE.search(content.decode()).group(1)
            csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
            if csrf:
                cookies += f"; csrftoken={csrf.group(1)}"
            fields = {
                "csrfmiddlewaretoken": token,
                "period": self.period,
                "progress": "本季度新增科技型中小企业若干家，组织政策宣讲两场。",
                "is_complete": "yes",
                "next_steps": "继续做好企业培育。",
            }
            files = (
                {"evidence": ("进展材料.txt", self.evidence, "text/plain")} if self.evidence else {}
            )
            body, content_type = multipart(fields, files)
            headers = {
                **base,
                "Cookie": cookies,
                "Content-Type": content_type,
                "Referer": f"http://127.0.0.1:{self.port}{path}",
            }
            response, _ = self.request(connection, "submit", "POST", path, body, headers)
            if response.status != 302:
                raise RuntimeError(f"submit: HTTP {response.status}")
            location = response.getheader("Location")
            response, _ = self.request(
                connection, "target page", "GET", location, headers={**base, "Cookie": cookies}
            )
            if response.status != 200:
                raise RuntimeError(f"target page: HTTP {response.status}")
        except TimeoutError:
            self.error = "timeout"
        except Exception as error:  # every failure is a figure of the benchmark
            self.error = f"{type(error).__name__}: {error}"
        self.all_done.wait(timeout=CLIENT_TIMEOUT * 3)
        connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--reporters", type=int, default=200)
    parser.add_argument("--spread", type=float, default=60.0, help="seconds the starts spread over")
    parser.add_argument("--targets", type=int, default=3000, help="background targets")
    parser.add_argument("--reports", type=int, default=30000, help="background reports")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=None, help="default: serve's own")
    parser.add_argument("--evidence-kb", type=int, default=50, help="0 for no evidence file")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="duban-burst-")
    prepare_database(args.database_url, data_dir)
    started = time.perf_counter()
    generate(args.targets, args.reports)
    plan, period = burst_units(args.reporters)
    cookies = {username: session_cookie(username) for username, _ in plan}
    print(
        f"data: {args.targets} background targets, {args.reports} reports, "
        f"{args.reporters} reporters ({time.perf_counter() - started:.1f} s, in {data_dir})"
    )

    from django.db import connections

    connections.close_all()
    line = "本季度佐证材料说明。\n".encode()
    evidence = line * (args.evidence_kb * 1024 // len(line))
    rng = random.Random(3)
    all_done = threading.Event()
    with serving(args.threads, args.workers) as server:
        origin = time.perf_counter() + 1.0
        reporters = [
            Reporter(
                server.port,
                cookies[username],
                target_id,
                period,
                origin + rng.uniform(0, args.spread),
                all_done,
                evidence,
            )
            for username, target_id in plan
        ]
        for reporter in reporters:
            reporter.start()
        deadline = time.perf_counter() + args.spread + CLIENT_TIMEOUT * 3
        while any(
            r.is_alive() and not r.timings.get("target page") and not r.error for r in reporters
        ):
            if time.perf_counter() > deadline:
                break
            time.sleep(0.2)
        elapsed = time.perf_counter() - origin
        all_done.set()
        for reporter in reporters:
            reporter.join(timeout=5)

    from duban.targets.models import ProgressReport

    stored = ProgressReport.objects.filter(target_id__in=[t for _, t in plan], period=period)
    per_target = {}
    for target_id in stored.values_list("target_id", flat=True):
        per_target[target_id] = per_target.get(target_id, 0) + 1
    errors = [r.error for r in reporters if r.error]
    database = "postgresql" if args.database_url else "sqlite"
    threads = args.threads or "default"
    print(
        f"{database}: {args.reporters} reporters over {args.spread:.0f} s, --workers "
        f"{args.workers} --threads {threads}; done in {elapsed:.1f} s"
    )
    everything = []
    for step in ("form", "submit", "target page"):
        values = [r.timings[step] for r in reporters if step in r.timings]
        everything += values
        if values:
            print(
                f"  {step:<12} n={len(values):<4} p50={percentile(values, 0.5) * 1000:6.0f} ms"
                f"  p95={percentile(values, 0.95) * 1000:6.0f} ms  max={max(values) * 1000:6.0f} ms"
            )
    if everything:
        print(
            f"  {'all':<12} n={len(everything):<4} p50={percentile(everything, 0.5) * 1000:6.0f} ms"
            f"  p95={percentile(everything, 0.95) * 1000:6.0f} ms"
            f"  max={max(everything) * 1000:6.0f} ms"
        )
    print(
        f"  errors {len(errors)} (timeouts {errors.count('timeout')})"
        + (f": {sorted(set(errors))[:3]}" if errors else "")
    )
    doubled = sum(1 for n in per_target.values() if n > 1)
    print(f"  reports stored: {len(per_target)} of {args.reporters}, stored twice: {doubled}")
    return 1 if errors or doubled else 0


if __name__ == "__main__":
    sys.exit(main())
