"""A WeCom or DingTalk group robot played by an HTTP server on loopback, and the pieces of
the tests that run `duban` in processes of their own against a file database."""

import http.server
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse


class Robot:
    """An HTTP server on loopback that plays a WeCom or DingTalk robot: it records every
    request and answers from `answers` (status, body) in turn, then errcode 0."""

    def __init__(self, delay: float = 0.0):
        self.requests = []
        self.answers = []
        self.delay = delay
        self.lock = threading.Lock()
        robot = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                parts = urllib.parse.urlsplit(self.path)
                with robot.lock:
                    robot.requests.append(
                        {
                            "path": parts.path,
                            "query": dict(urllib.parse.parse_qsl(parts.query)),
                            "type": self.headers.get("Content-Type"),
                            "body": json.loads(raw.decode("utf-8")),
                        }
                    )
                    status, body = robot.answers.pop(0) if robot.answers else (200, {"errcode": 0})
                if robot.delay:
                    time.sleep(robot.delay)
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.host = f"127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def contents(self) -> list[str]:
        return [r["body"]["text"]["content"] for r in self.requests]

    def wecom_url(self, key="qx-key-1") -> str:
        return f"http://{self.host}/cgi-bin/webhook/send?key={key}"

    def dingtalk_url(self, token="qx-token-1") -> str:
        return f"http://{self.host}/robot/send?access_token={token}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def duban_process(*args, env, **kwargs):
    """`duban …` in a process of its own, with `env` over this one's environment."""
    return subprocess.Popen(
        [sys.executable, "-m", "duban", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
        **kwargs,
    )


QUEUE_FORTY_CHASES = """
from duban.organisations.models import Organisation
from duban.supervision.models import ChannelDelivery, UnitChannel
unit = Organisation.objects.create(name="云台县科学技术局", short_name="云台县科技局", level=3)
channel = UnitChannel.objects.create(unit=unit, kind="wecom", url="{url}")
ChannelDelivery.objects.bulk_create(
    [ChannelDelivery(channel=channel, kind="chase", key=f"k{{i}}", text=f"催办{{i}}") for i in range(40)]
)
"""


def forty_chases_in_a_file_database(tmp_path, robot) -> dict:
    """A migrated SQLite database in `tmp_path` holding forty chases queued for `robot`; the
    environment that points `duban` processes at it."""
    env = {
        "DUBAN_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "DUBAN_WECOM_WEBHOOK_HOST": robot.host,
    }
    migrate = duban_process("migrate", "-v", "0", env=env)
    assert migrate.wait(timeout=180) == 0, migrate.stderr.read()
    setup = duban_process("shell", "-c", QUEUE_FORTY_CHASES.format(url=robot.wecom_url()), env=env)
    assert setup.wait(timeout=60) == 0, setup.stderr.read()
    return env
