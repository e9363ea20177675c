"""`duban backup` and `duban restore`: the database and the stored files in one .tar.gz.

The archive holds

    manifest.json       what is in it: the database's engine and how it was dumped, the
                        migrations it is at, the row count of every table, and every file
                        with its size and SHA-256
    database/…          the database: duban.sqlite3, duban.pgdump or data.dubanjson (see below)
    files/…             the data directory's files/ (evidence, uploaded documents, drafts,
                        replies): everything the database's file fields point to
    secret_key          the data directory's secret key, when it has one, so links already
                        sent (invitations, password resets) and sessions keep working, and
                        the values encrypted with it (group robots' webhook keys and signing
                        secrets, duban.web.encrypted) can be read; `restore` says how many
                        it cannot read (a backup made under DUBAN_SECRET_KEY holds no key)

How the database is dumped, chosen by the engine:

- SQLite: SQLite's online backup API copies the database page by page into a file of its
  own while the site goes on serving; the copy is one consistent moment (WAL included).
- PostgreSQL: `pg_dump --format=custom` when it is on PATH, restored by `pg_restore`. The
  dump runs in a snapshot exported by a REPEATABLE READ transaction, in which the row counts
  of the manifest are taken too, so they describe exactly the dumped data. pg_dump must be
  the server's major version or newer (Debian/Ubuntu: the `postgresql-client` package).
- Otherwise, or with `--portable`: Django's `dumpdata` of every app (sessions aside) in one
  REPEATABLE READ transaction, restored by `migrate` and `loaddata`. Slower, but independent
  of the engine: a portable backup of SQLite restores into PostgreSQL and back. It must be
  restored by the same version of duban (the same migrations); upgrade after restoring.

Consistency of database and files: the database is dumped first, the files copied after.
A stored file is written before the row that points to it is committed, so every file the
dumped database points to is already on disk when the files are copied; files that arrive
during the copy are at worst orphans, which `duban cleanup` removes. (A report deleted
during the backup may take its evidence file with it: run backups at a quiet hour.)

`duban restore` refuses a database that has any migration applied, or a files/ directory
with any file in it, unless given --force; with --force the SQLite file and the files/
directory it replaces are kept beside the new ones (…replaced-YYYYmmdd-HHMMSS), and a
PostgreSQL database is emptied by pg_restore --clean (native) or by dropping its tables
(portable). After restoring, the table counts are checked against the manifest.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction

import duban
from duban.audit.recorder import not_recorded

FORMAT = "duban-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Transient rows that a portable dump leaves out (sign-ins start afresh).
PORTABLE_EXCLUDED = ["sessions"]
PORTABLE_EXCLUDED_TABLES = {"django_session"}
# Django's JSON with times to the microsecond (duban/web/exact_json.py).
PORTABLE_FORMAT = "dubanjson"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for the person running it."""


def files_root() -> Path:
    """Where stored files live: the default storage's location (DUBAN_DATA_DIR/files)."""
    options = settings.STORAGES.get("default", {}).get("OPTIONS", {})
    return Path(options.get("location") or settings.MEDIA_ROOT)


def _engine(alias=DEFAULT_DB_ALIAS) -> str:
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"不支持的数据库类型：{vendor}")
    return vendor


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _applied_migrations(alias=DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connections[alias])
    if not recorder.has_table():
        return {}
    applied: dict[str, list[str]] = {}
    for app, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _table_counts(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # names from introspection
        counts[table] = cursor.fetchone()[0]
    return counts


def _django_tables(alias=DEFAULT_DB_ALIAS) -> list[str]:
    connection = connections[alias]
    tables = set(connection.introspection.django_table_names(only_existing=True))
    return sorted(tables | {"django_migrations"})


def _pg_env(alias=DEFAULT_DB_ALIAS) -> tuple[dict, str]:
    """The environment pg_dump/pg_restore connect with, and the database name."""
    config = settings.DATABASES[alias]
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if config.get(key):
            env[var] = str(config[key])
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    sslmode = (config.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env, config["NAME"]


def _run(args, env=None):
    result = subprocess.run(args, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{args[0]} 失败：{message[-1] if message else result.returncode}")
    return result


# --- backup ------------------------------------------------------------------------------


@dataclass
class Dumped:
    method: str
    path: Path
    counts: dict[str, int]
    migrations: dict[str, list[str]]
    note: str = ""


def _dump_sqlite(workdir: Path) -> Dumped:
    connection = connections[DEFAULT_DB_ALIAS]
    connection.ensure_connection()
    target = workdir / "duban.sqlite3"
    destination = sqlite3.connect(target)
    try:
        # The online backup API: a consistent copy while others go on writing.
        connection.connection.backup(destination)
    finally:
        destination.close()
    snapshot = sqlite3.connect(target)
    try:
        snapshot.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        cursor = snapshot.cursor()
        existing = {
            row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        counts = _table_counts(cursor, [t for t in _django_tables() if t in existing])
        migrations: dict[str, list[str]] = {}
        if "django_migrations" in existing:
            for app, name in cursor.execute(
                "SELECT app, name FROM django_migrations ORDER BY app, name"
            ):
                migrations.setdefault(app, []).append(name)
    finally:
        snapshot.close()
    return Dumped("sqlite-backup", target, counts, migrations)


@contextlib.contextmanager
def _repeatable_read():
    """One consistent view of the database for the duration of the block."""
    connection = connections[DEFAULT_DB_ALIAS]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield connection


def _dump_pg(workdir: Path) -> Dumped:
    env, name = _pg_env()
    target = workdir / "duban.pgdump"
    with _repeatable_read() as connection, connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]
        counts = _table_counts(cursor, _django_tables())
        migrations = _applied_migrations()
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot_id}",
                f"--file={target}",
                name,
            ],
            env=env,
        )
    return Dumped("pg_dump", target, counts, migrations)


