"""`duban serve` as a real process for a test: a migrated SQLite data directory, a free port,
the first answer once the server is up, and the server stopped whatever happens."""

import contextlib
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def migrate(env: dict) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "duban", "migrate", "-v0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(env: dict, *args: str):
    """Migrates, starts `duban serve` with `args` on a free port, yields its base URL."""
    with serving_process(env, *args) as (base, _server):
        yield base


@contextlib.contextmanager
def serving_process(env: dict, *args: str):
    """As ``serving``, yielding the base URL and the server's process (a ``Popen``)."""
    migrate(env)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "duban", "serve", "--port", str(port), *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}", server
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)


def first_answer(url: str, headers: dict | None = None, attempts: int = 150):
    """The status, headers and body of the first answer, waiting for the server to start."""
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {})) as r:
                return r.status, r.headers, r.read().decode()
        except OSError:
            time.sleep(0.1)
    pytest.fail("the server did not answer")
