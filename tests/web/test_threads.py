"""A request waiting on another process lends its thread's place (`duban.web.threads`), on
waitress's own pool of threads: another thread serves the next request meanwhile; and a thread
leaving the pool closes its database connection."""

import threading
import time

import pytest
from django.db import connection, connections

from duban.web import threads


class Task:
    """What waitress's dispatcher runs: `service()` on one of its threads."""

    def __init__(self, work):
        self.work = work
        self.done = threading.Event()

    def defer(self):
        pass

    def cancel(self):
        pass

    def service(self):
        try:
            self.work()
        finally:
            self.done.set()


def running_threads(pool, expected, timeout=10.0):
    """The pool's number of threads once it reaches `expected` (threads leave asynchronously)."""
    deadline = time.monotonic() + timeout
    while len(pool.threads) != expected and time.monotonic() < deadline:
        time.sleep(0.01)
    return len(pool.threads)


@pytest.fixture
def pool_of():
    """serve's pool of `size` threads; registered for lending unless `lending` is False."""
    made = []

    def make(size, *, lending=True):
        made.append(threads.Pool(size))
        if lending:
            threads.use_pool(made[-1])
        return made[-1]

    yield make
    threads.use_pool(None)
    for pool in made:
        pool.shutdown(cancel_pending=True, timeout=5)


def test_outside_a_server_waiting_lends_nothing():
    threads.use_pool(None)
    with threads.waiting_elsewhere():
        assert threads.lent() == 0


def test_the_next_request_is_served_while_the_only_thread_waits(pool_of):
    pool = pool_of(1)
    release = threading.Event()

    def wait_on_another_process():
        with threads.waiting_elsewhere():
            release.wait(timeout=10)

    waiting = Task(wait_on_another_process)
    next_request = Task(lambda: None)
    pool.add_task(waiting)
    pool.add_task(next_request)
    assert next_request.done.wait(timeout=10)  # served by the thread lent meanwhile
    assert not waiting.done.is_set() and threads.lent() == 1
    release.set()
    assert waiting.done.wait(timeout=10)
    assert threads.lent() == 0
    assert running_threads(pool, 1) == 1  # the pool is back to its own size


def test_without_lending_the_next_request_waits(pool_of):
    # The same two requests on a pool nobody lends to: the situation lending avoids.
    pool = pool_of(1, lending=False)
    release = threading.Event()
    waiting = Task(lambda: release.wait(timeout=10))
    next_request = Task(lambda: None)
    pool.add_task(waiting)
    pool.add_task(next_request)
    assert not next_request.done.wait(timeout=0.5)
    release.set()
    assert next_request.done.wait(timeout=10)


def test_at_most_max_lent_threads_are_added(pool_of):
    pool = pool_of(2)
    release = threading.Event()
    entered = threading.Barrier(threads.MAX_LENT + 2 + 1)

    def wait():
        with threads.waiting_elsewhere():
            entered.wait(timeout=10)
            release.wait(timeout=10)

    waiters = [threading.Thread(target=wait) for _ in range(threads.MAX_LENT + 2)]
    for waiter in waiters:
        waiter.start()
    entered.wait(timeout=10)
    assert threads.lent() == threads.MAX_LENT
    assert running_threads(pool, 2 + threads.MAX_LENT) == 2 + threads.MAX_LENT
    release.set()
    for waiter in waiters:
        waiter.join(timeout=10)
    assert threads.lent() == 0
    assert running_threads(pool, 2) == 2


def test_a_wait_that_fails_gives_the_place_back(pool_of):
    pool = pool_of(2)
    with pytest.raises(RuntimeError), threads.waiting_elsewhere():
        assert threads.lent() == 1
        raise RuntimeError("the child process failed")
    assert threads.lent() == 0
    assert running_threads(pool, 2) == 2


def test_a_thread_lends_its_place_once_however_many_waits_it_nests(pool_of):
    pool_of(2)
    with threads.waiting_elsewhere(), threads.waiting_elsewhere():
        assert threads.lent() == 1
    assert threads.lent() == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Django never closes SQLite's in-memory test database"
)
def test_a_thread_leaving_the_pool_closes_its_database_connection(db):
    # Left to the garbage collector, the connections of threads that came and went filled
    # PostgreSQL's max_connections during a burst of submissions.
    pool = threads.Pool(1)
    opened = []

    def use_the_database():
        connection.ensure_connection()
        opened.append(connections["default"])  # this thread's own, not the proxy

    try:
        task = Task(use_the_database)
        pool.add_task(task)
        assert task.done.wait(timeout=10)
        assert opened and opened[0].connection is not None
        pool.set_thread_count(0)
        assert running_threads(pool, 0) == 0
        deadline = time.monotonic() + 10
        while opened[0].connection is not None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert opened[0].connection is None
    finally:
        pool.shutdown(cancel_pending=True, timeout=5)
