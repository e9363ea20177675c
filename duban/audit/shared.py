"""Rendered pages shared by the worker processes of one `duban serve --workers N`.

Each worker keeps its own memory of derived values (`changes.DerivedCache`). Alone, that makes
every worker work out the same page again after each change: on a deadline day, with a change
every few seconds and a dozen dashboards and lists in demand, the server's two cores spent half
their time rendering twice what one rendering would have served. So the server names a
directory before it forks (`enable`), and a value worked out by one worker is written there for
the others: a file per key, in a directory per change stamp, written whole (to a temporary name,
then renamed) so that a reader never sees half of one. While one worker works a value out, the
others wait on that key's file lock and then read its file.

Only what a page needs to be served is written (the `share` function of each use: its rendered
HTML and little else), never model instances or querysets. The directory belongs to the server
that made it: it is removed when that server stops, and superseded stamps' directories are
removed as new ones appear. A file that cannot be read for any reason is worked out again.
"""

import contextlib
import fcntl
import hashlib
import os
import pickle
import shutil
import tempfile
import time
from pathlib import Path

# Seconds a superseded stamp's values are kept: requests that read the stamp just before the
# change may still be looking for them.
STALE_AFTER = 30
# Seconds to wait for another worker's result before working it out here after all (a worker
# that dies releases its lock at once; this bounds a worker that hangs).
WAIT_AT_MOST = 60

_root: Path | None = None
_MISSING = object()


def enable(root: Path) -> None:
    global _root
    root.mkdir(parents=True, exist_ok=True)
    _root = root


def disable() -> None:
    global _root
    _root = None


def enabled() -> bool:
    return _root is not None


def _name(value) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:40]


def get_or_compute(stamp: str, key, compute, share):
    """The value of `key` under `stamp`: another worker's if it has one (as `share` made it),
    else `compute()` here, with `share` of it left for the others."""
    root = _root
    if root is None:
        return compute()
    directory = root / _name(stamp)
    path = directory / _name(key)
    found = _read(path)
    if found is not _MISSING:
        return found
    if _make(directory):
        _prune(root, keep=directory)
    with _locked(path.with_suffix(".lock")):
        found = _read(path)
        if found is not _MISSING:
            return found
        value = compute()
        _write(path, share(value))
    return value


def _read(path: Path):
    try:
        with open(path, "rb") as file:
            return pickle.load(file)
    except Exception:  # absent, pruned meanwhile, or damaged: worked out again
        return _MISSING


def _write(path: Path, value) -> None:
    with contextlib.suppress(OSError):  # a full disk costs speed, not correctness
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as file:
                pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def _make(directory: Path) -> bool:
    """Create a stamp's directory; True if this call created it."""
    try:
        directory.mkdir()
        return True
    except FileExistsError:
        return False
    except FileNotFoundError:  # the root itself was removed (the server is stopping)
        directory.mkdir(parents=True, exist_ok=True)
        return True


def _prune(root: Path, keep: Path) -> None:
    """Remove the directories of stamps superseded more than STALE_AFTER seconds ago."""
    horizon = time.time() - STALE_AFTER
    with contextlib.suppress(OSError):
        for entry in os.scandir(root):
            if entry.path == str(keep) or not entry.is_dir(follow_symlinks=False):
                continue
            with contextlib.suppress(OSError):
                if entry.stat(follow_symlinks=False).st_mtime < horizon:
                    shutil.rmtree(entry.path, ignore_errors=True)


@contextlib.contextmanager
def _locked(path: Path):
    """Hold the lock file `path`, waiting up to WAIT_AT_MOST seconds for another process."""
    try:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield  # no lock to be had: work it out unshared
        return
    try:
        deadline = time.monotonic() + WAIT_AT_MOST
        pause = 0.002
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    break
                time.sleep(pause)
                pause = min(pause * 2, 0.02)
        yield
    finally:
        os.close(handle)  # releases the lock
