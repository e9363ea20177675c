"""Units' group robots (企业微信, 钉钉): the address rules, delivery through a durable outbox to
a robot the test runs on loopback, retry with back-off, giving up, never twice, DingTalk's
signing, the day's message from `duban remind`, and the page office staff configure them on.
The fictional city of 青溪市 and its county 云台县."""

import base64
import datetime
import hashlib
import hmac
import json
import os
import threading
import time
import urllib.parse

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from duban.audit.models import AuditEvent
from duban.organisations.models import Organisation, Person
from duban.supervision import actions, channels
from duban.supervision.models import ChannelDelivery, Notification, UnitChannel
from duban.targets.models import Target

from ..conftest import make_account
from ..robots import Robot, duban_process, forty_chases_in_a_file_database
from .test_remind import free_port

TODAY = datetime.date(2026, 6, 15)
DAY = datetime.timedelta(days=1)
MINUTE = datetime.timedelta(minutes=1)
BASE = "https://duban.qingxi.example.gov.cn"


@pytest.fixture(autouse=True)
def rules(settings):
    settings.DUBAN_DUE_SOON_DAYS = 7
    settings.DUBAN_BASE_URL = BASE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


# --- 青溪市 --------------------------------------------------------------------------------


@pytest.fixture
def qingxi(db):
    gov = Organisation.objects.create(
        name="青溪市人民政府", short_name="市政府", level=2, kind="government"
    )
    bureau = Organisation.objects.create(name="青溪市科学技术局", short_name="市科技局", parent=gov)
    county = Organisation.objects.create(
        name="云台县人民政府", short_name="云台县政府", level=3, kind="government", parent=gov
    )
    county_bureau = Organisation.objects.create(
        name="云台县科学技术局", short_name="云台县科技局", level=3, parent=county
    )
    return {"gov": gov, "bureau": bureau, "county": county, "county_bureau": county_bureau}


@pytest.fixture
def staff(qingxi):
    return make_account("qx_office", "李督查", Person.Role.OFFICE, qingxi["bureau"], staff=True)


@pytest.fixture
def office_person(qingxi):
    """Office staff without admin rights: may configure channels on the page."""
    return make_account("qx_office2", "周督查", Person.Role.OFFICE, qingxi["bureau"])


@pytest.fixture
def county_reporter(qingxi):
    return make_account("yt_kjj", "张三", Person.Role.UNIT, qingxi["county_bureau"])


@pytest.fixture
def task(qingxi):
    def make(number="7", deadline=TODAY + 30 * DAY, unit="county_bureau", **fields):
        return Target.objects.create(
            year=2026,
            number=number,
            text=fields.pop("text", f"云台县高新技术企业培育第{number}项"),
            state=fields.pop("state", Target.State.IN_PROGRESS),
            lead_unit=qingxi[unit],
            deadline=deadline,
            **fields,
        )

    return make


def wecom(robot, unit, **fields):
    return UnitChannel.objects.create(
        unit=unit, kind="wecom", url=robot.wecom_url(), name="云台县科技局工作群", **fields
    )


def dingtalk(robot, unit, secret="", **fields):
    return UnitChannel.objects.create(
        unit=unit, kind="dingtalk", url=robot.dingtalk_url(), secret=secret, **fields
    )


# --- the address -------------------------------------------------------------------------


def messages_of(exc: ValidationError) -> dict:
    return {k: " ".join(v) for k, v in exc.message_dict.items()}


def test_the_official_addresses_are_valid_with_https():
    channels.validate_channel(
        "wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"
    )
    channels.validate_channel(
        "dingtalk",
        "https://oapi.dingtalk.com/robot/send?access_token=abc123",
        "SEC0123456789abcdef",
    )


