"""Reminder benchmark: `duban remind` over 10,000 targets, 40,000 milestones and 100,000
progress reports, with its e-mails sent to a real SMTP server on loopback.

    .venv/bin/python bench/bench_remind.py                      # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/duban .venv/bin/python bench/bench_remind.py

Runs in a throw-away test database created next to the configured one (test_<name>), so the
configured database is never written. The SMTP server is aiosmtpd in a process of its own
(a sink that accepts and drops every message); `--email locmem` keeps the messages in memory
instead and `--email none` gives in-app notifications only.

Three runs are timed, each as `duban remind --today 2026-06-15` would run:
  first     the backlog of a newly deployed office: thousands of in-app reminders, and one
            digest e-mail (今日待办) per reporter with an address;
  again     the same day a few minutes later, as cron runs it: nothing new to give or send;
  next day  a day later: the reminders that became due since, and that day's digests.
"""

import argparse
import contextlib
import datetime
import io
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")

TODAY = datetime.date(2026, 6, 15)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_smtp_sink() -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}"]
        + ["-c", "aiosmtpd.handlers.Sink"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return server, port
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise SystemExit("aiosmtpd did not start")


def populate(targets: int, reports_per_target: int, rng: random.Random) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from duban.organisations.models import Organisation, Person
    from duban.targets.models import Milestone, ProgressReport, Target
    from duban.targets.periods import Period

    units = Organisation.objects.bulk_create(
        [Organisation(name=f"基准市第{i}局", short_name=f"第{i}局") for i in range(50)]
    )
    password = make_password("bench-password-1")
    users = get_user_model().objects.bulk_create(
        [
            get_user_model()(username=f"u{u.pk}-{j}", password=password, first_name="填报员")
            for u in units
            for j in range(2)
        ]
    )
    Person.objects.bulk_create(
        [
            Person(
                name=f"填报员{user.username}",
                role=Person.Role.UNIT,
                organisation=units[i // 2],
                user=user,
                email=f"{user.username}@bench.example" if i % 10 else "",
            )
            for i, user in enumerate(users)
        ]
    )

    # Registered and assigned up to ten days before the day the runs are for.
    assigned = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(9)))
    rows = []
    for i in range(targets):
        roll = rng.random()
        state = (
            Target.State.ASSIGNED
            if roll < 0.1
            else Target.State.CLOSED
            if roll < 0.2
            else Target.State.IN_PROGRESS
        )
        if rng.random() < 0.3:
            deadline = TODAY + datetime.timedelta(days=rng.randint(-30, 60))
        else:
            deadline = datetime.date(2026, 12, 31)
        rows.append(
            Target(
                year=2026,
                number=str(i + 1),
                text=f"第{i + 1}项基准目标：推进科技创新平台建设，年内新增企业{rng.randint(5, 500)}家。",
                state=state,
                lead_unit=units[i % len(units)],
                deadline=deadline,
                deadline_text=f"{deadline:%Y年%m月%d日}前",
                created_at=assigned - datetime.timedelta(days=rng.randint(0, 10)),
            )
        )
    created = Target.objects.bulk_create(rows, batch_size=1000)

    quarters = [Period(2026, "Q", q) for q in range(1, 5)]
    Milestone.objects.bulk_create(
        [
            Milestone(target=t, period=str(p), text=f"{p.label}阶段任务", due_date=p.end_date)
            for t in created
            for p in quarters
        ],
        batch_size=2000,
    )

    periods = (
        ["2026-Q1"] + [f"2026-M0{m}" for m in range(1, 6)] + [f"2025-Q{q}" for q in (1, 2, 3, 4)]
    )
    reports = []
    for t in created:
        for period in periods[:reports_per_target]:
            review = ProgressReport.Review.ACCEPTED
            if period == "2026-Q1" and rng.random() < 0.1:
                review = rng.choice([ProgressReport.Review.DRAFT, ProgressReport.Review.RETURNED])
            reports.append(
                ProgressReport(
                    target=t,
                    period=period,
                    unit_id=t.lead_unit_id,
                    progress="按计划推进，已完成阶段任务。",
                    is_complete=True,
                    status_text="完成",
                    review_state=review,
                )
            )
    ProgressReport.objects.bulk_create(reports, batch_size=2000)
    return {
        "targets": Target.objects.count(),
        "milestones": Milestone.objects.count(),
        "reports": ProgressReport.objects.count(),
        "reporters": len(users),
    }


def timed_remind(today: datetime.date, extra: list[str]) -> tuple[float, str]:
    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with contextlib.suppress(SystemExit):  # exit status 1: some e-mail failed, reported
        call_command("remind", "--today", today.isoformat(), *extra, stdout=out, stderr=err)
    elapsed = time.perf_counter() - started
    return elapsed, (out.getvalue().strip() + " " + err.getvalue().strip()).strip()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--targets", type=int, default=10_000)
    parser.add_argument("--reports-per-target", type=int, default=10)
    parser.add_argument("--email", choices=["smtp", "locmem", "none"], default="smtp")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    server = None
    extra = []
    if args.email == "smtp":
        server, port = start_smtp_sink()
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER = False, ""
    elif args.email == "locmem":
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    else:
        extra = ["--no-email"]
    settings.DUBAN_DUE_SOON_DAYS = 7

    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        sizes = populate(args.targets, args.reports_per_target, random.Random(args.seed))
        print(f"database: {connection.vendor}, e-mail: {args.email}")
        print(
            f"data: {sizes['targets']} targets, {sizes['milestones']} milestones, "
            f"{sizes['reports']} reports, {sizes['reporters']} reporters "
            f"(made in {time.perf_counter() - started:.1f} s)"
        )
        for label, today in [("first", TODAY), ("again", TODAY), ("next day", TODAY)]:
            if label == "next day":
                today = TODAY + datetime.timedelta(days=1)
            elapsed, summary = timed_remind(today, extra)
            print(f"{label:>8}: {elapsed:6.2f} s  {summary}")
        from duban.supervision.models import Notification

        print(f"notifications: {Notification.objects.count()}")
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)
        if server is not None:
            server.terminate()
            server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
