import contextlib
import gc
import logging
import os
import shutil
import signal
import socket
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from duban.audit import shared


class Command(BaseCommand):
    help = "启动网站（waitress，多线程；--workers 可开多个进程以用上多个处理器核心）。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="监听地址，默认 127.0.0.1")
        parser.add_argument("--port", type=int, default=8000, help="端口，默认 8000")
        parser.add_argument("--threads", type=int, default=2, help="每个进程的处理线程数，默认 2")
        parser.add_argument(
            "--workers", type=int, default=1, help="进程数，默认 1；一般设为处理器核心数"
        )

    def handle(self, *args, host, port, threads, workers, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception as exc:
            raise CommandError(f"无法连接数据库：{exc}") from exc
        if pending:
            raise CommandError("数据库尚未初始化或需要升级，请先运行：duban migrate")
        if workers < 1 or threads < 1:
            raise CommandError("--workers 和 --threads 必须至少为 1")
        warm_up()
        # Everything loaded so far lives as long as the process: the collector need not walk
        # it again. A full collection of a worker then took ~15 ms of CPU instead of ~85 ms,
        # a pause of every thread of the worker; and the forked workers keep sharing those
        # pages of memory, which walking them (writing their reference counts) would copy.
        gc.collect()
        gc.freeze()
        # No database connection may be shared by the processes forked below.
        connections.close_all()
        forking = workers > 1 and hasattr(os, "fork")
        try:
            listeners = listen(host, port, workers if forking else 1)
        except OSError as exc:
            raise CommandError(f"无法监听 {host}:{port}：{exc.strerror or exc}") from exc
        self.stdout.write(f"督查督办系统已启动：http://{host}:{port}/  （按 Ctrl+C 停止）")
        self.stdout.flush()
        if not forking:
            _serve(listeners[0], threads)
            return
        pages = _shared_pages_directory()
        shared.enable(pages)
        try:
            _supervise(listeners, threads, workers, self.stderr)
        finally:
            shutil.rmtree(pages, ignore_errors=True)


def _shared_pages_directory() -> Path:
    """This server's directory of pages shared by its workers (`duban.audit.shared`), after
    removing those left by servers that were killed before they could remove their own."""
    from django.conf import settings

    parent = settings.DATA_DIR / "cache"
    for leftover in parent.glob("serve-*"):
        with contextlib.suppress(ValueError):
            if not _alive(int(leftover.name.removeprefix("serve-"))):
                shutil.rmtree(leftover, ignore_errors=True)
    return parent / f"serve-{os.getpid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def listen(host: str, port: int, workers: int) -> list[socket.socket]:
    """The listening sockets, one per worker where the system allows (SO_REUSEPORT, Linux),
    else one shared by all.

    On one shared socket, whichever worker wakes first takes a new connection, and a kept-alive
    connection (a browser's, a proxy's) then stays with it: twenty connections opened at once
    were seen to go seventeen to one worker, busy on one core while the other idled. With a
    socket each on the same port, the kernel spreads new connections evenly over them."""
    # Bound alone first, so that a port already in use is refused as it always was.
    first = socket.create_server((host, port), backlog=1024)
    if workers == 1 or not hasattr(socket, "SO_REUSEPORT"):
        return [first]
    port = first.getsockname()[1]
    first.close()
    return [
        socket.create_server((host, port), reuse_port=True, backlog=1024) for _ in range(workers)
    ]


# A worker that dies sooner than this after it started is restarted only after a pause, so that
# one that cannot start at all does not make the supervisor fork in a tight loop.
MIN_WORKER_LIFE = 1.0


def _fork_worker(listeners, index: int, threads) -> int:
    """A worker serving `listeners[index]` (or the one socket all share)."""
    listener = listeners[index % len(listeners)]
    pid = os.fork()
    if pid == 0:  # a worker: serve until told to stop
        signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
        for other in listeners:
            if other is not listener:
                other.close()
        try:
            _serve(listener, threads)
        finally:
            os._exit(0)
    return pid


def _supervise(listeners, threads: int, workers: int, stderr) -> None:
    """Fork the workers and keep their number: a worker that dies (killed, out of memory) is
    replaced by a new one on the same socket, until the server is told to stop. The sockets
    stay open here meanwhile, so the connections waiting on a dead worker's are not lost."""
    children: dict[int, tuple[float, int]] = {}  # pid: (started, index of its socket)
    stopping = False
    for index in range(workers):
        children[_fork_worker(listeners, index, threads)] = (time.monotonic(), index)

    def stop(*_):
        nonlocal stopping
        stopping = True
        for child in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
    try:
        while children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            child = children.pop(pid, None)
            if child is None or stopping:
                continue
            started, index = child
            how = (
                f"信号 {os.WTERMSIG(status)}"
                if os.WIFSIGNALED(status)
                else f"退出码 {os.WEXITSTATUS(status)}"
            )
            stderr.write(f"工作进程 {pid} 意外退出（{how}），正在重新启动")
            if time.monotonic() - started < MIN_WORKER_LIFE:
                time.sleep(MIN_WORKER_LIFE)
            children[_fork_worker(listeners, index, threads)] = (time.monotonic(), index)
    except KeyboardInterrupt:
        stop()


def warm_up() -> None:
    """Do once, before the workers are forked, what each would otherwise do on its first
    requests: import every view (the URLconf; the API's schemas and the exports' libraries take
    half a second) and compile the application's templates. A worker's first requests then
    wait for none of it, and the workers share those pages of memory."""
    from django.conf import settings
    from django.template import engines
    from django.urls import get_resolver
    from django.utils import translation

    from duban.wsgi import application  # noqa: F401  (the middleware, loaded once)

    with translation.override(settings.LANGUAGE_CODE):
        get_resolver().reverse_dict  # noqa: B018  (imports and indexes every URL pattern)
    package = Path(__file__).resolve().parents[3]  # duban/
    for engine in engines.all():
        for directory in getattr(engine, "template_dirs", ()):
            if not Path(directory).resolve().is_relative_to(package):
                continue  # Django's own (the admin's) are compiled when first used
            for path in Path(directory).rglob("*.html"):
                name = path.relative_to(directory).as_posix()
                with contextlib.suppress(Exception):  # a template that fails fails when used
                    engine.get_template(name)


def _serve(listener, threads):
    """Waitress on an already bound socket: the workers of `--workers` share one port."""
    from waitress import create_server

    from duban.web import threads as request_threads
    from duban.wsgi import application

    logging.basicConfig()  # waitress reports a failed request through logging, as its serve()
    pool = request_threads.Pool(threads)
    server = create_server(
        application,
        _dispatcher=pool,  # waitress's parameter for a pool of one's own
        sockets=[listener],
        threads=threads,
        ident="duban",
        # Browsers keep idle connections open; on a deadline day hundreds of unit reporters do.
        # Waitress's default of 100 connections per process then leaves new arrivals waiting in
        # the backlog until some idle connection times out (up to two minutes), so allow many
        # more, watched with poll() (select() stops at 1024 descriptors), and close idle ones
        # sooner. Threads, not connections, bound the work done at once.
        connection_limit=CONNECTION_LIMIT,
        asyncore_use_poll=True,
        channel_timeout=IDLE_TIMEOUT,
        **proxy_options(),
    )
    # A request waiting on an upload being read lends its thread's place (duban.web.threads).
    request_threads.use_pool(pool)
    server.print_listen("Serving on http://{}:{}")
    server.run()


CONNECTION_LIMIT = 2000  # open connections per process, idle ones included
IDLE_TIMEOUT = 30  # seconds an idle kept-alive connection is held


def proxy_options() -> dict:
    """Behind HTTPS (DUBAN_HTTPS=1), trust X-Forwarded-Proto from the reverse proxy.

    Waitress drops the X-Forwarded-* headers of a peer it does not trust, so without this every
    request looked like plain HTTP to Django: no HSTS header, and no secure-request checks.
    """
    from django.conf import settings

    if not settings.DUBAN_TRUSTED_PROXY:
        return {}
    return {
        "trusted_proxy": settings.DUBAN_TRUSTED_PROXY,
        "trusted_proxy_headers": {"x-forwarded-proto"},
    }