@pytest.mark.parametrize(
    "kind, url, field, words",
    [
        ("wecom", "", "url", "请填写企业微信群机器人的 Webhook 地址"),
        ("wecom", "   ", "url", "请填写"),
        ("wecom", "qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "url", "格式不正确"),
        ("wecom", "ftp://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "url", "格式不正确"),
        ("wecom", "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "url", "https://"),
        (
            "wecom",
            "https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send?key=k",
            "url",
            "qyapi.weixin.qq.com 上",
        ),
        ("wecom", "https://10.0.0.8/cgi-bin/webhook/send?key=k", "url", "qyapi.weixin.qq.com 上"),
        (
            "wecom",
            "https://u:p@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
            "url",
            "格式不正确",
        ),
        ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", "url", "key=…"),
        ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=", "url", "key=…"),
        ("wecom", "https://qyapi.weixin.qq.com/other?key=k", "url", "key=…"),
        ("dingtalk", "https://oapi.dingtalk.com/robot/send", "url", "access_token=…"),
        (
            "dingtalk",
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
            "url",
            "oapi.dingtalk.com 上",
        ),
        (
            "nothing",
            "https://oapi.dingtalk.com/robot/send?access_token=t",
            "kind",
            "请选择群机器人类型",
        ),
    ],
)
def test_a_missing_or_invalid_address_is_refused_in_chinese(kind, url, field, words):
    with pytest.raises(ValidationError) as refused:
        channels.validate_channel(kind, url)
    assert words in messages_of(refused.value)[field]


def test_secrets_fit_their_kind():
    good = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
    with pytest.raises(ValidationError) as refused:
        channels.validate_channel("wecom", good, "SECabc")
    assert messages_of(refused.value) == {"secret": "企业微信群机器人没有加签密钥，请留空"}
    with pytest.raises(ValidationError) as refused:
        channels.validate_channel(
            "dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=t", "abc"
        )
    assert "以 SEC 开头" in messages_of(refused.value)["secret"]


def test_http_is_allowed_only_for_a_loopback_host(settings):
    settings.DUBAN_WEBHOOK_HOSTS = {"wecom": "127.0.0.1:9999", "dingtalk": "robot.qingxi.example"}
    channels.validate_channel("wecom", "http://127.0.0.1:9999/cgi-bin/webhook/send?key=k")
    with pytest.raises(ValidationError, match="https://"):
        channels.validate_channel(
            "dingtalk", "http://robot.qingxi.example/robot/send?access_token=t"
        )
    channels.validate_channel("dingtalk", "https://robot.qingxi.example/robot/send?access_token=t")
    with pytest.raises(ValidationError, match="127.0.0.1:9999 上"):
        channels.validate_channel("wecom", "http://127.0.0.1:9998/cgi-bin/webhook/send?key=k")


# --- delivery ------------------------------------------------------------------------------


def test_a_chase_is_posted_to_the_units_wecom_group_once_with_a_link(
    robot, qingxi, staff, county_reporter, task, django_capture_on_commit_callbacks
):
    channel = wecom(robot, qingxi["county_bureau"])
    t = task(number="12", text="建设科技企业孵化器")
    with django_capture_on_commit_callbacks():
        actions.chase(staff, t, "请于周五前报送进展")
    # Queued by the step, posted outside it (test_channel_courier: by the courier's thread).
    assert robot.requests == []
    assert channels.deliver().sent == 1
    [request] = robot.requests
    assert request["path"] == "/cgi-bin/webhook/send"
    assert request["query"] == {"key": "qx-key-1"}
    assert request["type"].startswith("application/json")
    assert request["body"]["msgtype"] == "text"
    content = request["body"]["text"]["content"]
    assert content.startswith("【督办催办】\n请于周五前报送进展\n")
    assert "牵头单位：云台县科技局" in content
    assert content.endswith(f"查看详情：{BASE}/targets/{t.pk}/")
    [row] = ChannelDelivery.objects.all()
    assert (row.channel, row.target, row.kind, row.state, row.attempts) == (
        channel,
        t,
        "chase",
        "sent",
        1,
    )
    assert row.sent_at is not None and row.last_error == ""
    # Later runs find nothing more to post.
    assert channels.deliver(now=timezone.now() + DAY).sent == 0
    assert len(robot.requests) == 1
    # The in-app notification is still given as before.
    assert Notification.objects.filter(user=county_reporter, kind="chase").count() == 1


def test_a_chase_goes_to_the_lead_units_enabled_channels_only(
    robot, qingxi, staff, task, django_capture_on_commit_callbacks
):
    wecom(robot, qingxi["county_bureau"], enabled=False)
    wecom(robot, qingxi["bureau"])  # another unit's group
    with django_capture_on_commit_callbacks():
        actions.chase(staff, task())
    channels.deliver()
    assert robot.requests == [] and not ChannelDelivery.objects.exists()


def test_a_returned_report_is_posted_to_a_signed_dingtalk_group(
    robot, qingxi, staff, county_reporter, task, django_capture_on_commit_callbacks
):
    secret = "SECqingxi-yuntai-0123456789"
    dingtalk(robot, qingxi["county_bureau"], secret=secret)
    t = task()
    report = actions.save_report(
        county_reporter, t, period="2026-Q2", progress="已走访企业20家", is_complete=True
    )
    with django_capture_on_commit_callbacks():
        actions.return_report(staff, report, "请补充佐证材料")
    assert robot.requests == []
    before = int(time.time() * 1000)
    channels.deliver()
    after = int(time.time() * 1000)
    [request] = robot.requests
    assert request["path"] == "/robot/send"
    query = request["query"]
    assert query["access_token"] == "qx-token-1"
    assert before <= int(query["timestamp"]) <= after
    expected = base64.b64encode(
        hmac.new(
            secret.encode(), f"{query['timestamp']}\n{secret}".encode(), hashlib.sha256
        ).digest()
    ).decode()
    assert query["sign"] == expected  # parse_qsl has undone the URL encoding
    content = request["body"]["text"]["content"]
    assert content.startswith("【督办提醒】报送被退回\n2026年第二季度进展报送被退回")
    assert "意见：请补充佐证材料" in content and f"{BASE}/targets/{t.pk}/" in content
    assert ChannelDelivery.objects.get().state == "sent"


def test_the_signature_follows_dingtalks_rule():
    channel = UnitChannel(
        kind="dingtalk",
        url="https://oapi.dingtalk.com/robot/send?access_token=t",
        secret="SECabc",
    )
    url = channels.signed_url(channel, now_ms=1700000000000)
    digest = hmac.new(b"SECabc", b"1700000000000\nSECabc", hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    assert (
        url
        == f"https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1700000000000&sign={sign}"
    )
    channel.secret = ""
    assert channels.signed_url(channel) == "https://oapi.dingtalk.com/robot/send?access_token=t"


def _queued(robot, qingxi, task, n=1, kind="wecom"):
    channel = (wecom if kind == "wecom" else dingtalk)(robot, qingxi["county_bureau"])
    t = task()
    return [
        ChannelDelivery.objects.create(
            channel=channel, target=t, kind="chase", key=f"chase:{i}", text=f"催办{i}"
        )
        for i in range(n)
    ]


@pytest.mark.parametrize(
    "answer, words",
    [
        ((500, {"errcode": 0}), "HTTP 500"),
        ((404, b"not found"), "HTTP 404"),
        (
            (200, {"errcode": 93000, "errmsg": "invalid webhook url"}),
            "errcode 93000：invalid webhook url",
        ),
        ((200, b"<html>ok</html>"), "应答不是 JSON"),
    ],
)
def test_a_failed_post_is_retried_after_a_minute(robot, qingxi, task, answer, words):
    [row] = _queued(robot, qingxi, task)
    robot.answers = [answer]
    now = timezone.now()
    outcome = channels.deliver(now=now)
    assert (outcome.sent, outcome.retrying, outcome.given_up) == (0, 1, 0)
    row.refresh_from_db()
    assert row.state == "pending" and row.attempts == 1 and words in row.last_error
    assert row.next_attempt_at == now + MINUTE
    assert channels.deliver(now=now + 59 * datetime.timedelta(seconds=1)).sent == 0
    assert len(robot.requests) == 1
    assert channels.deliver(now=now + MINUTE).sent == 1
    row.refresh_from_db()
    assert row.state == "sent" and row.attempts == 2 and row.last_error == ""
    assert robot.contents == ["催办0", "催办0"]


def test_a_robot_that_cannot_be_reached_is_a_failure(settings, qingxi, task):
    port = free_port()  # nothing listens there
    settings.DUBAN_WEBHOOK_HOSTS = {"wecom": f"127.0.0.1:{port}", "dingtalk": "x"}
    channel = UnitChannel.objects.create(
        unit=qingxi["county_bureau"],
        kind="wecom",
        url=f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key=k",
    )
    ChannelDelivery.objects.create(channel=channel, kind="chase", key="c", text="催办")
    outcome = channels.deliver()
    assert outcome.retrying == 1 and "连接失败" in outcome.errors[0]
    assert "ConnectionRefused" in ChannelDelivery.objects.get().last_error


def test_after_four_failures_it_is_given_up_and_recorded(robot, qingxi, task):
    [row] = _queued(robot, qingxi, task)
    robot.answers = [(502, b"bad gateway")] * 5
    start = timezone.now()
    waits = []
    now = start
    for minutes in (0, 1, 5, 30):
        now += datetime.timedelta(minutes=minutes)
        outcome = channels.deliver(now=now)
        row.refresh_from_db()
        waits.append((row.state, row.attempts, outcome.given_up))
    assert waits == [
        ("pending", 1, 0),
        ("pending", 2, 0),
        ("pending", 3, 0),
        ("failed", 4, 1),
    ]
    assert row.last_error == "HTTP 502"
    # Given up: never posted again.
    assert channels.deliver(now=now + DAY).sent == 0
    assert len(robot.requests) == 4
    [event] = AuditEvent.objects.filter(summary="群消息发送失败，已放弃")
    assert event.target_id == row.target_id  # on the target's timeline
    assert event.after["失败原因"] == "HTTP 502" and event.after["尝试次数"] == 4


def test_a_row_is_claimed_by_one_run_only(robot, qingxi, task):
    rows = _queued(robot, qingxi, task, n=3)
    first = channels.claim()
    assert sorted(r.pk for r in first) == sorted(r.pk for r in rows)
    assert channels.claim() == []  # a second run at the same moment gets nothing
    assert channels.deliver().sent == 0  # nor does a whole run
    assert robot.requests == []
    for row in first:
        channels._finish(row, channels.post(row.channel, row.text))
    assert sorted(robot.contents) == ["催办0", "催办1", "催办2"]
    assert set(ChannelDelivery.objects.values_list("state", flat=True)) == {"sent"}


def test_a_row_left_half_sent_by_a_dead_run_is_given_up_not_sent_again(robot, qingxi, task):
    [row] = _queued(robot, qingxi, task)
    now = timezone.now()
    [claimed] = channels.claim(now=now)  # …and the process died while posting
    assert channels.deliver(now=now + 14 * MINUTE).given_up == 0
    outcome = channels.deliver(now=now + 16 * MINUTE)
    assert outcome.given_up == 1 and robot.requests == []
    row.refresh_from_db()
    assert row.state == "failed" and "不再发送" in row.last_error


def test_a_disabled_channel_gets_nothing_of_its_outbox(robot, qingxi, task):
    [row] = _queued(robot, qingxi, task)
    UnitChannel.objects.update(enabled=False)
    assert channels.deliver().given_up == 1
    assert robot.requests == []
    row.refresh_from_db()
    assert row.state == "failed" and row.last_error == "群机器人已停用"


def test_the_same_key_is_never_queued_twice(robot, qingxi, task):
    t = task()
    wecom(robot, qingxi["county_bureau"])
    assert len(channels.queue_step(t, "chase", "催办", "chase:1")) == 1
    assert channels.queue_step(t, "chase", "催办", "chase:1") == []
    assert channels.queue_step(t, "accepted", "通过", "accepted:1") == []  # not a group kind
    assert ChannelDelivery.objects.count() == 1


def test_a_long_message_fits_what_the_robot_accepts(robot, qingxi, task):
    t = task(text="推进" * 900)
    text = channels.step_text(t, "chase", "请抓紧" * 500, 2048)
    assert len(text.encode()) <= 2048
    assert text.endswith(f"查看详情：{BASE}/targets/{t.pk}/")
    assert "……（内容较多，请登录系统查看）" in text


# --- the day's message from `duban remind` ---------------------------------------------------


def remind(*args, today=TODAY):
    import io

    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("remind", "--today", today.isoformat(), *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_remind_posts_the_units_day_in_one_message_once_a_day(robot, qingxi, county_reporter, task):
    wecom(robot, qingxi["county_bureau"])
    soon = task(number="3", deadline=TODAY + 2 * DAY, text="新增科技型中小企业50家")
    late = task(number="5", deadline=TODAY - 1 * DAY, text="建成县级众创空间2家")
    task(number="9", deadline=TODAY + 2 * DAY, unit="bureau")  # the city bureau's: not here
    code, out, err = remind()
    assert code == 0, err
    assert "群机器人今日待办新增 1 条，群消息已发送 1 条" in out
    [content] = robot.contents
    assert content.startswith("【督办】云台县科技局今日待办：临期1项、逾期1项\n截至2026年6月15日")
    assert "1. 3. 新增科技型中小企业50家" in content
    assert f"{BASE}/targets/{soon.pk}/" in content and f"{BASE}/targets/{late.pk}/" in content
    assert "已逾期1天" in content and "还有2天到期" in content
    assert content.endswith(f"登录系统办理：{BASE}/")
    # Later runs of the day post nothing more; the next day's first run posts that day's.
    remind()
    assert len(robot.requests) == 1
    remind(today=TODAY + DAY)
    assert len(robot.requests) == 2 and "已逾期2天" in robot.contents[1]


def test_a_unit_without_accounts_still_hears_in_its_group(robot, qingxi, task):
    wecom(robot, qingxi["county_bureau"])
    task(deadline=TODAY)
    code, out, _ = remind()
    assert code == 0 and "牵头单位无人接收 1 项" in out
    assert "今天到期" in robot.contents[0]


def test_remind_dry_run_and_no_webhook_post_nothing(robot, qingxi, county_reporter, task):
    wecom(robot, qingxi["county_bureau"])
    task(deadline=TODAY + DAY)
    code, out, _ = remind("--dry-run")
    assert "群机器人今日待办 1 条" in out
    remind("--no-webhook")
    assert robot.requests == [] and not ChannelDelivery.objects.exists()


def test_remind_reports_a_failed_post_and_the_next_run_retries_it(
    robot, qingxi, county_reporter, task
):
    wecom(robot, qingxi["county_bureau"])
    task(deadline=TODAY + DAY)
    robot.answers = [(200, {"errcode": 45009, "errmsg": "api freq out of limit"})]
    code, out, err = remind()
    assert code == 1
    assert "失败待重试 1 条" in out
    assert "1 条群消息未能发送（errcode 45009：api freq out of limit）" in err
    ChannelDelivery.objects.update(next_attempt_at=timezone.now() - MINUTE)
    code, out, err = remind()
    assert code == 0, err
    assert "群消息已发送 1 条" in out and len(robot.requests) == 2


def test_a_digest_of_many_targets_fits_wecom(robot, qingxi, county_reporter, task):
    wecom(robot, qingxi["county_bureau"])
    for i in range(60):
        task(
            number=str(i + 1), deadline=TODAY - DAY, text=f"推进第{i + 1}项县域科技创新重点工作任务"
        )
    remind()
    [content] = robot.contents
    assert len(content.encode()) <= 2048
    assert "逾期60项" in content and "……（内容较多，请登录系统查看）" in content
    assert content.endswith(f"登录系统办理：{BASE}/")


def test_deliver_command_posts_whats_due(robot, qingxi, task):
    import io

    _queued(robot, qingxi, task, n=2)
    out = io.StringIO()
    call_command("deliver", stdout=out)
    assert out.getvalue().strip() == "群消息已发送 2 条、失败待重试 0 条、放弃 0 条。"
    robot.answers = [(500, b"")]
    ChannelDelivery.objects.create(
        channel=UnitChannel.objects.get(), kind="chase", key="x", text="再催"
    )
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("deliver", stdout=io.StringIO(), stderr=err)
    assert exit_.value.code == 1 and "1 条群消息未能发送（HTTP 500）" in err.getvalue()


# --- two runs at once --------------------------------------------------------------------------


def test_two_deliver_processes_at_once_post_each_message_once(tmp_path, settings):
    robot = Robot(delay=0.02)
    try:
        env = forty_chases_in_a_file_database(tmp_path, robot)
        runs = [duban_process("deliver", env=env) for _ in range(3)]
        outputs = [run.communicate(timeout=120) for run in runs]
        assert all(run.returncode == 0 for run in runs), outputs
        assert sorted(robot.contents) == sorted(f"催办{i}" for i in range(40))
        sent = [int(out.split("已发送 ")[1].split(" ")[0]) for out, _ in outputs]
        assert sum(sent) == 40
    finally:
        robot.stop()


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="concurrent connections need a server database",
)
@pytest.mark.django_db(transaction=True)
def test_two_threads_at_once_post_each_message_once_on_postgresql(robot, qingxi, task):
    _queued(robot, qingxi, task, n=150)
    barrier = threading.Barrier(2)
    errors = []

    def one_run():
        try:
            barrier.wait()
            channels.deliver(limit=50)
            channels.deliver(limit=200)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(robot.contents) == sorted(f"催办{i}" for i in range(150))
    assert ChannelDelivery.objects.filter(state="sent").count() == 150


# --- the page and the admin --------------------------------------------------------------------


def _form(robot, org, **fields):
    data = {
        "unit": org.pk,
        "kind": "wecom",
        "name": "云台县科技局工作群",
        "url": robot.wecom_url(),
        "secret": "",
        "enabled": "on",
    }
    data.update(fields)
    return data


def test_office_staff_add_a_channel_on_the_page(client, robot, qingxi, office_person):
    client.force_login(office_person)
    page = client.get("/channels/")
    assert page.status_code == 200 and "添加群机器人" in page.content.decode()
    response = client.post(
        "/channels/",
        _form(
            robot,
            qingxi["county_bureau"],
            kind="dingtalk",
            url=robot.dingtalk_url(),
            secret="SECxyz",
        ),
    )
    assert response.status_code == 302
    channel = UnitChannel.objects.get()
    assert (channel.unit, channel.kind, channel.secret) == (
        qingxi["county_bureau"],
        "dingtalk",
        "SECxyz",
    )
    [event] = AuditEvent.objects.filter(action="create", object_repr=str(channel))
    assert "加签密钥" not in event.after and "SECxyz" not in json.dumps(event.after)
    # The address's token is a credential too: the trail has it masked.
    assert event.after["Webhook 地址"] == robot.dingtalk_url().replace("qx-token-1", "****")
    assert "qx-token-1" not in json.dumps(event.after)


@pytest.mark.parametrize(
    "fields, words",
    [
        ({"url": ""}, "请填写群机器人的 Webhook 地址"),
        (
            {"url": "https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send?key=k"},
            "的 Webhook 地址应在",
        ),
        ({"url": "not a url"}, "Webhook 地址格式不正确"),
        ({"secret": "SECabc"}, "企业微信群机器人没有加签密钥，请留空"),
        ({"unit": ""}, "请选择单位"),
        ({"kind": ""}, "请选择群机器人类型"),
    ],
)
def test_a_bad_channel_is_refused_with_a_message_and_nothing_written(
    client, robot, qingxi, office_person, fields, words
):
    client.force_login(office_person)
    before = AuditEvent.objects.count()
    response = client.post("/channels/", _form(robot, qingxi["county_bureau"], **fields))
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not UnitChannel.objects.exists() and AuditEvent.objects.count() == before


def test_office_staff_change_test_and_remove_a_channel(client, robot, qingxi, office_person):
    channel = wecom(robot, qingxi["county_bureau"])
    client.force_login(office_person)
    bad = client.post(
        f"/channels/{channel.pk}/", _form(robot, qingxi["county_bureau"], url="http://x")
    )
    assert bad.status_code == 400
    channel.refresh_from_db()
    assert channel.url == robot.wecom_url()
    good = client.post(
        f"/channels/{channel.pk}/", _form(robot, qingxi["county_bureau"], url=robot.wecom_url("k2"))
    )
    assert good.status_code == 302
    channel.refresh_from_db()
    assert channel.url.endswith("key=k2")
    tested = client.post(f"/channels/{channel.pk}/test/", follow=True)
    assert "测试消息已发送到" in tested.content.decode()
    assert robot.contents == [
        "【督办】测试消息：云台县科技局·云台县科技局工作群已接入督查督办系统。"
    ]
    robot.answers = [(200, {"errcode": 93000, "errmsg": "invalid webhook url"})]
    tested = client.post(f"/channels/{channel.pk}/test/", follow=True)
    assert "测试消息发送失败：errcode 93000：invalid webhook url" in tested.content.decode()
    assert client.post(f"/channels/{channel.pk}/delete/").status_code == 302
    assert not UnitChannel.objects.exists()


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/channels/"),
        ("post", "/channels/"),
        ("get", "/channels/{pk}/"),
        ("post", "/channels/{pk}/"),
        ("post", "/channels/{pk}/delete/"),
        ("post", "/channels/{pk}/test/"),
    ],
)
def test_a_unit_user_cannot_configure_channels(
    client, robot, qingxi, county_reporter, method, path
):
    channel = wecom(robot, qingxi["county_bureau"])
    client.force_login(county_reporter)
    before = AuditEvent.objects.count()
    data = _form(robot, qingxi["county_bureau"], url=robot.wecom_url("changed"))
    response = getattr(client, method)(
        path.format(pk=channel.pk), data if method == "post" else None
    )
    assert response.status_code == 403
    assert "只有督查员可以配置单位的企业微信、钉钉群机器人" in response.content.decode()
    channel.refresh_from_db()
    assert channel.url == robot.wecom_url() and UnitChannel.objects.count() == 1
    assert robot.requests == [] and AuditEvent.objects.count() == before


def test_the_admin_applies_the_same_rules(client, robot, qingxi, staff):
    client.force_login(staff)
    response = client.post(
        "/admin/supervision/unitchannel/add/",
        _form(robot, qingxi["county_bureau"], url="https://example.com/hook"),
    )
    assert response.status_code == 200
    assert "的 Webhook 地址应在" in response.content.decode()
    assert not UnitChannel.objects.exists()
    response = client.post(
        "/admin/supervision/unitchannel/add/", _form(robot, qingxi["county_bureau"])
    )
    assert response.status_code == 302 and UnitChannel.objects.count() == 1
    assert client.get("/admin/supervision/channeldelivery/").status_code == 200


def test_nobody_signed_out_reaches_the_page(client, office_user):  # a set-up office
    response = client.get("/channels/")
    assert response.status_code == 302 and "/login" in response["Location"]