def _register_format() -> None:
    from django.core import serializers

    serializers.register_serializer(PORTABLE_FORMAT, "duban.web.exact_json")


def _dump_portable(workdir: Path) -> Dumped:
    _register_format()
    target = workdir / f"data.{PORTABLE_FORMAT}"
    with _repeatable_read() as connection, connection.cursor() as cursor:
        tables = [t for t in _django_tables() if t not in PORTABLE_EXCLUDED_TABLES]
        counts = _table_counts(cursor, tables)
        migrations = _applied_migrations()
        call_command(
            "dumpdata",
            format=PORTABLE_FORMAT,
            exclude=PORTABLE_EXCLUDED,
            output=str(target),
            indent=None,
            verbosity=0,
        )
    counts.pop("django_migrations", None)  # recreated by migrate, not loaded
    return Dumped("dumpdata", target, counts, migrations)


def _dump(workdir: Path, portable: bool) -> Dumped:
    engine = _engine()
    if portable:
        return _dump_portable(workdir)
    if engine == "sqlite":
        return _dump_sqlite(workdir)
    if shutil.which("pg_dump") is None:
        dumped = _dump_portable(workdir)
        dumped.note = "未找到 pg_dump，已改用可移植格式（Django dumpdata）"
        return dumped
    try:
        return _dump_pg(workdir)
    except BackupError as exc:
        # Typically a pg_dump older than the server ("server version mismatch").
        dumped = _dump_portable(workdir)
        dumped.note = f"{exc}；已改用可移植格式（Django dumpdata）"
        return dumped


def _file_entries(root: Path) -> list[dict]:
    entries = []
    if not root.is_dir():
        return entries
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            entries.append(
                {
                    "path": path.relative_to(root).as_posix(),
                    "size": path.stat().st_size,
                    "sha256": _sha256(path),
                }
            )
    return entries


@dataclass
class Result:
    path: Path
    manifest: dict

    def summary(self) -> str:
        db, files = self.manifest["database"], self.manifest["files"]
        size = self.path.stat().st_size if self.path.exists() else 0
        return (
            f"{self.path}：数据库（{db['engine']}，{db['method']}）"
            f"{sum(db['counts'].values())} 行，文件 {files['count']} 个"
            f"（{files['bytes']} 字节），压缩包 {size} 字节"
        )


def default_backup_path(directory: Path | None = None) -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    return (directory or settings.DATA_DIR / "backups") / f"duban-{stamp}.tar.gz"


