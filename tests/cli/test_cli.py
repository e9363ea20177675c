"""The console command, run as a real process."""

import os
import subprocess
import sys

import pytest

from ..serving import first_answer, serving, serving_process


def duban(*args, env=None, timeout=60):
    return subprocess.run(
        [sys.executable, "-m", "duban", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def test_help_lists_the_commands():
    result = duban("--help")
    assert result.returncode == 0
    assert "serve" in result.stdout and "demo" in result.stdout


def test_unknown_command_is_one_line_on_stderr():
    result = duban("no-such-command")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "no-such-command" in result.stderr


def test_serve_refuses_an_uninitialised_database(tmp_path):
    result = duban(
        "serve", "--port", "8799", env={"DUBAN_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    )
    assert result.returncode != 0
    assert "请先运行：duban migrate" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unreachable_database_is_one_line(tmp_path):
    result = duban(
        "serve",
        env={"DUBAN_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"},
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "无法连接数据库" in result.stderr


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="SQLite file behaviour")
def test_demo_creates_a_wal_sqlite_database_in_the_data_dir(tmp_path):
    result = duban("demo", env={"DUBAN_DATA_DIR": str(tmp_path)}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "admin" in result.stdout and "演示账号" in result.stdout
    database = tmp_path / "duban.sqlite3"
    assert database.exists()
    import sqlite3

    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("SELECT COUNT(*) FROM targets_target").fetchone()[0] > 10


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="a fresh SQLite file")
def test_serve_with_two_workers_answers_and_stops(tmp_path):
    env = {**os.environ, "DUBAN_DATA_DIR": str(tmp_path)}
    with serving(env, "--workers", "2") as base:
        status, _headers, body = first_answer(f"{base}/accounts/login/", attempts=100)
    assert status == 200
    assert "登录" in body


def _workers(pid: int) -> set[int]:
    """The worker processes of `duban serve` (Linux: the kernel's list of a task's children)."""
    with open(f"/proc/{pid}/task/{pid}/children") as children:
        return {int(p) for p in children.read().split()}


@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")) or not os.path.exists("/proc/self/task"),
    reason="a fresh SQLite file; /proc to find the workers",
)
def test_serve_restarts_a_worker_that_dies(tmp_path):
    import signal
    import time

    env = {**os.environ, "DUBAN_DATA_DIR": str(tmp_path)}
    with serving_process(env, "--workers", "2") as (base, server):
        first_answer(f"{base}/accounts/login/", attempts=100)
        for _ in range(100):  # both workers forked
            workers = _workers(server.pid)
            if len(workers) == 2:
                break
            time.sleep(0.1)
        assert len(workers) == 2
        for victim in workers:  # both killed, as two hostile uploads used to do
            os.kill(victim, signal.SIGKILL)
        for _ in range(100):
            now = _workers(server.pid)
            if len(now) == 2 and not now & workers:
                break
            time.sleep(0.1)
        assert len(now) == 2 and not now & workers, (workers, now)
        assert server.poll() is None
        status, _headers, body = first_answer(f"{base}/accounts/login/", attempts=100)
    assert status == 200 and "登录" in body


SIGN_IN = """
import django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
user = get_user_model().objects.create_user("office", password="x-9-long-enough", is_staff=True)
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[-1]
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="a fresh SQLite file")
def test_serve_workers_share_rendered_pages_in_a_directory_of_their_own(tmp_path):
    import urllib.request

    env = {
        **os.environ,
        "DUBAN_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "duban.settings",
    }
    cache = tmp_path / "cache"
    killed_server = cache / "serve-999999999"  # beyond any pid: a server that was killed
    (killed_server / "stamp").mkdir(parents=True)
    with serving_process(env, "--workers", "2") as (base, server):
        first_answer(f"{base}/accounts/login/", attempts=100)
        session = subprocess.run(
            [sys.executable, "-c", SIGN_IN], env=env, capture_output=True, text=True, timeout=60
        )
        assert session.returncode == 0, session.stderr
        request = urllib.request.Request(
            f"{base}/", headers={"Cookie": f"sessionid={session.stdout.strip()}"}
        )
        with urllib.request.urlopen(request) as response:
            assert "工作台" in response.read().decode()
        own = cache / f"serve-{server.pid}"
        pages = [p for p in own.rglob("*") if p.is_file() and p.suffix not in {".lock"}]
        assert len(pages) == 1  # the workbench, for the other worker
        assert not killed_server.exists()
    assert not own.exists()
