"""Invitations: by e-mail through a real SMTP server on loopback, or as a printable one-time
link; the person sets their own user name and password. A reused, expired, revoked or
tampered link gives a clear Chinese page and changes nothing."""

import datetime
import re
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from duban.accounts.models import Invitation
from duban.audit.models import AuditEvent
from duban.organisations.models import Person
from tests.conftest import login

from .accounts_helpers import STRONG, free_port, loopback_smtp, use_smtp

User = get_user_model()
LINK = re.compile(r"http://testserver(/accounts/invite/[^/\s]+/)")


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.DUBAN_BASE_URL = "http://testserver"


@pytest.fixture
def smtp(settings):
    with loopback_smtp(settings) as inbox:
        yield inbox


@pytest.fixture
def reporter(city):
    """A finance bureau reporter a spreadsheet import named, without an account yet."""
    return Person.objects.create(
        name="李娜",
        organisation=city["finance"],
        role=Person.Role.UNIT,
        phone="13800000002",
        email="lina@qingxi.example.cn",
    )


def invite(client, person, channel="email"):
    return client.post(f"/people/{person.pk}/invite/", {"channel": channel})


def printable_link(client, person) -> str:
    response = invite(client, person, "link")
    assert response.status_code == 200
    return LINK.search(response.content.decode()).group(1)


def accept(client, path, username="lina", password=STRONG, **extra):
    return client.post(
        path, {"username": username, "password1": password, "password2": password, **extra}
    )


def test_invite_by_email_then_set_name_and_password(client, office_user, reporter, smtp):
    login(client, office_user)
    page = client.get(f"/people/{reporter.pk}/account/")
    assert page.status_code == 200 and "未开通" in page.content.decode()

    response = invite(client, reporter)
    assert response.status_code == 302
    [message] = smtp.messages
    assert message.envelope_to == ["lina@qingxi.example.cn"]
    assert message.subject == "【督办】账号邀请：请设置登录密码"
    assert "李娜，您好" in message.text and "白沙市财政局" in message.text
    path = LINK.search(message.text).group(1)
    assert "已邀请" in client.get(f"/people/{reporter.pk}/account/").content.decode()

    client.logout()
    form = client.get(path)
    assert form.status_code == 200
    html = form.content.decode()
    assert "设置登录密码" in html and 'value="lina"' in html, "the user name is suggested"
    response = accept(client, path)
    assert response.status_code == 302 and response["Location"] == "/"

    reporter.refresh_from_db()
    user = reporter.user
    assert user.username == "lina" and user.check_password(STRONG)
    assert (user.first_name, user.email, user.is_superuser) == ("李娜", reporter.email, False)
    assert client.get("/").status_code == 200, "signed in"
    assert Invitation.objects.get().used_at is not None

    summaries = list(
        AuditEvent.objects.filter(object_repr__startswith="李娜").values_list("summary", flat=True)
    )
    assert "通过电子邮件发出账号邀请" in summaries
    assert "接受邀请，设置登录密码" in summaries
    created = AuditEvent.objects.get(action="create", object_repr="lina")
    assert (created.actor_name, created.summary) == ("李娜", "接受邀请，开通账号")


def test_a_used_link_changes_nothing(client, office_user, reporter):
    login(client, office_user)
    path = printable_link(client, reporter)
    client.logout()
    accept(client, path)
    client.logout()
    events = AuditEvent.objects.count()

    for response in (client.get(path), accept(client, path, "other", "Another-pass-2026")):
        assert response.status_code == 410
        assert "链接已使用" in response.content.decode()
        assert "不能再次使用，账号没有任何更改" in response.content.decode()
    user = User.objects.get(username="lina")
    assert user.check_password(STRONG) and not User.objects.filter(username="other").exists()
    assert AuditEvent.objects.count() == events


def test_an_expired_link_changes_nothing(client, office_user, reporter):
    login(client, office_user)
    path = printable_link(client, reporter)
    client.logout()
    Invitation.objects.filter(person=reporter).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = accept(client, path)
    assert response.status_code == 410
    assert "链接已过期" in response.content.decode()
    reporter.refresh_from_db()
    assert reporter.user is None and not User.objects.filter(username="lina").exists()


def test_a_link_older_than_its_signature_allows_is_expired(client, office_user, reporter, settings):
    settings.DUBAN_INVITATION_DAYS = 7
    login(client, office_user)
    path = printable_link(client, reporter)
    client.logout()
    eight_days_on = timezone.now().timestamp() + 8 * 86400
    with mock.patch("django.core.signing.time.time", return_value=eight_days_on):
        response = client.get(path)
    assert response.status_code == 410 and "邀请链接的有效期为 7 天" in response.content.decode()


