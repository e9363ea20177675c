"""`duban backup` then `duban restore` into an empty data directory (and database): the same
targets, reports, evidence files (bytes), people and audit trail. Run as real processes, on
SQLite; on PostgreSQL too when DATABASE_URL points at one and pg_dump/pg_restore are on PATH."""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import uuid

import pytest

# Fills a demo database with what a backup must carry beyond the demo: evidence files (bytes
# that are not text, a Chinese file name), and units and people imported from a roster.
POPULATE = r"""
import django
django.setup()
from django.core.files.base import ContentFile
from duban.organisations import roster
from duban.targets.models import Evidence, ProgressReport
report = ProgressReport.objects.order_by("pk").first()
for n in range(3):
    evidence = Evidence(report=report, name=f"佐证材料{n}.bin", size=300)
    evidence.file.save(f"佐证材料{n}.bin", ContentFile(bytes(range(256)) + bytes([n]) * 44))
rows = [
    roster.Row(2, "青溪市人民政府", "", "市级人民政府", "", "", "", ""),
    roster.Row(3, "云台县人民政府", "青溪市人民政府", "县级人民政府", "赵云峰", "13900000005",
               "zhaoyf@yuntai.example", "分管领导"),
]
roster.apply(roster.Table(rows, [], []), source="名单.csv")
from duban.organisations.models import Organisation
from duban.supervision.models import UnitChannel
UnitChannel.objects.create(
    unit=Organisation.objects.get(name="云台县人民政府"), kind="dingtalk",
    url="https://oapi.dingtalk.com/robot/send?access_token=yuntai-token-0001",
    secret="SECyuntai0123456789",
)
"""

# Everything a restore must give back, as JSON.
FINGERPRINT = r"""
import hashlib, json
import django
django.setup()
from django.contrib.auth import get_user_model
from duban.audit.models import AuditEvent
from duban.organisations.models import Organisation, Person
from duban.supervision.models import UnitChannel
from duban.targets.models import Evidence, ProgressReport, Target
def rows(qs):
    return [{k: str(v) for k, v in sorted(r.items())} for r in qs.order_by("pk").values()]
print(json.dumps({
    "targets": rows(Target.objects.all()),
    "reports": rows(ProgressReport.objects.all()),
    "evidence": [
        [e.pk, e.name, e.file.name, hashlib.sha256(e.file.open("rb").read()).hexdigest()]
        for e in Evidence.objects.order_by("pk")
    ],
    "units": rows(Organisation.objects.all()),
    "people": rows(Person.objects.all()),
    "users": rows(get_user_model().objects.all()),
    "trail": rows(AuditEvent.objects.all()),
    # Stored encrypted: read back only with the secret key that travelled in the backup.
    "channels": [[c.url, c.secret] for c in UnitChannel.objects.order_by("pk")],
}, ensure_ascii=False, sort_keys=True))
"""


def run(*args, env, timeout=180):
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "DUBAN_SECRET_KEY": "", **env},
    )


def duban(*args, env, timeout=180):
    return run("-m", "duban", *args, env=env, timeout=timeout)


def ok(result):
    assert result.returncode == 0, result.stderr
    return result


def fingerprint(env):
    return json.loads(ok(run("-c", FINGERPRINT, env=env)).stdout)


