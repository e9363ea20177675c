"""Group robots' credentials at rest: the webhook address (its key) and DingTalk's signing
secret are stored encrypted with a key derived from the secret key, read back only with it
(or a fallback key), shown masked on the page, in the admin and in the trail, and the data
migration encrypts rows stored before. 青溪市 and 云台县."""

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from duban.audit.models import AuditEvent
from duban.organisations.models import Organisation, Person
from duban.supervision import channels
from duban.supervision.models import UnitChannel, mask, mask_url
from duban.web import backup
from duban.web.encrypted import Unreadable, decrypt, encrypt, is_encrypted

from ..conftest import make_account

TOKEN = "yuntai-robot-token-0001"
SECRET = "SECyuntai0123456789abcdef"


@pytest.fixture
def unit(db):
    return Organisation.objects.create(name="云台县科学技术局", short_name="云台县科技局", level=3)


@pytest.fixture
def office_person(unit):
    return make_account("qx_office2", "周督查", Person.Role.OFFICE, unit)


def stored(channel) -> tuple[str, str]:
    """The columns as the database holds them."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT url, secret FROM {UnitChannel._meta.db_table} WHERE id = %s", [channel.pk]
        )
        return cursor.fetchone()


def signed(robot, unit):
    return UnitChannel.objects.create(
        unit=unit, kind="dingtalk", url=robot.dingtalk_url(TOKEN), secret=SECRET
    )


def test_the_address_and_secret_are_stored_encrypted_and_read_back(robot, unit):
    channel = signed(robot, unit)
    url, secret = stored(channel)
    assert is_encrypted(url) and is_encrypted(secret)
    assert TOKEN not in url and SECRET not in secret and robot.host not in url
    again = UnitChannel.objects.get()
    assert (again.url, again.secret) == (robot.dingtalk_url(TOKEN), SECRET)
    # What is sent uses the plain values: the robot gets the token and a valid signature.
    assert channels.post(again, "测试") is None
    [request] = robot.requests
    assert request["query"]["access_token"] == TOKEN and "sign" in request["query"]


def test_an_empty_secret_stays_empty(robot, unit):
    channel = UnitChannel.objects.create(unit=unit, kind="wecom", url=robot.wecom_url())
    assert stored(channel)[1] == ""
    assert UnitChannel.objects.get().secret == ""


def test_another_secret_key_cannot_read_them_a_fallback_can(robot, unit, settings):
    original = settings.SECRET_KEY
    signed(robot, unit)
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    channel = UnitChannel.objects.get()
    assert isinstance(channel.url, Unreadable) and channel.unreadable
    assert channel.masked_url == "无法解密（系统密钥已更换），请重新填写"
    assert "无法解密" in channels.post(channel, "测试") and robot.requests == []
    # Saving it again (e.g. disabling it) keeps what was stored: the old key still reads it.
    channel.enabled = False
    channel.save()
    settings.SECRET_KEY_FALLBACKS = [original]
    channel = UnitChannel.objects.get()
    assert (channel.url, channel.secret) == (robot.dingtalk_url(TOKEN), SECRET)
    assert not channel.enabled


def test_the_key_is_derived_from_the_secret_key_with_its_own_context(settings):
    token = encrypt("abc")
    assert decrypt(token) == "abc"
    assert isinstance(decrypt(token, ["some-other-key"]), Unreadable)
    assert decrypt("plain written before encryption") == "plain written before encryption"
    assert encrypt("abc") != encrypt("abc")  # a fresh IV each time


def test_masks_keep_just_enough_to_tell_two_apart():
    assert (
        mask_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0")
        == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a****97a0"
    )
    assert mask(SECRET, keep_start=3) == "SEC****cdef"
    assert mask("SEC123") == "****"
    assert mask("") == ""


def test_the_trail_has_the_address_masked_and_never_the_secret(robot, unit):
    channel = signed(robot, unit)
    channel.url = robot.dingtalk_url("yuntai-robot-token-0002")
    channel.save()
    events = AuditEvent.objects.filter(object_type__model="unitchannel").order_by("pk")
    text = json.dumps([[e.before, e.after] for e in events], ensure_ascii=False)
    assert TOKEN not in text and "token-0002" not in text and SECRET not in text
    change = events.last()
    assert change.before["Webhook 地址"].endswith("access_token=yunt****0001")
    assert change.after["Webhook 地址"].endswith("access_token=yunt****0002")


# --- the page and the admin -------------------------------------------------------------------


def test_the_page_shows_them_masked_and_keeps_them_when_left_blank(
    client, robot, unit, office_person
):
    channel = signed(robot, unit)
    client.force_login(office_person)
    listing = client.get("/channels/").content.decode()
    assert "yunt****0001" in listing and "SEC****cdef" in listing
    edit = client.get(f"/channels/{channel.pk}/").content.decode()
    assert TOKEN not in edit and SECRET not in edit
    assert "当前：" in edit and "留空则不修改" in edit
    response = client.post(
        f"/channels/{channel.pk}/",
        {"unit": unit.pk, "kind": "dingtalk", "name": "改名", "url": "", "secret": ""},
    )
    assert response.status_code == 302
    channel = UnitChannel.objects.get()
    assert (channel.name, channel.url, channel.secret) == (
        "改名",
        robot.dingtalk_url(TOKEN),
        SECRET,
    )
    assert not channel.enabled  # the box was not ticked
    response = client.post(
        f"/channels/{channel.pk}/",
        {"unit": unit.pk, "kind": "dingtalk", "url": "", "secret": "", "clear_secret": "on"},
    )
    assert response.status_code == 302
    assert UnitChannel.objects.get().secret == ""


def test_an_unreadable_address_must_be_entered_again(client, robot, unit, office_person, settings):
    channel = signed(robot, unit)
    settings.SECRET_KEY = "another-secret-key-" + "y" * 40
    client.force_login(office_person)
    response = client.post(
        f"/channels/{channel.pk}/",
        {"unit": unit.pk, "kind": "dingtalk", "url": "", "secret": "", "enabled": "on"},
    )
    assert response.status_code == 400
    assert "已保存的地址无法解密（系统密钥已更换），请重新填写" in response.content.decode()
    response = client.post(
        f"/channels/{channel.pk}/",
        {
            "unit": unit.pk,
            "kind": "dingtalk",
            "url": robot.dingtalk_url("new-token"),
            "clear_secret": "on",
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    assert UnitChannel.objects.get().url == robot.dingtalk_url("new-token")


def test_the_admin_does_not_show_them_either(client, robot, unit):
    channel = signed(robot, unit)
    admin = make_account("qx_admin", "王管理", Person.Role.OFFICE, unit, staff=True)
    client.force_login(admin)
    page = client.get(f"/admin/supervision/unitchannel/{channel.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert TOKEN not in html and SECRET not in html and "yunt****0001" in html


# --- the migration and the backup ----------------------------------------------------------------

BEFORE = ("supervision", "0009_merge_channels_and_extensions")
AFTER = ("supervision", "0010_unit_channel_secrets_encrypted")


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_rows_stored_in_plain_text_and_back():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    unit = Organisation.objects.create(name="云台县科学技术局", short_name="云台县科技局", level=3)
    url = f"https://oapi.dingtalk.com/robot/send?access_token={TOKEN}"
    table = UnitChannel._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, kind, name, url, secret, enabled, created_at)"
            " VALUES (%s, 'dingtalk', '', %s, %s, %s, CURRENT_TIMESTAMP)",
            [unit.pk, url, SECRET, True],
        )
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])
        channel = UnitChannel.objects.get()
        raw = stored(channel)
        assert all(is_encrypted(v) for v in raw) and TOKEN not in raw[0]
        assert (channel.url, channel.secret) == (url, SECRET)
        executor = MigrationExecutor(connection)
        executor.migrate([BEFORE])
        assert stored(channel) == (url, SECRET)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert stored(UnitChannel.objects.get())[0].startswith("fernet:")


def test_restore_counts_what_the_key_in_force_cannot_read(robot, unit, settings, monkeypatch):
    signed(robot, unit)
    monkeypatch.setenv("DUBAN_SECRET_KEY", settings.SECRET_KEY)
    assert backup.unreadable_secrets() == 0
    monkeypatch.setenv("DUBAN_SECRET_KEY", "a-key-this-backup-was-not-made-with")
    assert backup.unreadable_secrets() == 2
