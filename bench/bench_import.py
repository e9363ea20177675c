"""Import benchmark: N synthetic documents extracted and stored, documents per second.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/duban .venv/bin/python bench/bench_import.py
    .venv/bin/python bench/bench_import.py --documents 200        # SQLite

Runs in a throw-away test database created next to the configured one (test_<name>), so the
configured database is never written. Each document is a quarterly completion table of ten
rows in the table-as-text layout, with its own figures, units and leaders.
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
    ("重点研发项目", "项"),
]
HEADER = [
    "序号",
    "年度目标",
    "第{q}季度目标",
    "是否完成",
    "具体工作进展",
    "未完成原因",
    "下步工作打算",
    "市政府\n分管领导",
    "责任单位",
]


def synthetic_document(index: int, rng: random.Random) -> bytes:
    year = 2020 + index % 6
    quarter = 1 + index % 4
    lines = [
        "",
        f"{year}年第{'一二三四'[quarter - 1]}季度第{index}批重点任务完成情况",
        "联系人：某某                 联系方式：1234567",
    ]
    lines += [f"\t{h.format(q=quarter)}" for h in HEADER]
    lines.append("")
    for row in range(10):
        subject, unit = rng.choice(SUBJECTS)
        goal = rng.randint(10, 3000)
        done = rng.random() < 0.8
        units = rng.sample(UNITS, rng.randint(1, 3))
        cells = [
            str(index * 10 + row + 1),
            f"推进第{row + 1}项重点工作，年内{subject}达到{goal}{unit}以上。",
            f"完成第{quarter}季度阶段任务，{subject}新增{goal // 4}{unit}。",
            "完成" if done else "未完成",
            f"本季度{subject}累计达到{rng.randint(1, goal)}{unit}，组织活动{rng.randint(1, 9)}场。",
            "无" if done else "受项目审批进度影响。",
            "继续做好跟踪服务。",
            rng.choice(LEADERS),
            "\n".join(units),
        ]
        lines += [f"\t{c}" for c in cells]
        lines.append("")
    return "\n".join(lines).encode("utf-8")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from duban.audit.context import Actor, acting_as
    from duban.documents.importing import import_extraction
    from duban.extraction.extract import extract

    rng = random.Random(args.seed)
    documents = [synthetic_document(i, rng) for i in range(args.documents)]
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with acting_as(Actor(name="基准测试", channel="bench")):
            started = time.perf_counter()
            for i, data in enumerate(documents):
                import_extraction(extract(data, name=f"bench-{i}.txt"))
            elapsed = time.perf_counter() - started
        from duban.targets.models import Target

        targets = Target.objects.count()
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)
    print(f"database: {connection.vendor}")
    print(f"documents: {args.documents}, targets: {targets}")
    print(f"elapsed: {elapsed:.1f} s, {args.documents / elapsed:.1f} documents/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