def _postgres_databases():
    """Two new, empty databases on the server of DATABASE_URL, dropped afterwards."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    suffix = uuid.uuid4().hex[:8]
    names = [f"duban_backup_a_{suffix}", f"duban_backup_b_{suffix}"]
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "dbname": config["NAME"],
    }
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]

    class Databases:
        urls = [f"{base}/{name}" for name in names]

        def __enter__(self):
            with psycopg.connect(**params, autocommit=True) as connection:
                for name in names:
                    connection.execute(f'CREATE DATABASE "{name}"')
            return self

        def __exit__(self, *exc):
            with psycopg.connect(**params, autocommit=True) as connection:
                for name in names:
                    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return Databases()


ENGINES = ["sqlite", "postgresql"]


@pytest.fixture(params=ENGINES)
def databases(request):
    """(source, destination) DATABASE_URL values: empty for SQLite in the data directory."""
    if request.param == "sqlite":
        yield "", ""
        return
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore are not on PATH")
    with _postgres_databases() as created:
        yield tuple(created.urls)


@pytest.mark.parametrize("portable", [False, True], ids=["native", "portable"])
def test_backup_then_restore_into_an_empty_data_directory_gives_everything_back(
    tmp_path, databases, portable
):
    source = {"DUBAN_DATA_DIR": str(tmp_path / "a"), "DATABASE_URL": databases[0]}
    restored = {"DUBAN_DATA_DIR": str(tmp_path / "b"), "DATABASE_URL": databases[1]}
    ok(duban("demo", env=source))
    ok(run("-c", POPULATE, env=source))
    before = fingerprint(source)
    assert len(before["evidence"]) == 3 and before["trail"] and before["targets"]
    assert before["channels"] == [
        [
            "https://oapi.dingtalk.com/robot/send?access_token=yuntai-token-0001",
            "SECyuntai0123456789",
        ]
    ]

    archive = tmp_path / "backup.tar.gz"
    args = ["backup", str(archive), *(["--portable"] if portable else [])]
    result = ok(duban(*args, env=source))
    assert "已备份" in result.stdout and "文件 3 个" in result.stdout
    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = json.load(opened.extractfile("manifest.json"))
        dump = opened.extractfile(manifest["database"]["file"]).read()
    # The webhook's token and the signing secret are in the dump only encrypted.
    assert b"yuntai-token-0001" not in dump and b"SECyuntai0123456789" not in dump
    assert names[0] == "manifest.json"
    assert manifest["files"]["count"] == 3
    assert manifest["database"]["method"] == (
        "dumpdata" if portable else {"": "sqlite-backup"}.get(databases[0], "pg_dump")
    )
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    result = ok(duban("restore", str(archive), env=restored))
    assert "已恢复" in result.stdout and "无法用现在的系统密钥解密" not in result.stdout
    after = fingerprint(restored)
    for key in before:
        if after[key] != before[key]:
            diffs = [(a, b) for a, b in zip(after[key], before[key], strict=False) if a != b][:1]
            diffs = [{k: (a[k], b.get(k)) for k in a if a[k] != b.get(k)} for a, b in diffs]
            raise AssertionError(f"{key}: {diffs}")
    evidence = tmp_path / "b" / "files" / before["evidence"][0][2]
    assert (
        evidence.read_bytes() == (tmp_path / "a" / "files" / before["evidence"][0][2]).read_bytes()
    )
    assert (tmp_path / "b" / "secret_key").read_text() == (
        tmp_path / "a" / "secret_key"
    ).read_text()

    # The restored site works on: a sign-in and a page.
    ok(duban("check", "--database", "default", env=restored))

    # Restoring again over what is now in use is refused, and changes nothing...
    result = duban("restore", str(archive), env=restored)
    assert result.returncode != 0
    assert "确需覆盖请加 --force" in result.stderr
    assert "Traceback" not in result.stderr
    assert fingerprint(restored) == before
    # ...unless forced.
    ok(duban("restore", str(archive), "--force", env=restored))
    assert fingerprint(restored) == before


def test_restore_refuses_a_non_empty_files_directory(tmp_path):
    source = {"DUBAN_DATA_DIR": str(tmp_path / "a"), "DATABASE_URL": ""}
    ok(duban("migrate", env=source))
    archive = tmp_path / "backup.tar.gz"
    ok(duban("backup", str(archive), env=source))
    (tmp_path / "b" / "files" / "evidence").mkdir(parents=True)
    (tmp_path / "b" / "files" / "evidence" / "x.pdf").write_bytes(b"%PDF")
    result = duban("restore", str(archive), env={**source, "DUBAN_DATA_DIR": str(tmp_path / "b")})
    assert result.returncode != 0
    assert "不是空的" in result.stderr
    assert (tmp_path / "b" / "files" / "evidence" / "x.pdf").read_bytes() == b"%PDF"


def test_restore_refuses_what_is_not_a_backup_or_is_damaged(tmp_path):
    env = {"DUBAN_DATA_DIR": str(tmp_path / "a"), "DATABASE_URL": ""}
    not_backup = tmp_path / "other.tar.gz"
    with tarfile.open(not_backup, "w:gz") as archive:
        archive.add(__file__, arcname="readme.txt")
    result = duban("restore", str(not_backup), env=env)
    assert result.returncode != 0 and "缺少 manifest.json" in result.stderr

    ok(duban("migrate", env=env))
    good = tmp_path / "backup.tar.gz"
    ok(duban("backup", str(good), env=env))
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(good) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else None
            if member.name.startswith("database/"):
                data = data[:-100] + b"\0" * 100
            target.addfile(member, io.BytesIO(data) if data is not None else None)
    fresh = {"DUBAN_DATA_DIR": str(tmp_path / "c"), "DATABASE_URL": ""}
    result = duban("restore", str(damaged), env=fresh)
    assert result.returncode != 0 and "校验和不符" in result.stderr
    database = tmp_path / "c" / "duban.sqlite3"
    if database.exists():  # opened to see whether it was empty: still no tables
        with sqlite3.connect(database) as opened:
            assert not opened.execute("SELECT name FROM sqlite_master").fetchall()
