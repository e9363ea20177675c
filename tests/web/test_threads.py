"""A request waiting on another process or the mail server lends its thread's place
(`duban.web.threads`), on waitress's own pool of threads: another thread serves the next
request meanwhile."""

import asyncio
import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import EmailMessage
from waitress.task import ThreadedTaskDispatcher

from duban.supervision.notifications import Mailer
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
def pool():
    dispatcher = ThreadedTaskDispatcher()
    yield dispatcher
    threads.use_pool(None, 0)
    dispatcher.shutdown(cancel_pending=True, timeout=5)


def test_outside_a_server_waiting_lends_nothing():
    threads.use_pool(None, 0)
    with threads.waiting_elsewhere():
        assert threads.lent() == 0


def test_the_next_request_is_served_while_the_only_thread_waits(pool):
    pool.set_thread_count(1)
    threads.use_pool(pool, 1)
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


def test_without_lending_the_next_request_waits(pool):
    # The same two requests on a pool nobody lends to: the situation lending avoids.
    pool.set_thread_count(1)
    release = threading.Event()
    waiting = Task(lambda: release.wait(timeout=10))
    next_request = Task(lambda: None)
    pool.add_task(waiting)
    pool.add_task(next_request)
    assert not next_request.done.wait(timeout=0.5)
    release.set()
    assert next_request.done.wait(timeout=10)


def test_at_most_max_lent_threads_are_added(pool):
    pool.set_thread_count(2)
    threads.use_pool(pool, 2)
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


def test_a_wait_that_fails_gives_the_place_back(pool):
    pool.set_thread_count(2)
    threads.use_pool(pool, 2)
    with pytest.raises(RuntimeError), threads.waiting_elsewhere():
        assert threads.lent() == 1
        raise RuntimeError("the child process failed")
    assert threads.lent() == 0
    assert running_threads(pool, 2) == 2


def test_a_thread_lends_its_place_once_however_many_waits_it_nests(pool):
    pool.set_thread_count(2)
    threads.use_pool(pool, 2)
    with threads.waiting_elsewhere(), threads.waiting_elsewhere():
        assert threads.lent() == 1
    assert threads.lent() == 0


class SlowMailServer:
    """An SMTP server (aiosmtpd) that holds each message until told to accept it."""

    def __init__(self):
        self.answering = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.answering.set()
        await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 10)
        return "250 Message accepted for delivery"


def test_a_request_mailing_a_step_lends_its_place_while_the_mail_server_answers(pool, settings):
    pool.set_thread_count(2)
    threads.use_pool(pool, 2)
    server = SlowMailServer()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 10
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    outcomes = []

    def send():
        mailer = Mailer()
        message = EmailMessage(
            "【督办提醒】已交办", "请签收。", "duban@qingxi.example", ["a@qingxi.example"]
        )
        outcomes.append(mailer.send_many([message]))
        mailer.close()

    sender = threading.Thread(target=send)
    try:
        sender.start()
        assert server.answering.wait(timeout=10)
        assert threads.lent() == 1  # while the mail server takes its time
        server.release.set()
        sender.join(timeout=10)
    finally:
        server.release.set()
        controller.stop()
    assert outcomes == [[None]]
    assert threads.lent() == 0
