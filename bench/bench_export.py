"""Export benchmark: the three ledgers of N synthetic targets as .xlsx and .docx, seconds each.

    .venv/bin/python bench/bench_export.py                       # SQLite, 5,000 targets
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/duban .venv/bin/python bench/bench_export.py

Runs in a throw-away test database created next to the configured one (test_<name>), so the
configured database is never written. Each target has a lead unit, one or two co-units, a
leader, a quarterly milestone and an accepted report for that quarter with texts of the
length offices write; every third is a commitment with a report for each of two quarters
(two progress blocks), every tenth a 创优目标 with a benchmark. The time is the whole export:
queries, layout and file.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")

UNITS = [
    "市科技局",
    "市财政局",
    "市发展改革委",
    "市工业和信息化局",
    "市教育局",
    "市农业农村局",
    "市人力资源社会保障局",
    "市商务局",
    "市卫生健康委",
    "市生态环境局",
]
LEADERS = ["甲副市长", "乙副市长", "丙副市长", "丁副市长"]
SUBJECTS = [
    ("高新技术企业", "家"),
    ("科技型中小企业", "家"),
    ("省级以上创新平台", "家"),
    ("技术合同成交额", "亿元"),
    ("科技特派员", "人"),
]


def make_targets(count: int, rng: random.Random) -> None:
    from duban.organisations.models import Organisation, Person
    from duban.targets.models import Milestone, ProgressReport, SourceCategory, Target

    units = [Organisation.objects.create(name=f"某市{u[1:]}", short_name=u) for u in UNITS]
    leaders = [Person.objects.create(name=n, role=Person.Role.LEADER) for n in LEADERS]
    sources = [SourceCategory.WORK_REPORT, SourceCategory.BUSINESS_GOAL, SourceCategory.COMMITMENT]
    targets = []
    for i in range(count):
        subject, unit = rng.choice(SUBJECTS)
        goal = rng.randint(10, 3000)
        source = sources[i % 3]
        targets.append(
            Target(
                year=2026,
                number=str(i % 200 + 1),
                title=f"推进第{i + 1}项重点工作" if source == SourceCategory.BUSINESS_GOAL else "",
                text=(
                    f"围绕{subject}培育，完善政策体系和服务机制，强化部门协同，"
                    f"年内{subject}达到{goal}{unit}以上，推动创新主体量质齐升。"
                ),
                source_category=source,
                source_label="市直部门公开承诺事项" if source == SourceCategory.COMMITMENT else "",
                category=("创优目标" if i % 10 == 0 else "重点目标")
                if source == SourceCategory.BUSINESS_GOAL
                else "",
                benchmark="在全省设区市中率先完成试点任务。" if i % 10 == 0 else "",
                deadline_text="12月" if source == SourceCategory.COMMITMENT else "",
                lead_unit=rng.choice(units),
                leader=rng.choice(leaders),
            )
        )
    targets = Target.objects.bulk_create(targets, batch_size=500)
    through = Target.co_units.through
    through.objects.bulk_create(
        [
            through(target_id=t.pk, organisation_id=u.pk)
            for t in targets
            for u in rng.sample(units, rng.randint(1, 2))
            if u.pk != t.lead_unit_id
        ],
        batch_size=1000,
    )
    milestones = Milestone.objects.bulk_create(
        [
            Milestone(
                target=t,
                period="2026-Q1",
                text="制定年度工作方案，完成第一季度阶段任务，组织政策宣讲和申报辅导。",
            )
            for t in targets
        ],
        batch_size=1000,
    )
    reports = []
    for target, milestone in zip(targets, milestones, strict=True):
        periods = ["2026-Q1", "2026-Q2"] if target.source_category == "commitment" else ["2026-Q1"]
        for period in periods:
            done = rng.random() < 0.8
            reports.append(
                ProgressReport(
                    target=target,
                    milestone=milestone if period == "2026-Q1" else None,
                    period=period,
                    unit=target.lead_unit,
                    progress=(
                        "1.制定印发年度工作方案，明确任务分工和时间节点；\n"
                        f"2.组织政策宣讲{rng.randint(2, 9)}场，服务企业{rng.randint(50, 400)}家；\n"
                        "3.会同有关部门开展调度，协调解决项目推进中的困难和问题。"
                    ),
                    status_text="完成" if done else "未完成",
                    is_complete=done,
                    reason="无" if done else "受项目审批进度影响，部分工作顺延。",
                    next_steps="继续做好跟踪服务，加强调度督导，确保按期完成年度目标。",
                    review_state=ProgressReport.Review.ACCEPTED,
                )
            )
    ProgressReport.objects.bulk_create(reports, batch_size=1000)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--targets", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from duban.reports.ledgers.export import export_ledger
    from duban.targets.models import SourceCategory, Target
    from duban.targets.periods import Period

    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    results = []
    try:
        make_targets(args.targets, random.Random(args.seed))
        everything = Target.objects.all()
        runs = [
            ("progress", everything, Period.parse("2026-Q1")),
            ("commitments", everything, None),
            ("goals", everything, None),
            (
                "commitments",
                everything.filter(source_category=SourceCategory.COMMITMENT),
                None,
            ),
        ]
        for layout, targets, period in runs:
            for fmt in ("xlsx", "docx"):
                started = time.perf_counter()
                result = export_ledger(targets, layout, fmt, period=period, year=2026)
                elapsed = time.perf_counter() - started
                results.append(
                    (
                        layout,
                        fmt,
                        result.ledger.count,
                        len(result.ledger.rows),
                        elapsed,
                        len(result.content),
                    )
                )
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)
    print(f"database: {connection.vendor}")
    for layout, fmt, count, rows, elapsed, size in results:
        print(
            f"{layout:<12} {fmt}: {count} targets, {rows} rows, {elapsed:.2f} s, "
            f"{size / 1024 / 1024:.1f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
