"""Units' group robots over the API: list, add, change, disable, remove, a test message to a
robot the test runs on loopback, and the list of what was sent; office staff only, as on the
page; credentials never sent back. 青溪市 and 云台县."""

import json

import pytest

from duban.audit.models import AuditEvent
from duban.organisations.models import Organisation, Person
from duban.supervision.models import ChannelDelivery, UnitChannel
from tests.api.conftest import token_client

from ..conftest import make_account

pytestmark = pytest.mark.django_db

TOKEN = "yuntai-robot-token-0001"
SECRET = "SECyuntai0123456789abcdef"
REFUSAL = "只有督查员可以配置单位的企业微信、钉钉群机器人。"


@pytest.fixture
def units(db):
    bureau = Organisation.objects.create(name="青溪市科学技术局", short_name="市科技局")
    county = Organisation.objects.create(
        name="云台县科学技术局", short_name="云台县科技局", level=3
    )
    return {"bureau": bureau, "county": county}


@pytest.fixture
def office(units):
    return token_client(make_account("qx_office2", "周督查", Person.Role.OFFICE, units["bureau"]))


@pytest.fixture
def county_reporter(units):
    return token_client(make_account("yt_kjj", "张三", Person.Role.UNIT, units["county"]))


@pytest.fixture
def bureau_reporter(units):
    return token_client(make_account("zhou_kj", "周敏", Person.Role.UNIT, units["bureau"]))


@pytest.fixture
def leader(units):
    return token_client(make_account("chen_fsz", "陈明", Person.Role.LEADER, units["bureau"]))


def body(robot, org, **fields):
    data = {
        "unit": org.pk,
        "kind": "dingtalk",
        "name": "云台县科技局工作群",
        "url": robot.dingtalk_url(TOKEN),
        "secret": SECRET,
    }
    data.update(fields)
    return data


def channel_of(robot, unit, **fields):
    values = {"kind": "wecom", "url": robot.wecom_url(), "name": "工作群"}
    values.update(fields)
    return UnitChannel.objects.create(unit=unit, **values)


def test_office_staff_add_list_and_read_a_channel_never_seeing_its_credentials(
    office, robot, units
):
    response = office.post("/channels", body(robot, units["county"]))
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["unit"]["short_name"] == "云台县科技局"
    assert created["kind"] == "dingtalk" and created["kind_label"] == "钉钉群机器人"
    assert created["url_masked"].endswith("access_token=yunt****0001")
    assert created["has_secret"] and created["secret_masked"] == "SEC****cdef"
    assert created["enabled"] and created["readable"]
    assert TOKEN not in response.content.decode() and SECRET not in response.content.decode()
    channel = UnitChannel.objects.get()
    assert (channel.url, channel.secret) == (robot.dingtalk_url(TOKEN), SECRET)
    [event] = AuditEvent.objects.filter(object_type__model="unitchannel")
    assert event.channel == "api" and event.actor_name
    assert TOKEN not in json.dumps(event.after) and SECRET not in json.dumps(event.after)

    channel_of(robot, units["bureau"])
    listed = office.get("/channels").json()
    assert [c["unit"]["short_name"] for c in listed] == ["云台县科技局", "市科技局"]
    only = office.get("/channels", {"unit": units["county"].pk}).json()
    assert [c["id"] for c in only] == [created["id"]]
    assert office.get(f"/channels/{created['id']}").json()["name"] == "云台县科技局工作群"


