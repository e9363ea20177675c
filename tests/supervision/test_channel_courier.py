"""Chases and returns reach the units' group robots from outside the office user's request:
the step queues its rows, and once it commits the process's courier thread posts them,
retrying a failed post at its time; a concurrent `duban deliver` never makes a message go out
twice. Against a robot the test runs on loopback, gated so the test decides when it answers
(no timing is asserted). 青溪市 and its county 云台县, whose bureau has a group but no
accounts (so the step e-mails nobody)."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from duban.organisations.models import Organisation, Person
from duban.supervision import channels
from duban.supervision.channels import courier
from duban.supervision.models import ChannelDelivery, UnitChannel
from duban.targets.models import ProgressReport, Target

from ..conftest import make_account
from ..robots import Robot, duban_process, forty_chases_in_a_file_database

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 30  # seconds a test waits for the thread at most before it fails


class GatedRobot(Robot):
    """A robot that holds each answer until the test opens the gate, saying when a request
    has arrived."""

    def __init__(self):
        self.gate = threading.Event()
        self.arrived = threading.Event()
        self.answered = 0
        super().__init__()
        robot = self
        handler = self.server.RequestHandlerClass
        original = handler.do_POST

        def do_POST(self):  # noqa: N802 — the name BaseHTTPRequestHandler calls
            robot.arrived.set()
            robot.gate.wait(WAIT)
            original(self)
            robot.answered += 1

        handler.do_POST = do_POST


@pytest.fixture(autouse=True)
def courier_left_idle():
    yield
    assert courier.wait_idle(WAIT), "the courier thread did not finish"


@pytest.fixture
def gated(settings):
    robot = GatedRobot()
    settings.DUBAN_WEBHOOK_HOSTS = {"wecom": robot.host, "dingtalk": robot.host}
    settings.DUBAN_WEBHOOK_TIMEOUT = WAIT * 2  # a post inside the request would hang the test
    settings.DUBAN_BASE_URL = "https://duban.qingxi.example.gov.cn"
    try:
        yield robot
    finally:
        robot.gate.set()
        courier.wait_idle(WAIT)
        robot.stop()


@pytest.fixture
def qingxi():
    gov = Organisation.objects.create(
        name="青溪市人民政府", short_name="市政府", level=2, kind="government"
    )
    bureau = Organisation.objects.create(name="青溪市科学技术局", short_name="市科技局", parent=gov)
    county_bureau = Organisation.objects.create(
        name="云台县科学技术局", short_name="云台县科技局", level=3, parent=gov
    )
    staff = make_account("qx_office", "李督查", Person.Role.OFFICE, bureau, staff=True)
    target = Target.objects.create(
        year=timezone.localdate().year,
        number="7",
        text="云台县高新技术企业培育",
        state=Target.State.IN_PROGRESS,
        lead_unit=county_bureau,
    )
    return {"staff": staff, "unit": county_bureau, "target": target}


def _submitted_report(target):
    return ProgressReport.objects.create(
        target=target,
        period=f"{timezone.localdate().year}-Q1",
        unit=target.lead_unit,
        progress="已走访企业20家",
        is_complete=True,
        review_state=ProgressReport.Review.SUBMITTED,
        submitted_at=timezone.now(),
    )


STEPS = {
    "chase": lambda q: (f"/targets/{q['target'].pk}/chase/", {"message": "请于周五前报送进展"}),
    "return": lambda q: (
        f"/reports/{_submitted_report(q['target']).pk}/review/",
        {"decision": "return", "comment": "请补充佐证材料"},
    ),
}


@pytest.mark.parametrize("step", sorted(STEPS))
def test_the_request_returns_before_a_slow_robot_answers(client, gated, qingxi, step):
    UnitChannel.objects.create(unit=qingxi["unit"], kind="wecom", url=gated.wecom_url())
    url, data = STEPS[step](qingxi)
    client.force_login(qingxi["staff"])
    response = client.post(url, data)
    # The office user has the answer while the robot still holds its own.
    assert response.status_code == 302
    assert gated.answered == 0
    assert gated.arrived.wait(WAIT), "the courier never posted"
    [row] = ChannelDelivery.objects.all()
    assert (row.kind, row.state, row.attempts) == (step.replace("return", "returned"), "sending", 1)
    gated.gate.set()
    assert courier.wait_idle(WAIT)
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == ("sent", 1, "")
    assert len(gated.requests) == 1 and gated.answered == 1
    assert f"/targets/{qingxi['target'].pk}/" in gated.contents[0]


def test_a_failing_robot_is_retried_by_the_courier_until_it_takes_the_message(settings, qingxi):
    from duban.supervision import actions

    robot = Robot()
    settings.DUBAN_WEBHOOK_HOSTS = {"wecom": robot.host, "dingtalk": robot.host}
    settings.DUBAN_WEBHOOK_TIMEOUT = 5
    settings.DUBAN_WEBHOOK_RETRY_MINUTES = (0.001, 0.001, 0.001)  # 60 ms, not 1, 5, 30 min
    robot.answers = [(500, b""), (200, {"errcode": -1, "errmsg": "system busy"})]
    try:
        UnitChannel.objects.create(unit=qingxi["unit"], kind="wecom", url=robot.wecom_url())
        actions.chase(qingxi["staff"], qingxi["target"], "请于周五前报送进展")
        assert courier.wait_idle(WAIT)
        [row] = ChannelDelivery.objects.all()
        assert (row.state, row.attempts, row.last_error) == ("sent", 3, "")
        assert len(robot.contents) == 3 and len(set(robot.contents)) == 1
        assert robot.contents[0].startswith("【督办催办】\n请于周五前报送进展")
    finally:
        robot.stop()


def test_a_robot_that_keeps_failing_is_given_up_after_the_fourth_attempt(settings, qingxi):
    from duban.audit.models import AuditEvent
    from duban.supervision import actions

    robot = Robot()
    settings.DUBAN_WEBHOOK_HOSTS = {"wecom": robot.host, "dingtalk": robot.host}
    settings.DUBAN_WEBHOOK_RETRY_MINUTES = (0.001, 0.001, 0.001)
    robot.answers = [(502, b"")] * 4
    try:
        UnitChannel.objects.create(unit=qingxi["unit"], kind="wecom", url=robot.wecom_url())
        actions.chase(qingxi["staff"], qingxi["target"])
        assert courier.wait_idle(WAIT)
        [row] = ChannelDelivery.objects.all()
        assert (row.state, row.attempts, row.last_error) == ("failed", 4, "HTTP 502")
        assert len(robot.requests) == 4
        assert AuditEvent.objects.filter(summary="群消息发送失败，已放弃").count() == 1
    finally:
        robot.stop()


# --- the courier and another deliverer at once ---------------------------------------------

COURIER_RUN = """
from duban.supervision.channels import courier
from duban.supervision.models import ChannelDelivery
courier.send(list(ChannelDelivery.objects.values_list("pk", flat=True)))
assert courier.wait_idle(120)
print(ChannelDelivery.objects.filter(state="sent").count())
"""


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="SQLite: processes on a file database"
)
def test_the_courier_and_deliver_runs_at_once_post_each_message_once_on_sqlite(tmp_path):
    robot = Robot(delay=0.02)
    try:
        env = forty_chases_in_a_file_database(tmp_path, robot)
        runs = [duban_process("shell", "-c", COURIER_RUN, env=env)] + [
            duban_process("deliver", env=env) for _ in range(2)
        ]
        outputs = [run.communicate(timeout=180) for run in runs]
        assert all(run.returncode == 0 for run in runs), outputs
        assert sorted(robot.contents) == sorted(f"催办{i}" for i in range(40))
        assert outputs[0][0].strip().splitlines()[-1] == "40"
    finally:
        robot.stop()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads at once need a server database"
)
def test_the_courier_and_deliver_runs_at_once_post_each_message_once_on_postgresql(qingxi):
    robot = Robot(delay=0.005)
    try:
        from django.test import override_settings

        with override_settings(DUBAN_WEBHOOK_HOSTS={"wecom": robot.host, "dingtalk": robot.host}):
            channel = UnitChannel.objects.create(
                unit=qingxi["unit"], kind="wecom", url=robot.wecom_url()
            )
            rows = ChannelDelivery.objects.bulk_create(
                [
                    ChannelDelivery(channel=channel, kind="chase", key=f"k{i}", text=f"催办{i}")
                    for i in range(120)
                ]
            )
            barrier = threading.Barrier(3)
            errors = []

            def deliverer():
                try:
                    barrier.wait()
                    while channels.deliver(limit=7).sent:
                        pass
                except Exception as exc:  # reported below
                    errors.append(exc)
                finally:
                    connection.close()

            threads = [threading.Thread(target=deliverer) for _ in range(2)]
            for t in threads:
                t.start()
            barrier.wait()
            courier.send([row.pk for row in rows])
            for t in threads:
                t.join()
            assert courier.wait_idle(WAIT)
        assert not errors
        assert sorted(robot.contents) == sorted(f"催办{i}" for i in range(120))
        assert ChannelDelivery.objects.filter(state="sent").count() == 120
    finally:
        robot.stop()


def test_a_row_given_up_while_its_batch_was_posting_is_not_posted(monkeypatch, qingxi):
    """A batch of slow robots can outlast STALE_MINUTES; a row another run gave up as stale
    meanwhile is skipped, not posted after all."""
    channel = UnitChannel.objects.create(
        unit=qingxi["unit"],
        kind="wecom",
        url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
    )
    first, second = ChannelDelivery.objects.bulk_create(
        [
            ChannelDelivery(channel=channel, kind="chase", key=f"k{i}", text=f"催办{i}")
            for i in (1, 2)
        ]
    )
    posted = []

    def post(channel, text, **kwargs):
        posted.append(text)
        # Meanwhile another run gives the second row up (what give_up_stale does).
        ChannelDelivery.objects.filter(pk=second.pk).update(state="failed", claim="")
        return None

    monkeypatch.setattr(channels, "post", post)
    outcome = channels.deliver()
    assert posted == ["催办1"] and outcome.sent == 1
    second.refresh_from_db()
    assert second.state == "failed"
