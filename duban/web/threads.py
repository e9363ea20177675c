"""The request threads of a `duban serve` process, and a thread's place lent while it waits.

Pages are CPU-bound Python, and a process's threads share one interpreter lock: two threads
serve pages sooner than four, which only take turns on the lock (README, "Serving and
caching"). But a thread that waits on another process, an uploaded file read in a child
process (a few tenths of a second, seconds for a large file), holds its place all that time:
with two threads, two uploads left a process unable to answer anyone until they were read.

So `serve` registers its pool of threads here (`use_pool`), and a request about to wait on
another process does so inside `waiting_elsewhere()`: the pool grows by one thread for the
wait and shrinks again after it, so the process keeps as many threads running Python as it
was started with. Outside `duban serve` (tests, console commands) it does nothing.

Waits on the mail server (a step's notices are e-mailed from the request once it commits) do
not lend: they come with most steps, and a thread started and ended for each, with a database
connection opened for it, cost a deadline day's burst of submissions more than the wait.
"""

import contextlib
import threading

from django.db import connections
from waitress.task import ThreadedTaskDispatcher

# At most this many threads are added to a process at once: each added thread may open a
# database connection of its own, which the deployment notes count (docs/deploy.md).
MAX_LENT = 4

_lock = threading.Lock()
_pool = None  # waitress's task dispatcher
_threads = 0  # the pool's own size
_lent = 0
_lending = threading.local()  # whether this thread has lent its place


class Pool(ThreadedTaskDispatcher):
    """Waitress's pool of request threads, each closing its database connections when it
    leaves. A pool that grows and shrinks starts and ends threads all day; a connection left
    to the garbage collector stayed open, and a deadline day's burst of submissions filled
    PostgreSQL's `max_connections` within seconds."""

    def start_new_thread(self, target, thread_no):
        def serve(thread_no):
            try:
                target(thread_no)
            finally:
                connections.close_all()

        super().start_new_thread(serve, thread_no)


def use_pool(dispatcher, threads: int) -> None:
    """Lend places in `dispatcher` (waitress's, of `threads` threads) from now on."""
    global _pool, _threads, _lent
    with _lock:
        _pool, _threads, _lent = dispatcher, threads, 0


def lent() -> int:
    """How many threads are added to the pool now."""
    return _lent


@contextlib.contextmanager
def waiting_elsewhere():
    """Around a wait on another process: another thread takes this one's place meanwhile. A
    thread lends its place once, however many such waits it nests."""
    global _lent
    with _lock:
        lending = _pool is not None and _lent < MAX_LENT and not getattr(_lending, "now", False)
        if lending:
            _lent += 1
            _pool.set_thread_count(_threads + _lent)
            _lending.now = True
    try:
        yield
    finally:
        if lending:
            with _lock:
                _lending.now = False
                _lent -= 1
                # A thread of the pool leaves when it next looks for work, whichever it is.
                _pool.set_thread_count(_threads + _lent)
