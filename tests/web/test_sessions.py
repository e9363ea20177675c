"""Sessions are Django's database sessions, read with a plain query (duban.accounts.sessions):
a live one signs the visitor in, an expired, removed or malformed one does not."""

import datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from duban.accounts.sessions import SessionStore
from tests.conftest import PASSWORD


def signed_in(client):
    response = client.post("/accounts/login/", {"username": "office", "password": PASSWORD})
    assert response.status_code == 302
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_a_live_session_signs_the_visitor_in(client, office_user):
    key = signed_in(client)
    assert client.get("/targets/").status_code == 200
    assert SessionStore(key).load()["_auth_user_id"] == str(office_user.pk)


def test_an_expired_session_is_not_read(client, office_user):
    key = signed_in(client)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get("/targets/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    store = SessionStore(key)
    assert store.load() == {} and store.session_key is None


def test_a_session_about_to_expire_is_still_read(client, office_user):
    key = signed_in(client)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=1)
    )
    assert client.get("/targets/").status_code == 200


def test_a_removed_or_malformed_session_key_signs_no_one_in(client, office_user):
    key = signed_in(client)
    Session.objects.filter(session_key=key).delete()
    assert client.get("/targets/").status_code == 302
    client.cookies[settings.SESSION_COOKIE_NAME] = "short'; --"
    assert client.get("/targets/").status_code == 302
    assert SessionStore("short'; --").load() == {}