def create_backup(out: Path, *, portable: bool = False) -> Result:
    out = Path(out)
    if out.is_dir():
        out = default_backup_path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    root = files_root()
    with tempfile.TemporaryDirectory(prefix=".duban-backup-", dir=out.parent) as tmp:
        workdir = Path(tmp)
        dumped = _dump(workdir, portable)  # first the database, then the files: see above
        entries = _file_entries(root)
        secret = settings.DATA_DIR / "secret_key"
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "duban": duban.__version__,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "database": {
                "engine": _engine(),
                "method": dumped.method,
                "file": f"database/{dumped.path.name}",
                "sha256": _sha256(dumped.path),
                "size": dumped.path.stat().st_size,
                "migrations": dumped.migrations,
                "counts": dumped.counts,
                "note": dumped.note,
            },
            "files": {
                "count": len(entries),
                "bytes": sum(e["size"] for e in entries),
                "entries": entries,
            },
            "secret_key": secret.is_file(),
        }
        partial = out.with_name(out.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(data), 0o600
            info.mtime = int(datetime.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(dumped.path, arcname=manifest["database"]["file"])
            for entry in entries:
                archive.add(root / entry["path"], arcname=f"files/{entry['path']}")
            if manifest["secret_key"]:
                archive.add(secret, arcname="secret_key")
        partial.replace(out)
    return Result(out, manifest)


def prune(directory: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` backups made by `duban backup` in `directory`."""
    found = sorted(directory.glob("duban-*.tar.gz"))
    doomed = found[:-keep] if keep > 0 else []
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


# --- restore -----------------------------------------------------------------------------


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
    except KeyError as exc:
        raise BackupError("这不是 duban backup 生成的备份（缺少 manifest.json）") from exc
    manifest = json.loads(archive.extractfile(member).read().decode("utf-8"))
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise BackupError("备份格式无法识别，或由不兼容的 duban 版本生成")
    return manifest


def database_in_use(alias=DEFAULT_DB_ALIAS) -> bool:
    """Whether the database has anything in it: any migration applied, any table."""
    connection = connections[alias]
    return bool(connection.introspection.table_names())


def files_in_use(root: Path) -> bool:
    return root.is_dir() and any(p.is_file() for p in root.rglob("*"))


def _stamp() -> str:
    return datetime.datetime.now().strftime("%Y%m%d-%H%M%S")


def restore_backup(path: Path, *, force: bool = False) -> dict:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"找不到备份文件：{path}")
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 -- closed by the with below
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"无法读取备份文件：{exc}") from exc
    with archive:
        manifest = read_manifest(archive)
        db = manifest["database"]
        engine = _engine()
        if db["method"] in {"sqlite-backup", "pg_dump"} and db["engine"] != engine:
            raise BackupError(
                f"此备份是 {db['engine']} 数据库的原生备份，不能恢复到 {engine}；"
                "请在原系统上用 duban backup --portable 生成可移植备份"
            )
        if db["method"] == "pg_dump" and shutil.which("pg_restore") is None:
            raise BackupError(
                "恢复此备份需要 pg_restore（Debian/Ubuntu：apt install postgresql-client）"
            )
        root = files_root()
        in_use = []
        if database_in_use():
            in_use.append("数据库已有数据表")
        if files_in_use(root):
            in_use.append(f"文件目录 {root} 不是空的")
        if in_use and not force:
            raise BackupError(
                "，".join(in_use) + "。恢复只写入空的数据目录和数据库；确需覆盖请加 --force"
                "（原有的 SQLite 数据库文件和文件目录将改名保留）"
            )
        if db["method"] == "dumpdata":
            _check_same_migrations(db["migrations"])
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".duban-restore-", dir=settings.DATA_DIR) as tmp:
            workdir = Path(tmp)
            try:
                archive.extractall(workdir, filter="data")  # no paths outside workdir
            except TypeError:  # a Python without extraction filters (before 3.11.4)
                _extract_checked(archive, workdir)
            _verify(workdir, manifest)
            dump = workdir / db["file"]
            if db["method"] == "sqlite-backup":
                _restore_sqlite(dump)
            elif db["method"] == "pg_dump":
                _restore_pg(dump, clean=bool(in_use))
            else:
                _restore_portable(dump, clean=bool(in_use))
            _restore_files(workdir / "files", root)
            if manifest.get("secret_key") and not os.environ.get("DUBAN_SECRET_KEY"):
                secret = settings.DATA_DIR / "secret_key"
                shutil.copyfile(workdir / "secret_key", secret)
                secret.chmod(0o600)
        _check_counts(db)
    manifest["unreadable_secrets"] = unreadable_secrets()
    return manifest


def unreadable_secrets() -> int:
    """How many encrypted values (group robots' addresses and secrets) the secret key now in
    force cannot decrypt: the key restored with the backup, else DUBAN_SECRET_KEY. Not 0 when
    the backup was made under DUBAN_SECRET_KEY (whose key it does not hold) and this server
    has another one."""
    from duban.web.encrypted import Unreadable, decrypt, is_encrypted

    key = os.environ.get("DUBAN_SECRET_KEY")
    key_file = settings.DATA_DIR / "secret_key"
    if not key and key_file.is_file():
        key = key_file.read_text().strip()
    if not key:
        return 0
    from django.apps import apps

    table = apps.get_model("supervision", "UnitChannel")._meta.db_table
    connection = connections[DEFAULT_DB_ALIAS]
    if table not in connection.introspection.table_names():
        return 0
    count = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT url, secret FROM {connection.ops.quote_name(table)}")
        for row in cursor.fetchall():
            for value in row:
                if is_encrypted(value) and isinstance(decrypt(value, [key]), Unreadable):
                    count += 1
    return count


def _extract_checked(archive: tarfile.TarFile, workdir: Path) -> None:
    base = workdir.resolve()
    for member in archive.getmembers():
        target = (workdir / member.name).resolve()
        if not (member.isfile() or member.isdir()) or not target.is_relative_to(base):
            raise BackupError(f"备份中有不安全的条目：{member.name}")
    archive.extractall(workdir)


def _verify(workdir: Path, manifest: dict) -> None:
    db = manifest["database"]
    dump = workdir / db["file"]
    if not dump.is_file() or _sha256(dump) != db["sha256"]:
        raise BackupError("备份中的数据库文件缺失或已损坏（校验和不符），未做任何改动")
    for entry in manifest["files"]["entries"]:
        stored = workdir / "files" / entry["path"]
        if not stored.is_file() or _sha256(stored) != entry["sha256"]:
            raise BackupError(f"备份中的文件 {entry['path']} 缺失或已损坏，未做任何改动")


def _check_same_migrations(recorded: dict[str, list[str]]) -> None:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known: dict[str, set[str]] = {}
    for app, name in loader.disk_migrations:
        known.setdefault(app, set()).add(name)
    for app, names in recorded.items():
        if set(names) != known.get(app, set()):
            raise BackupError(
                "可移植备份须由生成它的同一版本 duban 恢复（数据库迁移不一致："
                f"{app}）；请先安装该版本恢复，再升级并运行 duban migrate"
            )


def _restore_sqlite(dump: Path) -> None:
    target = Path(settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    _restore_sqlite_empty()
    source = sqlite3.connect(dump)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
        destination.execute("PRAGMA journal_mode=WAL")
    finally:
        destination.close()
        source.close()


def _restore_pg(dump: Path, *, clean: bool) -> None:
    connections.close_all()
    env, name = _pg_env()
    args = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
    if clean:
        args += ["--clean", "--if-exists"]
    args += ["--single-transaction", f"--dbname={name}", str(dump)]
    _run(args, env=env)


def _restore_portable(dump: Path, *, clean: bool) -> None:
    from django.contrib.contenttypes.models import ContentType

    connection = connections[DEFAULT_DB_ALIAS]
    if clean:
        if connection.vendor == "sqlite":
            _restore_sqlite_empty()
        else:
            with connection.cursor() as cursor:
                tables = connection.introspection.table_names(cursor)
                for table in tables:
                    cursor.execute(f'DROP TABLE IF EXISTS "{table}" CASCADE')
    _register_format()
    call_command("migrate", interactive=False, verbosity=0)
    # migrate filled some tables of its own (content types, permissions, the rows of data
    # migrations and their audit events); the dump brings the originals, with their ids.
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    with transaction.atomic(), not_recorded():
        call_command("loaddata", str(dump), verbosity=0)
    ContentType.objects.clear_cache()


def _restore_sqlite_empty() -> None:
    """Moves the SQLite file (and its WAL) aside when it holds anything, else removes it."""
    keep = database_in_use()
    connections.close_all()
    target = Path(settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"])
    stamp = _stamp()
    for suffix in ("", "-wal", "-shm"):
        existing = Path(f"{target}{suffix}")
        if not existing.exists():
            continue
        if keep:
            existing.rename(Path(f"{target}{suffix}.replaced-{stamp}"))
        else:
            existing.unlink()


def _restore_files(source: Path, root: Path) -> None:
    root.parent.mkdir(parents=True, exist_ok=True)
    if root.exists():
        if files_in_use(root):
            root.rename(root.with_name(f"{root.name}.replaced-{_stamp()}"))
        else:
            shutil.rmtree(root)
    if source.is_dir():
        shutil.move(str(source), str(root))
    else:
        root.mkdir(parents=True)


def _check_counts(db: dict) -> None:
    connections.close_all()
    connection = connections[DEFAULT_DB_ALIAS]
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        wanted = {t: n for t, n in db["counts"].items() if t in existing}
        found = _table_counts(cursor, wanted)
    missing = [t for t in db["counts"] if t not in existing]
    differ = [
        f"{t}（备份 {wanted[t]} 行，恢复后 {found[t]} 行）" for t in wanted if found[t] != wanted[t]
    ]
    if missing or differ:
        raise BackupError(
            "恢复后的数据与备份清单不符：" + "；".join([*differ, *(f"缺少表 {t}" for t in missing)])
        )
