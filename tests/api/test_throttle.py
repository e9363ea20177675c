"""API tokens: failures counted against the caller's address, 429 with Retry-After and a
Chinese message once it is over the limit."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client

from duban.api.models import ApiToken
from duban.audit.models import AuditEvent


@pytest.fixture(autouse=True)
def limits(settings):
    settings.DUBAN_LOGIN_ADDRESS_FAILURE_LIMIT = 4
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)


def call(secret, addr="10.1.0.1"):
    client = Client(REMOTE_ADDR=addr, headers={"authorization": f"Bearer {secret}"})
    return client.get("/api/targets")


def test_wrong_tokens_are_throttled_per_address(office_user):
    _, secret = ApiToken.issue(office_user)
    for _ in range(3):
        assert call("duban_wrong").status_code == 401
    locked = call("duban_wrong")
    assert locked.status_code == 429
    assert "API 令牌认证失败次数过多" in locked.json()["detail"]
    assert "再试" in locked.json()["detail"]
    assert 800 < int(locked["Retry-After"]) <= 900

    refused = call(secret)  # even a valid token, from that address
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert call(secret, "10.1.0.2").status_code == 200  # another address is not locked


def test_the_token_lock_expires(office_user):
    _, secret = ApiToken.issue(office_user)
    for _ in range(4):
        call("duban_wrong")
    assert call(secret).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - datetime.timedelta(minutes=16)
    )
    assert call(secret).status_code == 200


def test_token_failures_and_the_lock_are_in_the_trail(db):
    for _ in range(4):
        call("duban_wrong", "10.1.0.5")
    call("duban_wrong", "10.1.0.5")
    events = list(AuditEvent.objects.filter(action="sign_in").order_by("id"))
    assert sorted(e.summary for e in events) == [
        "API 令牌认证失败次数过多，已锁定",
        *["API 令牌认证失败：令牌无效或已撤销"] * 4,
    ]
    assert all(e.channel == "api" and e.remote_addr == "10.1.0.5" for e in events)


def test_valid_tokens_do_not_count(office_user):
    _, secret = ApiToken.issue(office_user)
    for _ in range(10):
        assert call(secret).status_code == 200
    assert not AccessAttempt.objects.exists()
