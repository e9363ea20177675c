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

_pool = None  # serve's Pool, once registered
_lending = threading.local()  # whether this thread has lent its place


class Pool(ThreadedTaskDispatcher):
    """Waitress's pool of `threads` request threads, which grows by one for each request lending
    its place (`lend`, `give_back`). Each thread closes its database connections when it
    leaves: a pool that grows and shrinks starts and ends threads all day, a connection left to
    the garbage collector stayed open, and a deadline day's burst of submissions once filled
    PostgreSQL's `max_connections` within seconds."""

    def __init__(self, threads: int):
        super().__init__()
        self.size = threads  # its own size, without the places lent
        self.lent = 0
        self._lending_lock = threading.Lock()  # not waitress's own: set_thread_count takes that
        self.set_thread_count(threads)

    def start_new_thread(self, target, thread_no):
        def serve(thread_no):
            try:
                target(thread_no)
            finally:
                connections.close_all()

        super().start_new_thread(serve, thread_no)

    def lend(self) -> bool:
        """One more thread, unless MAX_LENT are lent already; whether it was added."""
        with self._lending_lock:
            if self.lent >= MAX_LENT:
                return False
            self.lent += 1
            self.set_thread_count(self.size + self.lent)
            return True

    def give_back(self) -> None:
        with self._lending_lock:
            self.lent -= 1
            # A thread of the pool leaves when it next looks for work, whichever it is.
            self.set_thread_count(self.size + self.lent)


def use_pool(pool: Pool | None) -> None:
    """Lend places in `pool` from now on (None: lend nowhere)."""
    global _pool
    _pool = pool


def lent() -> int:
    """How many threads are added to the registered pool now."""
    return _pool.lent if _pool is not None else 0


@contextlib.contextmanager
def waiting_elsewhere():
    """Around a wait on another process: another thread takes this one's place meanwhile. A
    thread lends its place once, however many such waits it nests."""
    pool = _pool
    lending = pool is not None and not getattr(_lending, "now", False) and pool.lend()
    if lending:
        _lending.now = True
    try:
        yield
    finally:
        if lending:
            _lending.now = False
            pool.give_back()
