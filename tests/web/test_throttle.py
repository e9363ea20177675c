"""Sign-in throttling: an account locked after repeated failures from any address, an
address after repeated failures for any accounts; the right password refused meanwhile,
with a Chinese message saying when to retry; the lock lifted after the cool-off."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client

from duban.audit.models import AuditEvent
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.DUBAN_LOGIN_ADDRESS_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)


def sign_in(username, password, addr="10.0.0.1"):
    return Client(REMOTE_ADDR=addr).post(LOGIN, {"username": username, "password": password})


def test_an_account_is_locked_after_the_limit_from_any_address(office_user):
    assert sign_in("office", "wrong", "10.0.0.1").status_code == 401
    assert sign_in("office", "wrong", "10.0.0.2").status_code == 401
    locked = sign_in("office", "wrong", "10.0.0.3")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "登录失败次数过多，已暂时锁定" in text
    assert "约 15 分钟后" in text
    assert 800 < int(locked["Retry-After"]) <= 900

    refused = sign_in("office", PASSWORD, "10.0.0.4")
    assert refused.status_code == 429
    assert "再试" in refused.content.decode()
    assert "_auth_user_id" not in refused.client.session


def test_the_right_password_before_the_limit_works_and_clears_the_count(office_user):
    sign_in("office", "wrong")
    sign_in("office", "wrong")
    assert sign_in("office", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="office").exists()
    assert sign_in("office", "wrong").status_code == 401


def test_an_address_is_locked_after_its_limit_for_any_accounts(office_user, bureau_user):
    for name in ["a", "b", "c", "d"]:
        assert sign_in(name, "wrong").status_code == 401
    assert sign_in("e", "wrong").status_code == 429
    # Every account is refused from that address, even with its right password...
    assert sign_in("bureau", PASSWORD).status_code == 429
    # ...but not from another address.
    assert sign_in("bureau", PASSWORD, "10.0.0.9").status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_the_address(bureau_user, office_user):
    for name in ["a", "b", "c"]:
        sign_in(name, "wrong")
    assert sign_in("bureau", PASSWORD).status_code == 302
    assert sign_in("d", "wrong").status_code == 401
    assert sign_in("e", "wrong").status_code == 429  # the fifth failure from the address
    assert sign_in("office", PASSWORD).status_code == 429


def test_the_lock_expires_after_the_cool_off(office_user):
    for _ in range(3):
        sign_in("office", "wrong")
    assert sign_in("office", PASSWORD).status_code == 429
    past = AccessAttempt.objects.get(username="office").attempt_time - datetime.timedelta(
        minutes=16
    )
    AccessAttempt.objects.filter(username="office").update(attempt_time=past)
    assert sign_in("office", PASSWORD).status_code == 302


def test_attempts_while_locked_do_not_extend_the_lock(office_user):
    for _ in range(3):
        sign_in("office", "wrong")
    before = AccessAttempt.objects.get(username="office")
    sign_in("office", "wrong")
    after = AccessAttempt.objects.get(username="office")
    assert (after.attempt_time, after.failures_since_start) == (
        before.attempt_time,
        before.failures_since_start,
    )


def test_failures_and_the_lockout_are_in_the_trail(office_user):
    for _ in range(3):
        sign_in("office", "wrong", "10.0.0.7")
    sign_in("office", PASSWORD, "10.0.0.7")  # refused while locked: not recorded again
    events = list(AuditEvent.objects.filter(action="sign_in").order_by("id"))
    assert sorted(e.summary for e in events) == [
        "登录失败次数过多，已锁定",
        "登录失败：用户名或密码错误",
        "登录失败：用户名或密码错误",
        "登录失败：用户名或密码错误",
    ]
    assert all(e.object_id == str(office_user.pk) for e in events)
    assert all(e.remote_addr == "10.0.0.7" and e.actor is None for e in events)
    lock = next(e for e in events if "锁定" in e.summary)
    assert lock.after["连续失败次数"] == 3
    assert "锁定至" in lock.after
    assert PASSWORD not in str([e.after for e in events])


def test_a_failure_for_an_unknown_name_is_recorded_without_an_account(office_user):
    sign_in("nobody", "wrong")
    event = AuditEvent.objects.get(action="sign_in")
    assert (event.object_id, event.object_repr) == ("", "nobody")


def test_the_missing_field_answer_is_kept(office_user):
    response = Client().post(LOGIN, {"username": "office"})
    assert response.status_code == 400


def test_a_password_check_without_a_request_is_not_throttled(office_user):
    from django.contrib.auth import authenticate

    for _ in range(3):
        sign_in("office", "wrong")
    assert authenticate(username="office", password=PASSWORD) == office_user
