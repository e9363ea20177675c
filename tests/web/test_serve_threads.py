"""`duban serve` with one thread: a visitor is answered while the thread waits for an upload to
be read in its child process (`duban.web.threads`), instead of after it."""

import http.cookiejar
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid

import pytest

from ..serving import first_answer, migrate, serving

PASSWORD = "qingxi-threads-2026"


def sign_in(base: str):
    """An opener holding a signed-in session of the office's first account."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"csrfmiddlewaretoken": token, "username": "duchayuan", "password": PASSWORD}
    request = urllib.request.Request(
        f"{base}/accounts/login/",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Referer": f"{base}/accounts/login/"},
    )
    assert "退出" in opener.open(request).read().decode()
    return opener


def upload(opener, base: str, name: str, data: bytes):
    page = opener.open(f"{base}/documents/import/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{token}\r\n--{boundary}\r\n"
            f'Content-Disposition: form-data; name="files"; filename="{name}"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        f"{base}/documents/import/",
        data=body,
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": f"{base}/documents/import/",
        },
    )
    return opener.open(request, timeout=120).read().decode()


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="a fresh SQLite file")
def test_a_visitor_is_answered_while_the_only_thread_waits_on_an_upload(tmp_path):
    env = {**os.environ, "DUBAN_DATA_DIR": str(tmp_path), "DUBAN_SETUP_PASSWORD": PASSWORD}
    migrate(env)
    setup = subprocess.run(
        [sys.executable, "-m", "duban", "setup", "--no-input", "--office-name=青溪市科学技术局",
         "--short-name=青溪市科技局", "--level=市级", "--username=duchayuan", "--name=林督查",
         "--phone=0571-8800123", "--email=duchayuan@qingxi.example"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert setup.returncode == 0, setup.stderr
    # Plain prose of 8 MB: read in its child process in most of a second, with nothing to import.
    prose = ("本段为青溪市科技局的工作说明，介绍日常事务的安排，不含具体目标。" * 3 + "\n") * 30000
    with serving(env, "--workers", "1", "--threads", "1") as base:
        first_answer(f"{base}/accounts/login/")
        importer, visitor = sign_in(base), sign_in(base)
        finished = {}

        def import_prose():
            page = upload(importer, base, "说明.txt", prose.encode())
            finished["upload"] = time.monotonic()
            finished["read"] = "已读取" in page

        uploading = threading.Thread(target=import_prose)
        uploading.start()
        time.sleep(0.3)  # the upload has arrived and its reading has begun
        assert "工作台" in visitor.open(f"{base}/", timeout=60).read().decode()
        answered = time.monotonic()
        uploading.join(timeout=120)
        assert finished.get("read"), "the upload was not read"
        assert answered < finished["upload"]  # with no thread lent, it came only after
