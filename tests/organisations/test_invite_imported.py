"""A person the roster import created is invited through the accounts app's flow (when it is
installed): the account waiting without a password is the one the invitation opens."""

import re

import pytest
from django.test import Client

from duban.organisations.models import Person

from .conftest import ROSTER, confirm, csv_bytes, upload

pytest.importorskip("duban.accounts.invitations")


def test_an_imported_reporter_accepts_a_printed_invitation(staff_client, settings):
    settings.DUBAN_BASE_URL = "http://testserver"
    confirm(staff_client, upload(staff_client, "名单.csv", csv_bytes(ROSTER)))
    chen = Person.objects.get(name="陈立")
    account_page = staff_client.get("/units/").content.decode()
    assert f'href="/people/{chen.pk}/account/"' in account_page
    response = staff_client.post(f"/people/{chen.pk}/invite/", {"channel": "link"})
    assert response.status_code == 200, response.content.decode()[:500]
    link = re.search(r"http://testserver(/accounts/invite/[^\"<\s]+/)", response.content.decode())
    assert link, response.content.decode()
    client = Client()  # the invited person's own browser
    page = client.get(link.group(1))
    assert page.status_code == 200
    assert "chenl@qingxi.example" in page.content.decode()  # the user name made at import
    accepted = client.post(
        link.group(1), {"password1": "qingxi-Secret-2026", "password2": "qingxi-Secret-2026"}
    )
    assert accepted.status_code == 302
    chen.refresh_from_db()
    assert chen.user.has_usable_password() and chen.user.check_password("qingxi-Secret-2026")
    listed = staff_client.get("/units/")
    rows = {r["org"].name: r for r in listed.context["rows"]}
    assert {p["account"] for p in rows["青溪市财政局"]["reporters"]} == {"已开通"}
