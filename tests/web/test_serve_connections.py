"""`duban serve` under a deadline day's connections: browsers keep idle connections open, and a
server that counts them against a small limit stops accepting new ones until they time out."""

import os
import socket
import urllib.parse

import pytest

from ..serving import first_answer, serving

IDLE_BROWSERS = 150  # more than waitress's default limit of 100 per process


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="a fresh SQLite file")
def test_a_new_visitor_is_answered_while_many_idle_connections_are_open(tmp_path):
    env = {**os.environ, "DUBAN_DATA_DIR": str(tmp_path)}
    with serving(env, "--workers", "1") as base:  # no account yet: the setup page answers
        first_answer(f"{base}/setup/")
        address = urllib.parse.urlsplit(base)
        idle = []
        try:
            for _ in range(IDLE_BROWSERS):
                connection = socket.create_connection((address.hostname, address.port))
                idle.append(connection)
            # Each idle connection is accepted before the next visitor arrives.
            for connection in idle:
                connection.sendall(b"GET /setup/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                connection.settimeout(30)
                assert connection.recv(12).startswith(b"HTTP/1.1 200")
            visitor = socket.create_connection((address.hostname, address.port))
            visitor.settimeout(30)  # with the old limit it waited for the 120 s idle timeout
            visitor.sendall(b"GET /setup/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert visitor.recv(12).startswith(b"HTTP/1.1 200")
            visitor.close()
        finally:
            for connection in idle:
                connection.close()
