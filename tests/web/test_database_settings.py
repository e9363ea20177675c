"""How duban connects to PostgreSQL: no JIT compilation of its short queries, and its
repeated statements prepared."""

import pytest
from django.db import connection

from duban import settings


def test_postgresql_connections_turn_jit_off(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://duban@127.0.0.1/duban")
    assert settings._database()["OPTIONS"]["options"] == "-c jit=off"


def test_options_given_in_the_url_are_kept(monkeypatch):
    monkeypatch.setenv(
        "DATABASE_URL", "postgres://duban@127.0.0.1/duban?options=-c%20statement_timeout%3D5000"
    )
    assert settings._database()["OPTIONS"]["options"] == "-c statement_timeout=5000 -c jit=off"


def test_a_jit_given_in_the_url_wins(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://duban@127.0.0.1/duban?options=-c%20jit%3Don")
    assert settings._database()["OPTIONS"]["options"] == "-c jit=on"


def test_sqlite_has_no_such_option(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert "options" not in settings._database()["OPTIONS"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own setting")
def test_the_running_connection_does_not_jit_compile(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_statements_run_five_times_are_prepared(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://duban@127.0.0.1/duban")
    assert settings._database()["OPTIONS"]["prepare_threshold"] == 5
