"""Who may call: a personal token or the signed-in session; nobody else."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from duban.api.models import ApiToken
from duban.audit.models import AuditEvent
from duban.targets.models import Target

from .conftest import Api


def test_without_credentials_is_401_with_a_chinese_message(anonymous):
    response = anonymous.get("/targets")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "请先登录" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_token_is_401(db):
    api = Api(Client(headers={"authorization": "Bearer duban_not-a-real-token"}))
    response = api.get("/targets")
    assert response.status_code == 401
    assert response.json() == {"detail": "API 令牌无效或已撤销"}


def test_revoked_token_is_401(office_user):
    token, secret = ApiToken.issue(office_user)
    api = Api(Client(headers={"authorization": f"Bearer {secret}"}))
    assert api.get("/targets").status_code == 200
    token.revoke()
    response = api.get("/targets")
    assert response.status_code == 401
    assert response.json()["detail"] == "API 令牌无效或已撤销"


def test_token_of_a_deactivated_account_is_401(office_user):
    _, secret = ApiToken.issue(office_user)
    office_user.is_active = False
    office_user.save()
    api = Api(Client(headers={"authorization": f"Bearer {secret}"}))
    assert api.get("/targets").status_code == 401


def test_an_invalid_token_is_refused_even_with_a_session(client, office_user):
    """A token that was offered decides: a wrong one is not rescued by a session cookie."""
    client.force_login(office_user)
    client.defaults["HTTP_AUTHORIZATION"] = "Bearer duban_wrong"
    assert Api(client).get("/targets").status_code == 401


def test_token_auth_reads_and_records_last_use(office_user, acknowledged):
    token, secret = ApiToken.issue(office_user)
    assert token.last_used_at is None
    api = Api(Client(headers={"authorization": f"Bearer {secret}"}))
    response = api.get(f"/targets/{acknowledged.pk}")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < datetime.timedelta(minutes=1)


def test_token_auth_needs_no_csrf_token_and_the_trail_names_the_caller(office, registered):
    response = office.post(f"/targets/{registered.pk}/approve")
    assert response.status_code == 200
    event = AuditEvent.objects.for_target(registered.pk).last()
    assert event.summary == "审核通过"
    assert event.actor.username == "office"
    assert event.actor_name == "督查员甲"
    assert event.channel == "api"


def test_session_auth_reads(client, bureau_user, acknowledged):
    client.force_login(bureau_user)
    response = Api(client).get("/targets")
    assert response.status_code == 200
    assert [t["id"] for t in response.json()["items"]] == [acknowledged.pk]


def test_session_auth_needs_a_csrf_token_to_change_anything(office_user, registered):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(office_user)
    api = Api(browser)
    refused = api.post(f"/targets/{registered.pk}/approve")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    registered.refresh_from_db()
    assert registered.state == Target.State.REGISTERED

    browser.get("/api/docs")  # any page that sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    browser.defaults["HTTP_X_CSRFTOKEN"] = token
    accepted = api.post(f"/targets/{registered.pk}/approve")
    assert accepted.status_code == 200
    registered.refresh_from_db()
    assert registered.state == Target.State.APPROVED


def test_session_changes_are_recorded_on_the_api_channel(client, office_user, registered):
    client.force_login(office_user)
    assert Api(client).post(f"/targets/{registered.pk}/approve").status_code == 200
    event = AuditEvent.objects.for_target(registered.pk).last()
    assert (event.actor, event.channel) == (office_user, "api")


@pytest.mark.parametrize(
    "fixture, role, office_staff, unit",
    [
        ("office", "office", True, "市科技局"),
        ("bureau", "unit", False, "市科技局"),
        ("leader_api", None, False, "市政府"),
    ],
)
def test_me_says_who_is_calling(request, fixture, role, office_staff, unit, leader):
    data = request.getfixturevalue(fixture).get("/me").json()
    assert data["is_office_staff"] is office_staff
    assert (data["unit"] or {}).get("short_name") == unit
    if role:
        assert data["role"] == role
    else:
        assert data["role"] == "leader" and data["name"] == "王副市长"


def test_me_refuses_anonymous(anonymous):
    assert anonymous.get("/me").status_code == 401


def test_units_and_leaders_for_filling_in_forms(bureau, city, leader):
    units = bureau.get("/units").json()
    assert {u["short_name"] for u in units} >= {"市科技局", "市财政局", "市工业和信息化局"}
    assert bureau.get("/leaders").json() == [
        {"id": leader.pk, "name": "王副市长", "title": "副市长"}
    ]


def test_units_and_leaders_refuse_anonymous(anonymous):
    assert anonymous.get("/units").status_code == 401
    assert anonymous.get("/leaders").status_code == 401
