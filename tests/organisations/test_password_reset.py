"""Password reset by e-mail (Django's views, the product's Chinese pages), the message sent
through a real SMTP server on loopback; a used or broken link changes nothing."""

import re

import pytest
from django.contrib.auth import get_user_model

from duban.audit.models import AuditEvent
from tests.conftest import PASSWORD

from .accounts_helpers import STRONG, free_port, loopback_smtp, use_smtp

User = get_user_model()
LINK = re.compile(r"http://duban\.qingxi\.example(/accounts/reset/[^\s]+/)")


@pytest.fixture
def smtp(settings):
    settings.DUBAN_BASE_URL = "http://duban.qingxi.example"
    with loopback_smtp(settings) as inbox:
        yield inbox


@pytest.fixture
def reporter(bureau_user):
    bureau_user.email = "kejiju@qingxi.example.cn"
    bureau_user.save()
    return bureau_user


def test_the_sign_in_page_offers_the_reset(client, reporter):
    html = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password-reset/"' in html and "忘记密码" in html
    page = client.get("/accounts/password-reset/")
    assert page.status_code == 200 and "找回密码" in page.content.decode()
    assert "duban/duban.css" in page.content.decode()


def test_reset_by_email_end_to_end(client, reporter, smtp):
    response = client.post("/accounts/password-reset/", {"email": "KeJiJu@qingxi.example.cn"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/done/"
    assert "请查收邮件" in client.get(response["Location"]).content.decode()

    [message] = smtp.messages
    assert message.envelope_to == ["kejiju@qingxi.example.cn"]
    assert message.subject == "【督办】重设登录密码"
    assert "账号 bureau 申请了重设密码" in message.text
    path = LINK.search(message.text).group(1)
    sent = AuditEvent.objects.get(object_repr="bureau", summary="发送重设密码邮件")
    assert sent.after == {"发送至": "kejiju@qingxi.example.cn"} and sent.actor_name == "匿名用户"

    form = client.get(path, follow=True)
    assert "设置新密码" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200
    errors = weak.context["form"].errors["new_password2"]
    assert "这个密码太常见了。" in errors and "密码只包含数字。" in errors
    short = client.post(set_url, {"new_password1": "abc", "new_password2": "abc"})
    assert "密码太短，至少需要 8 个字符。" in short.context["form"].errors["new_password2"]
    reporter.refresh_from_db()
    assert reporter.check_password(PASSWORD), "nothing changed by the refused attempts"

    done = client.post(set_url, {"new_password1": STRONG, "new_password2": STRONG})
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    assert "密码已重设" in client.get(done["Location"]).content.decode()
    reporter.refresh_from_db()
    assert reporter.check_password(STRONG)
    assert AuditEvent.objects.filter(object_repr="bureau", summary="通过重置链接重设密码").exists()

    # The link is spent.
    again = client.get(path, follow=True)
    assert "链接无效" in again.content.decode()
    assert "密码没有任何更改" in again.content.decode()


def test_an_unknown_address_sends_nothing_and_says_the_same(client, reporter, smtp):
    response = client.post("/accounts/password-reset/", {"email": "nobody@qingxi.example.cn"})
    assert response.status_code == 302
    assert not smtp.messages


def test_a_disabled_account_gets_no_reset(client, reporter, smtp):
    reporter.is_active = False
    reporter.save()
    client.post("/accounts/password-reset/", {"email": "kejiju@qingxi.example.cn"})
    assert not smtp.messages


def test_a_bad_address_is_a_chinese_message(client, reporter):
    response = client.post("/accounts/password-reset/", {"email": "kejiju"})
    assert response.status_code == 200
    assert any("有效的" in e for e in response.context["form"].errors["email"])


def test_a_mail_server_down_is_in_the_trail_and_the_page_says_the_same(client, reporter, settings):
    use_smtp(settings, free_port())
    response = client.post("/accounts/password-reset/", {"email": "kejiju@qingxi.example.cn"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/done/"
    event = AuditEvent.objects.get(object_repr="bureau", summary__startswith="重设密码邮件未能发出")
    assert "ConnectionRefusedError" in event.summary
