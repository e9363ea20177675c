"""Page-speed benchmark of the loop with synthetic data, through the real server.

    .venv/bin/python bench/bench_loop.py                       # SQLite, in a temporary dir
    .venv/bin/python bench/bench_loop.py --database-url postgres://postgres@127.0.0.1:5432/duban_bench

Creates 10,000 targets and 100,000 progress reports (plus milestones, co-units and an audit
trail) in a fresh database, starts `duban serve` on a free loopback port, and runs 20
concurrent clients, each signed in as office staff or as a unit reporter, over: the filtered
target list, a target page, and a unit's home page (`--importers N`: meanwhile N office staff
keep importing a document). Prints p50/p95 per page, then times `duban remind` over the same
data. For PostgreSQL the named database is dropped and created.
"""

import argparse
import contextlib
import datetime
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(url: str | None, data_dir: str, keep: bool = False):
    os.environ["DUBAN_DATA_DIR"] = data_dir
    if url:
        os.environ["DATABASE_URL"] = url
    if url and not keep:
        import dj_database_url
        import psycopg

        config = dj_database_url.parse(url)
        admin = psycopg.connect(
            host=config["HOST"],
            port=config["PORT"] or 5432,
            user=config["USER"],
            password=config["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
        admin.execute(f'CREATE DATABASE "{config["NAME"]}"')
        admin.close()
    if not url:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(targets: int, reports: int, seed: int = 11):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from duban.audit.models import AuditEvent
    from duban.organisations.models import Organisation, Person
    from duban.targets.models import Milestone, ProgressReport, Target

    rng = random.Random(seed)
    today = datetime.date.today()
    units = Organisation.objects.bulk_create(
        [Organisation(name=f"基准市第{i}局", short_name=f"第{i}局") for i in range(40)]
    )
    leaders = Person.objects.bulk_create(
        [Person(name=f"领导{i}", role=Person.Role.LEADER) for i in range(10)]
    )
    User = get_user_model()
    password = make_password("bench-password")
    office = User.objects.create(
        username="office", password=password, is_staff=True, is_superuser=True
    )
    Person.objects.create(
        name="督查员", role=Person.Role.OFFICE, organisation=units[0], user=office
    )
    reporters = []
    for i, unit in enumerate(units):
        user = User.objects.create(
            username=f"unit{i}", password=password, email=f"unit{i}@bench.example"
        )
        reporters.append(
            Person(
                name=f"填报员{i}",
                role=Person.Role.UNIT,
                organisation=unit,
                user=user,
                email=user.email,
            )
        )
    Person.objects.bulk_create(reporters)
    states = [
        "registered",
        "approved",
        "assigned",
        "in_progress",
        "in_progress",
        "in_progress",
        "closed",
    ]
    words = [
        "高新技术企业",
        "科技型中小企业",
        "创新平台",
        "孵化器",
        "技术合同",
        "研发投入",
        "人才团队",
        "成果转化",
        "科技金融",
        "农业科技园区",
    ]
    objects = []
    for i in range(targets):
        year = 2022 + i % 5
        deadline = today + datetime.timedelta(days=rng.randint(-60, 200))
        word = rng.choice(words)
        objects.append(
            Target(
                year=year,
                number=str(i % 60 + 1),
                text=f"推进{word}工作，年内{word}达到{rng.randint(10, 2000)}家。",
                source_category=rng.choice(["work_report", "work_plan", "business_goal"]),
                category=rng.choice(["重点目标", "创优目标", ""]),
                deadline=deadline,
                lead_unit=rng.choice(units),
                leader=rng.choice(leaders),
                state=rng.choice(states),
                return_count=rng.choice([0, 0, 0, 1, 2]),
            )
        )
    for target in objects:
        target.search_text = target.build_search_text([])
    created = Target.objects.bulk_create(objects, batch_size=2000)
    through = Target.co_units.through
    through.objects.bulk_create(
        [
            through(target_id=t.pk, organisation_id=rng.choice(units).pk)
            for t in created
            if rng.random() < 0.6
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    milestones = [
        Milestone(
            target=t,
            period=f"{t.year}-Q{q}",
            text=f"第{q}季度任务",
            due_date=datetime.date(t.year, q * 3, 28),
        )
        for t in created
        for q in (1, 2, 3, 4)
    ]
    Milestone.objects.bulk_create(milestones, batch_size=5000)
    report_objects = []
    live = set()  # one submitted or accepted report per target, unit and period (a constraint)
    for _ in range(reports):
        t = rng.choice(created)
        period = f"{t.year}-Q{rng.randint(1, 4)}"
        review_state = rng.choice(["submitted", "accepted", "returned"])
        if review_state != "returned":
            if (t.pk, period) in live:
                review_state = "returned"
            live.add((t.pk, period))
        report_objects.append(
            ProgressReport(
                target=t,
                period=period,
                unit=t.lead_unit,
                progress="本季度完成了阶段任务，组织活动若干场。" * 3,
                is_complete=rng.random() < 0.8,
                status_text="完成",
                review_state=review_state,
            )
        )
    ProgressReport.objects.bulk_create(report_objects, batch_size=5000)
    from django.contrib.contenttypes.models import ContentType

    target_type = ContentType.objects.get_for_model(Target)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor_name="督查员",
                action=rng.choice(["create", "transition", "update"]),
                summary="交办",
                object_type=target_type,
                object_id=str(t.pk),
                object_repr=str(t)[:200],
                target_id=t.pk,
                after={"办理状态": "待签收"},
            )
            for t in created
            for _ in range(5)
        ],
        batch_size=5000,
    )
    settle()
    return units


def settle():
    """What a database does by itself some time after a bulk load: PostgreSQL's autovacuum
    would get there within minutes; the benchmark does not wait for it."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def session_cookie(username: str) -> str:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(username=username)
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[-1]  # the one that signs in
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def load(port: int, plans: list, clients: int, per_client: int):
    """Each client signs in once and requests its pages in turn; returns latencies by page."""
    results: dict[str, list[float]] = {}
    lock = threading.Lock()

    def client(index: int):
        cookie, pages = plans[index % len(plans)]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        local: dict[str, list[float]] = {}
        for n in range(per_client):
            name, path = pages[n % len(pages)]()
            started = time.perf_counter()
            connection.request(
                "GET", path, headers={"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"}
            )
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
            local.setdefault(name, []).append(elapsed)
        connection.close()
        with lock:
            for name, values in local.items():
                results.setdefault(name, []).extend(values)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, time.perf_counter() - started


# What the importers upload: a short plan of the fictional 青溪市, made unique per upload (an
# upload of the same bytes would be answered from the earlier draft without reading it).
PLAN = "青溪市科学技术局2026年工作要点\n" + "".join(
    f"{n}.推进第{n}批科技企业孵化器建设，年底前新增孵化面积{n}万平方米。\n" for n in range(1, 31)
)


TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content, content_type) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def importer(port: int, cookie: str, stop: threading.Event, took: list) -> None:
    """Office staff importing documents until `stop`: each upload is read in its own child
    process while its request waits. Appends each upload's seconds to `took`."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"}
    connection.request("GET", "/documents/import/", headers=headers)
    response = connection.getresponse()
    token = TOKEN_RE.search(response.read().decode()).group(1)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    while not stop.is_set():
        plan = f"{PLAN}（{uuid.uuid4().hex}）".encode()
        body, content_type = multipart(
            {"csrfmiddlewaretoken": token}, {"files": ("plan.txt", plan, "text/plain")}
        )
        started = time.perf_counter()
        connection.request(
            "POST",
            "/documents/import/",
            body=body,
            headers={
                **headers,
                "Cookie": f"sessionid={cookie}; csrftoken={csrf_cookie.group(1)}",
                "Content-Type": content_type,
                "Referer": "http://127.0.0.1/documents/import/",
            },
        )
        response = connection.getresponse()
        page = response.read().decode()
        if response.status != 200 or "已读取" not in page:
            raise RuntimeError(f"import: HTTP {response.status}")
        took.append(time.perf_counter() - started)
    connection.close()


class Server:
    """A running `duban serve`: its port, and the CPU time its processes have used so far."""

    def __init__(self, port: int, pid: int):
        self.port = port
        self.pid = pid

    def cpu(self) -> float:
        """Seconds of CPU (user and system) of the server's supervisor and its live workers,
        from /proc (0 where there is none): a figure of the server's own work that, unlike
        latency, hardly depends on what else the machine is doing."""
        total = 0.0
        pids = [self.pid]
        with contextlib.suppress(OSError):
            pids += Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
        for pid in pids:
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total


@contextlib.contextmanager
def serving(threads: int | None, workers: int):
    """`duban serve` on a free loopback port, for the duration of the block; yields a Server.
    `threads` None: serve's default. What the server writes to stderr goes to serve.log in
    the data directory (a pipe nobody read once filled up and stopped the server)."""
    port = free_port()
    log = open(Path(os.environ["DUBAN_DATA_DIR"]) / "serve.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "duban",
            "serve",
            "--port",
            str(port),
            *(["--threads", str(threads)] if threads else []),
            "--workers",
            str(workers),
        ],
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        for _ in range(600):  # a minute: starting takes long on a machine that is busy
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield Server(port, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


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
        "--reuse",
        metavar="DIR",
        help="data directory of an earlier run: keep its data (and the PostgreSQL database)",
    )
    parser.add_argument("--no-remind", action="store_true", help="do not time `duban remind`")
    parser.add_argument(
        "--importers",
        type=int,
        default=0,
        help="office staff importing a document all along the run (their drafts are removed after)",
    )
    args = parser.parse_args()

    data_dir = args.reuse or tempfile.mkdtemp(prefix="duban-bench-")
    prepare_database(args.database_url, data_dir, keep=bool(args.reuse))
    from duban.organisations.models import Organisation
    from duban.targets.models import Target

    if args.reuse and Target.objects.exists():
        units = list(Organisation.objects.filter(name__startswith="基准市").order_by("pk"))
        print(f"reusing {Target.objects.count()} targets in {data_dir}")
    else:
        started = time.perf_counter()
        units = generate(args.targets, args.reports)
        print(
            f"generated {args.targets} targets, {args.reports} reports "
            f"in {time.perf_counter() - started:.1f} s (data in {data_dir})"
        )

    ids = list(Target.objects.values_list("pk", flat=True))
    office = session_cookie("office")
    unit_cookies = [(session_cookie(f"unit{i}"), units[i]) for i in range(len(units))]
    rng = random.Random(5)

    def office_pages():
        return [
            lambda: ("list (filtered)", "/targets/?year=2024&state=in_progress&light=red"),
            lambda: ("list (search)", "/targets/?q=%E5%AD%B5%E5%8C%96%E5%99%A8&year=2025"),
            lambda: ("target page", f"/targets/{rng.choice(ids)}/"),
        ]

    def unit_pages(unit):
        unit_ids = list(Target.objects.for_unit(unit.pk).values_list("pk", flat=True)[:200])
        return [
            lambda: ("unit home", "/"),
            lambda: ("list (filtered)", "/targets/?state=in_progress"),
            lambda: ("target page", f"/targets/{rng.choice(unit_ids)}/"),
        ]

    plans = [(office, office_pages())] + [(c, unit_pages(u)) for c, u in unit_cookies[:10]]
    env = {**os.environ}
    stop, imports = threading.Event(), []
    with serving(args.threads, args.workers) as server:
        load(server.port, plans, 4, 3)  # warm up
        importers = [
            threading.Thread(target=importer, args=(server.port, office, stop, imports))
            for _ in range(args.importers)
        ]
        for thread in importers:
            thread.start()
        cpu = server.cpu()
        results, elapsed = load(server.port, plans, args.clients, args.requests)
        cpu = server.cpu() - cpu
        stop.set()
        for thread in importers:
            thread.join()
    if args.importers:
        from duban.documents.models import ImportDraft

        for draft in ImportDraft.objects.filter(uploaded_by__username="office"):
            draft.delete_file()
            draft.delete()
    database = "postgresql" if args.database_url else "sqlite"
    total = sum(len(v) for v in results.values())
    print(
        f"{database}: {args.clients} clients, {total} requests in {elapsed:.1f} s;"
        f" server CPU {cpu:.2f} s ({cpu / total * 1000:.1f} ms a request)"
    )
    for name, values in sorted(results.items()):
        print(
            f"  {name:<16} n={len(values):<4} p50={statistics.median(values) * 1000:6.0f} ms"
            f"  p95={percentile(values, 0.95) * 1000:6.0f} ms"
        )
    if args.importers:
        print(
            f"  imports: {len(imports)} by {args.importers} importers meanwhile,"
            f" each {statistics.median(imports) if imports else 0:.2f} s (median)"
        )
    if args.no_remind:
        return 0
    started = time.perf_counter()
    remind = subprocess.run(
        [sys.executable, "-m", "duban", "remind", "--no-email"],
        env=env,
        capture_output=True,
        text=True,
    )
    print(
        f"duban remind: exit {remind.returncode} in {time.perf_counter() - started:.1f} s"
        f" ({remind.stdout.strip() or remind.stderr.strip()[:200]})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