@pytest.mark.parametrize(
    "fields, field, words",
    [
        ({"url": ""}, "url", "请填写钉钉群机器人的 Webhook 地址"),
        ({"unit": None}, "unit", "请选择单位"),
        ({"unit": 999999}, "unit", "单位 999999 不存在或已停用"),
        ({"kind": None}, "kind", "请选择群机器人类型"),
        ({"kind": "sms"}, "kind", "不是有效的选项"),
        (
            {"url": "https://oapi.dingtalk.com.evil.example/robot/send?access_token=t"},
            "url",
            "的 Webhook 地址应在",
        ),
        ({"secret": "abc"}, "secret", "钉钉加签密钥应以 SEC 开头"),
        ({"kind": "wecom", "url": "http://x/cgi-bin/webhook/send?key=k"}, "url", "应在"),
        ({"colour": "red"}, "colour", "不支持此字段"),
    ],
)
def test_a_bad_channel_is_refused_field_by_field_and_nothing_written(
    office, robot, units, fields, field, words
):
    before = AuditEvent.objects.count()
    response = office.post("/channels", body(robot, units["county"], **fields))
    assert response.status_code == 400, response.content
    answer = response.json()
    assert words in " ".join(answer["errors"][field]), answer
    assert answer["detail"].startswith("信息不完整或有误")
    assert not UnitChannel.objects.exists() and AuditEvent.objects.count() == before


def test_a_change_keeps_what_is_left_out_and_disables(office, robot, units):
    channel = UnitChannel.objects.create(
        unit=units["county"], kind="dingtalk", url=robot.dingtalk_url(TOKEN), secret=SECRET
    )
    response = office.patch(f"/channels/{channel.pk}", {"name": "改名"})
    assert response.status_code == 200, response.content
    channel.refresh_from_db()
    assert (channel.name, channel.url, channel.secret) == (
        "改名",
        robot.dingtalk_url(TOKEN),
        SECRET,
    )

    disabled = office.patch(f"/channels/{channel.pk}", {"enabled": False})
    assert disabled.status_code == 200 and disabled.json()["enabled"] is False
    assert office.get("/channels", {"enabled": "false"}).json()[0]["id"] == channel.pk
    assert office.get("/channels", {"enabled": "true"}).json() == []

    cleared = office.patch(
        f"/channels/{channel.pk}", {"secret": "", "url": robot.dingtalk_url("t2")}
    )
    assert cleared.status_code == 200
    assert not cleared.json()["has_secret"]
    channel.refresh_from_db()
    assert channel.secret == "" and channel.url == robot.dingtalk_url("t2")

    # null for a text is empty: the address is asked for; for booleans it is refused.
    for field, words in (("url", "请填写钉钉群机器人的 Webhook 地址"), ("enabled", "")):
        nulled = office.patch(f"/channels/{channel.pk}", {field: None})
        assert nulled.status_code == 400, nulled.content
        assert words in " ".join(nulled.json()["errors"][field])

    # A change that breaks the rules is refused and leaves the channel as it was.
    bad = office.patch(f"/channels/{channel.pk}", {"kind": "wecom", "name": "又改"})
    assert bad.status_code == 400 and "url" in bad.json()["errors"]
    channel.refresh_from_db()
    assert (channel.kind, channel.name) == ("dingtalk", "改名")


def test_an_unreadable_address_must_be_sent_again(office, robot, units, settings):
    channel = channel_of(robot, units["county"])
    settings.SECRET_KEY = "another-secret-key-" + "z" * 40
    read = office.get(f"/channels/{channel.pk}").json()
    assert read["readable"] is False and "无法解密" in read["url_masked"]
    refused = office.patch(f"/channels/{channel.pk}", {"enabled": False})
    assert refused.status_code == 400
    assert "已保存的地址无法解密" in refused.json()["errors"]["url"][0]
    fixed = office.patch(f"/channels/{channel.pk}", {"url": robot.wecom_url("k9")})
    assert fixed.status_code == 200 and fixed.json()["readable"] is True


def test_a_test_message_reaches_the_robot_and_a_failure_is_said(office, robot, units):
    channel = channel_of(robot, units["county"])
    sent = office.post(f"/channels/{channel.pk}/test")
    assert sent.status_code == 200
    assert sent.json() == {"sent": True, "detail": "测试消息已发送到云台县科技局·工作群"}
    assert robot.contents == ["【督办】测试消息：云台县科技局·工作群已接入督查督办系统。"]
    assert robot.requests[0]["query"] == {"key": "qx-key-1"}
    robot.answers = [(200, {"errcode": 93000, "errmsg": "invalid webhook url"})]
    failed = office.post(f"/channels/{channel.pk}/test").json()
    assert failed == {
        "sent": False,
        "detail": "测试消息发送失败：errcode 93000：invalid webhook url",
    }
    # A test message is posted at once, not through the outbox.
    assert not ChannelDelivery.objects.exists()


