"""HSTS behind HTTPS, and the Content-Security-Policy every page is sent with."""

import os
import subprocess
import sys

import pytest

from ..serving import first_answer, serving

SCRIPT = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
secure = client.get("/accounts/login/", secure=True)
proxied = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
plain = client.get("/accounts/login/")
print(secure.headers.get("Strict-Transport-Security"))
print(proxied.headers.get("Strict-Transport-Security"))
print(plain.headers.get("Strict-Transport-Security"))
"""


def run_with(env):
    return subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )


def test_hsts_is_sent_over_a_secure_request_when_https_is_on(tmp_path):
    result = run_with({"DUBAN_HTTPS": "1", "DUBAN_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    secure, proxied, plain = result.stdout.splitlines()
    assert secure.startswith("max-age=") and int(secure.split("=")[1].split(";")[0]) >= 86400
    assert proxied == secure
    assert plain == "None"  # HSTS over plain HTTP means nothing to a browser


def test_no_hsts_without_https(tmp_path):
    result = run_with({"DUBAN_HTTPS": "0", "DUBAN_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["None", "None", "None"]


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="a fresh SQLite file")
def test_duban_serve_behind_an_https_proxy_sends_hsts(tmp_path):
    env = {**os.environ, "DUBAN_DATA_DIR": str(tmp_path), "DUBAN_HTTPS": "1"}
    with serving(env) as base:
        _status, headers, _body = first_answer(
            f"{base}/accounts/login/", headers={"X-Forwarded-Proto": "https"}
        )
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in headers.get("Set-Cookie", "Secure")


def test_every_page_is_sent_with_the_content_security_policy(client, db):
    for path in ("/accounts/login/", "/public/", "/api/openapi.json"):
        policy = client.get(path).headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"


def _templates():
    from pathlib import Path

    import duban

    return sorted(Path(duban.__file__).parent.rglob("templates/**/*.html"))


def test_templates_hold_no_inline_script():
    import re

    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    found = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for pattern in (inline_script, handler, re.compile("javascript:", re.I)):
            found += [f"{path.name}: {m.group(0)}" for m in pattern.finditer(text)]
    assert _templates() and found == []
