#!/usr/bin/env python3
"""Quick start for duban, needing only Python 3.11+ and git.

    python3 dev.py start   set up .venv, install, migrate, load the demo, serve on :8000
    python3 dev.py test    set up .venv with the test tools, lint, run the whole test suite

Uses only the standard library, so it runs before anything is installed.
"""

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*args, **kwargs):
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], cwd=ROOT, **kwargs)


def ensure_venv(extras: str = "") -> None:
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    marker = VENV / f".installed{extras or '-base'}"
    stamp = str((ROOT / "pyproject.toml").stat().st_mtime)
    if marker.exists() and marker.read_text() == stamp:
        return
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip", check=True)
    target = f".[{extras}]" if extras else "."
    run(PYTHON, "-m", "pip", "install", "--quiet", "-e", target, check=True)
    marker.write_text(stamp)


def start(args) -> int:
    ensure_venv()
    duban = BIN / "duban"
    run(duban, "migrate", "--noinput", check=True)
    run(duban, "demo", check=True)
    print("\n用上面的演示账号登录，网址见下一行。\n", flush=True)
    return run(duban, "serve", *args).returncode


def test(args) -> int:
    ensure_venv("dev")
    for step in (
        [BIN / "ruff", "check", "."],
        [BIN / "ruff", "format", "--check", "."],
        [PYTHON, "-m", "pytest", *args],
    ):
        code = run(*step).returncode
        if code != 0:
            return code
    return 0


def main() -> int:
    commands = {"start": start, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    try:
        return commands[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as exc:
        print(f"失败：{' '.join(map(str, exc.cmd))}（退出码 {exc.returncode}）", file=sys.stderr)
        return exc.returncode or 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