def test_the_deliveries_of_a_channel_newest_first_by_state(office, robot, units):
    channel = channel_of(robot, units["county"])
    other = channel_of(robot, units["bureau"])
    for n, state in enumerate(["sent", "failed", "pending"]):
        ChannelDelivery.objects.create(
            channel=channel, kind="chase", key=f"k{n}", text=f"催办{n}", state=state
        )
    ChannelDelivery.objects.create(channel=other, kind="chase", key="x", text="别的单位")
    page = office.get(f"/channels/{channel.pk}/deliveries").json()
    assert page["count"] == 3 and [d["text"] for d in page["items"]] == ["催办2", "催办1", "催办0"]
    assert page["items"][1]["state_label"] == "已放弃"
    failed = office.get(f"/channels/{channel.pk}/deliveries", {"state": "failed"}).json()
    assert [d["text"] for d in failed["items"]] == ["催办1"]
    bad = office.get(f"/channels/{channel.pk}/deliveries", {"state": "lost"})
    assert bad.status_code == 400


def test_removing_a_channel(office, robot, units):
    channel = channel_of(robot, units["county"])
    response = office.client.delete(f"/api/channels/{channel.pk}")
    assert response.status_code == 204
    assert not UnitChannel.objects.exists()
    assert AuditEvent.objects.filter(object_type__model="unitchannel", action="delete").exists()


def test_an_unknown_channel_is_404(office, units):
    for response in (
        office.get("/channels/999999"),
        office.patch("/channels/999999", {"name": "x"}),
        office.post("/channels/999999/test"),
        office.get("/channels/999999/deliveries"),
    ):
        assert response.status_code == 404
        assert response.json()["detail"] == "没有找到这个群机器人"


@pytest.mark.parametrize("caller", ["county_reporter", "bureau_reporter", "leader"])
@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/channels"),
        ("post", "/channels"),
        ("get", "/channels/{pk}"),
        ("patch", "/channels/{pk}"),
        ("delete", "/channels/{pk}"),
        ("post", "/channels/{pk}/test"),
        ("get", "/channels/{pk}/deliveries"),
    ],
)
def test_nobody_but_office_staff_may_even_for_their_own_unit(
    request, robot, units, caller, method, path
):
    """The county's reporter is refused its own unit's channel as well as the bureau's."""
    api = request.getfixturevalue(caller)
    own = channel_of(robot, units["county"])
    before = AuditEvent.objects.count()
    data = body(robot, units["county"], name="改了")
    url = "/api" + path.format(pk=own.pk)
    call = getattr(api.client, method)
    if method in {"post", "patch"}:
        response = call(url, data, content_type="application/json")
    else:
        response = call(url)
    assert response.status_code == 403
    assert response.json()["detail"] == REFUSAL
    own.refresh_from_db()
    assert own.name == "工作群" and UnitChannel.objects.count() == 1
    assert robot.requests == [] and AuditEvent.objects.count() == before


def test_another_units_channel_is_refused_to_a_unit_reporter(robot, units, county_reporter):
    theirs = channel_of(robot, units["bureau"])
    response = county_reporter.patch(f"/channels/{theirs.pk}", {"enabled": False})
    assert response.status_code == 403 and response.json()["detail"] == REFUSAL
    theirs.refresh_from_db()
    assert theirs.enabled


def test_signed_out_callers_are_refused(anonymous, robot, units):
    channel = channel_of(robot, units["county"])
    assert anonymous.get("/channels").status_code == 401
    assert anonymous.post(f"/channels/{channel.pk}/test").status_code == 401
    assert robot.requests == []
