"""Extraction in a child process with a memory and a CPU limit of its own.

The budgets of ``containers.limits`` bound what a file may describe; this bounds what reading it
may cost, whatever was not foreseen there. The web import, the reply upload, ``duban extract``
and ``duban import`` read every document through :func:`extract_isolated`: a child process
(``python -m duban.extraction.isolated``) sets ``RLIMIT_AS`` and ``RLIMIT_CPU`` on itself before
it reads anything, reads the file, and prints the result as JSON. A file that needs more ends as
a :class:`ReadError` with a one-line Chinese message in the parent, which never holds more than
the file and its result; a child that PDFium aborts or the kernel kills is a message as well.

Settings (environment): ``DUBAN_EXTRACT_MEMORY_MB`` (address space of the child, default 2048),
``DUBAN_EXTRACT_CPU_SECONDS`` (default 60; the wall-clock limit is twice that plus ten seconds),
``DUBAN_EXTRACT_CONCURRENCY`` (children one server process runs at once, default 2; more uploads
wait their turn).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from .containers import errors
from .containers.errors import ReadError

DEFAULT_MEMORY_MB = 2048
DEFAULT_CPU_SECONDS = 60
DEFAULT_CONCURRENCY = 2
_ERROR_EXIT = 3

TOO_SLOW = "文件处理超时（超过 {seconds} 秒），文件可能过于复杂，无法读取"
TOO_BIG = "文件过于复杂，读取所需内存超过 {mb} MB，无法读取"
FAILED = "无法读取文件内容"

_slots: threading.BoundedSemaphore | None = None
_slots_lock = threading.Lock()


def _setting(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, "") or default)
    except ValueError:
        return default
    return value if value > 0 else default


def _semaphore() -> threading.BoundedSemaphore:
    global _slots
    with _slots_lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(
                _setting("DUBAN_EXTRACT_CONCURRENCY", DEFAULT_CONCURRENCY)
            )
        return _slots


def extract_isolated(
    data: bytes | None = None,
    name: str | None = None,
    *,
    path: str | os.PathLike | None = None,
    indent: int | None = None,
    raw: bool = False,
    default_year: int | None = None,
):
    """The extraction result of ``data`` (or of the file at ``path``), read in a child process.

    Raises ReadError (one line of Chinese) when the file cannot be read, including when reading
    it would take more memory or CPU time than allowed. With ``raw`` the result is returned as
    the JSON text the child printed (``indent`` as json.dumps takes it), not parsed.
    """
    memory_mb = _setting("DUBAN_EXTRACT_MEMORY_MB", DEFAULT_MEMORY_MB)
    cpu_seconds = _setting("DUBAN_EXTRACT_CPU_SECONDS", DEFAULT_CPU_SECONDS)
    header = {"name": name, "path": os.path.abspath(path) if path is not None else None}
    header["indent"] = indent
    header["default_year"] = default_year
    payload = json.dumps(header).encode() + b"\n" + (data or b"")
    command = [
        sys.executable,
        "-m",
        "duban.extraction.isolated",
        str(memory_mb),
        str(cpu_seconds),
    ]
    # The child imports the same duban as this process, wherever this one came from (``-m``
    # puts the working directory first on the path, so it is this package's directory).
    root = str(Path(__file__).resolve().parents[2])
    paths = [root, os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    with _semaphore():
        started = time.monotonic()
        try:
            done = subprocess.run(
                command,
                input=payload,
                capture_output=True,
                timeout=2 * cpu_seconds + 10,
                env=env,
                cwd=root,
            )
        except subprocess.TimeoutExpired as exc:  # run() has killed the child
            raise ReadError(TOO_SLOW.format(seconds=cpu_seconds), errors.TOO_LARGE) from exc
        except OSError as exc:  # no process could be started (out of processes, memory …)
            raise ReadError("服务器繁忙，暂时无法读取文件，请稍后再试", errors.CORRUPT) from exc
    if done.returncode == 0:
        return done.stdout if raw else json.loads(done.stdout)
    if done.returncode == _ERROR_EXIT:
        try:
            answer = json.loads(done.stdout)
            raise ReadError(answer["error"], answer.get("code") or errors.CORRUPT)
        except (ValueError, KeyError, TypeError):
            pass
    if done.returncode == -signal.SIGXCPU or (
        done.returncode == -signal.SIGKILL and time.monotonic() - started >= cpu_seconds
    ):
        # Over the CPU limit: SIGXCPU at the soft limit, SIGKILL at the hard one.
        raise ReadError(TOO_SLOW.format(seconds=cpu_seconds), errors.TOO_LARGE)
    if done.returncode < 0 or b"MemoryError" in done.stderr:
        # Killed when memory ran out, or aborted by PDFium or another C library whose
        # allocation failed.
        raise ReadError(TOO_BIG.format(mb=memory_mb), errors.TOO_LARGE)
    raise ReadError(FAILED, errors.CORRUPT)


class _OutOfTime(BaseException):
    """Raised in the child on SIGXCPU; not an Exception, so no reader's handler swallows it."""


def _on_cpu_limit(_signum, _frame):
    raise _OutOfTime


def _write_compact(result: dict, out) -> None:
    """``json.dumps(result, ensure_ascii=False)``, written an item at a time: the same bytes,
    without the whole document's JSON held in memory at once (a large document's items run to
    tens of megabytes)."""
    out.write(b"{")
    for n, (key, value) in enumerate(result.items()):
        out.write(
            (", " if n else "").encode() + json.dumps(key, ensure_ascii=False).encode() + b": "
        )
        if key == "items" and isinstance(value, list):
            out.write(b"[")
            for i, item in enumerate(value):
                out.write((b", " if i else b"") + json.dumps(item, ensure_ascii=False).encode())
            out.write(b"]")
        else:
            out.write(json.dumps(value, ensure_ascii=False).encode())
    out.write(b"}")


def _child(argv: list[str]) -> int:
    import resource

    memory_mb, cpu_seconds = int(argv[0]), int(argv[1])
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    signal.signal(signal.SIGXCPU, _on_cpu_limit)
    out = sys.stdout.buffer

    def fail(message: str, code: str) -> int:
        out.write(json.dumps({"error": message, "code": code}, ensure_ascii=False).encode())
        out.flush()
        return _ERROR_EXIT

    try:
        stdin = sys.stdin.buffer
        header = json.loads(stdin.readline())
        if header.get("path") is not None:
            source = header["path"]
        else:
            from .containers import MAX_FILE_SIZE

            source = stdin.read(MAX_FILE_SIZE + 1)
        from .extract import extract

        result = extract(source, name=header.get("name"), default_year=header.get("default_year"))
        if header.get("indent") is None:
            _write_compact(result, out)
        else:
            out.write(json.dumps(result, ensure_ascii=False, indent=header["indent"]).encode())
        out.flush()
        return 0
    except ReadError as exc:
        return fail(exc.message, exc.code)
    except _OutOfTime:
        return fail(TOO_SLOW.format(seconds=cpu_seconds), errors.TOO_LARGE)
    except MemoryError:
        return fail(TOO_BIG.format(mb=memory_mb), errors.TOO_LARGE)
    except FileNotFoundError:
        return fail("文件不存在", errors.CORRUPT)
    except IsADirectoryError:
        return fail("这是一个目录，不是文件", errors.UNSUPPORTED)
    except PermissionError:
        return fail("没有读取权限", errors.CORRUPT)
    except Exception as exc:  # the last guard: a bug is still one line
        return fail(f"提取失败（{type(exc).__name__}）", errors.CORRUPT)


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