def test_a_new_invitation_revokes_the_earlier_link(client, office_user, reporter):
    login(client, office_user)
    first = printable_link(client, reporter)
    second = printable_link(client, reporter)
    client.logout()
    response = accept(client, first)
    assert response.status_code == 410 and "链接已作废" in response.content.decode()
    assert accept(client, second).status_code == 302


def test_a_tampered_link_is_invalid(client, office_user, reporter):
    login(client, office_user)
    path = printable_link(client, reporter)
    client.logout()
    tampered = path.replace("/invite/", "/invite/9")
    response = client.get(tampered)
    assert response.status_code == 404 and "链接无效" in response.content.decode()
    assert client.get("/accounts/invite/abc/").status_code == 404


def test_the_printable_link_is_shown_once_for_printing(client, office_user, reporter):
    login(client, office_user)
    response = invite(client, reporter, "link")
    html = response.content.decode()
    assert "督查督办系统账号邀请" in html and "只显示这一次" in html
    assert "李娜" in html and "白沙市财政局" in html
    invitation = Invitation.objects.get()
    assert invitation.channel == "link" and invitation.sent_to == ""
    assert LINK.search(html).group(1).split("/")[3] not in invitation.nonce_hash


def test_bad_input_at_accepting_stores_nothing(client, office_user, reporter, city):
    login(client, office_user)
    path = printable_link(client, reporter)
    client.logout()
    cases = [
        ({"username": "office"}, "username", "该用户名已被使用，请换一个。"),
        ({"password": "12345678"}, "password1", "这个密码太常见了。"),
        ({"password": "short"}, "password1", "密码太短，至少需要 8 个字符。"),
        ({"username": ""}, "username", "这个字段是必填项。"),
    ]
    for fields, field, message in cases:
        response = accept(client, path, **fields)
        assert response.status_code == 400
        assert message in response.context["form"].errors[field]
    mismatch = client.post(
        path, {"username": "lina", "password1": STRONG, "password2": STRONG + "x"}
    )
    assert "两次输入的密码不一致。" in mismatch.context["form"].errors["password2"]
    reporter.refresh_from_db()
    assert reporter.user is None and Invitation.objects.get().used_at is None
    assert accept(client, path).status_code == 302, "the link still works after mistakes"


def test_an_email_already_used_by_an_account_is_refused(client, office_user, reporter, smtp):
    User.objects.create_user("someone", email="LiNa@qingxi.example.cn", password=STRONG)
    login(client, office_user)
    response = invite(client, reporter)
    assert response.status_code == 302
    assert not smtp.messages and not Invitation.objects.exists()
    page = client.get(f"/people/{reporter.pk}/account/").content.decode()
    assert "已被账号「someone」使用" in page


def test_a_person_without_email_gets_the_printable_link_only(client, office_user, reporter, smtp):
    reporter.email = ""
    reporter.save()
    login(client, office_user)
    response = invite(client, reporter)
    assert response.status_code == 302 and not Invitation.objects.exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("没有登记电子邮箱，请改用打印链接" in m for m in messages)
    assert printable_link(client, reporter)


def test_mail_server_down_stores_no_invitation(client, office_user, reporter, settings):
    use_smtp(settings, free_port())
    login(client, office_user)
    response = invite(client, reporter)
    assert response.status_code == 302
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.filter(summary__contains="账号邀请").exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("邀请邮件未能发出" in m and "改用打印链接" in m for m in messages)


def test_an_active_account_is_not_invited_again(client, office_user, bureau_user):
    login(client, office_user)
    response = invite(client, bureau_user.person, "link")
    assert response.status_code == 302 and not Invitation.objects.exists()


def test_only_office_staff_invite(client, bureau_user, reporter):
    login(client, bureau_user)
    assert client.get(f"/people/{reporter.pk}/account/").status_code == 403
    assert invite(client, reporter, "link").status_code == 403
    assert not Invitation.objects.exists()
    assert client.get(f"/people/{reporter.pk}/invite/").status_code in (403, 405)


def test_an_account_without_a_password_keeps_its_user_name(client, office_user, reporter):
    reporter.user = User.objects.create_user("lina2026", email=reporter.email)
    reporter.save()
    assert not reporter.user.has_usable_password()
    login(client, office_user)
    path = printable_link(client, reporter)
    client.logout()
    html = client.get(path).content.decode()
    assert "您的用户名是 <strong>lina2026</strong>" in html and 'name="username"' not in html
    response = client.post(path, {"password1": STRONG, "password2": STRONG})
    assert response.status_code == 302
    user = User.objects.get(pk=reporter.user.pk)
    assert user.username == "lina2026" and user.check_password(STRONG)
    assert User.objects.count() == 2
    event = AuditEvent.objects.get(object_repr="lina2026", summary="本人修改密码")
    assert event.actor_name == "李娜"
