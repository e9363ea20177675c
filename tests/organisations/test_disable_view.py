"""Office staff disable an account: it cannot sign in, its open session ends, its history
(reports, the audit trail, the person) stays, and the person shows as 已停用; enabling it
again restores the sign-in."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from duban.accounts.models import Invitation
from duban.audit.models import AuditEvent
from duban.organisations.models import Person
from duban.targets.models import ProgressReport, Target
from tests.conftest import PASSWORD, _user, login

User = get_user_model()


@pytest.fixture
def reported(make_target, city, bureau_user):
    target = make_target(lead_unit=city["bureau"], state=Target.State.IN_PROGRESS)
    return ProgressReport.objects.create(
        target=target,
        period="2026-Q2",
        unit=city["bureau"],
        progress="已完成第一批项目申报。",
        submitted_by=bureau_user,
    )


def test_disable_then_sign_in_is_refused_and_history_stays(
    client, office_user, bureau_user, reported
):
    person = bureau_user.person
    signed_in = Client()
    assert (
        signed_in.post("/accounts/login/", {"username": "bureau", "password": PASSWORD}).status_code
        == 302
    )
    assert signed_in.get("/targets/").status_code == 200

    login(client, office_user)
    response = client.post(f"/people/{person.pk}/disable/")
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/account/"
    page = client.get(response["Location"]).content.decode()
    assert "已停用" in page and "启用账号" in page

    bureau_user.refresh_from_db()
    assert not bureau_user.is_active
    # The open session ends, and signing in again is refused.
    assert signed_in.get("/targets/").status_code == 302
    refused = Client().post("/accounts/login/", {"username": "bureau", "password": PASSWORD})
    assert refused.status_code == 401
    # History stays: the person, their report, and the trail, with who disabled it.
    assert Person.objects.filter(pk=person.pk, user=bureau_user).exists()
    reported.refresh_from_db()
    assert reported.submitted_by == bureau_user
    event = AuditEvent.objects.get(summary="停用账号")
    assert event.actor == office_user and event.object_repr == "bureau"

    assert client.post(f"/people/{person.pk}/enable/").status_code == 302
    bureau_user.refresh_from_db()
    assert bureau_user.is_active
    assert AuditEvent.objects.filter(summary="启用账号").exists()
    again = Client().post("/accounts/login/", {"username": "bureau", "password": PASSWORD})
    assert again.status_code == 302


def test_the_status_filter_shows_disabled(office_user, bureau_user, city):
    from django.template import Context, Template

    template = Template("{% load accounts %}{{ person|account_status }}")
    person = bureau_user.person
    assert template.render(Context({"person": person})) == "已开通"
    bureau_user.is_active = False
    bureau_user.save()
    person.refresh_from_db()
    assert template.render(Context({"person": person})) == "已停用"
    nobody = Person.objects.create(name="赵强", organisation=city["finance"], role="unit")
    assert template.render(Context({"person": nobody})) == "未开通"


def test_disabling_revokes_pending_invitations(client, office_user, city):
    person = Person.objects.create(name="赵强", organisation=city["finance"], role="unit")
    person.user = User.objects.create_user("zhaoq")
    person.user.set_unusable_password()
    person.user.save()
    person.save()
    login(client, office_user)
    assert client.post(f"/people/{person.pk}/invite/", {"channel": "link"}).status_code == 200
    client.post(f"/people/{person.pk}/disable/")
    assert Invitation.objects.get().revoked_at is not None


def test_staff_cannot_disable_themselves(client, office_user):
    login(client, office_user)
    response = client.post(f"/people/{office_user.person.pk}/disable/", follow=True)
    assert "不能停用或启用自己的账号" in response.content.decode()
    office_user.refresh_from_db()
    assert office_user.is_active


def test_an_office_account_cannot_disable_a_system_administrator(client, city):
    plain = _user("plain", role=Person.Role.OFFICE, organisation=city["bureau"], name="督查员乙")
    admin = _user("root", role=Person.Role.OFFICE, organisation=city["bureau"], staff=True)
    login(client, plain)
    response = client.post(f"/people/{admin.person.pk}/disable/", follow=True)
    assert "系统管理员的账号只能由系统管理员停用或启用" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_units_cannot_disable_anyone(client, bureau_user, finance_user):
    login(client, bureau_user)
    assert client.post(f"/people/{finance_user.person.pk}/disable/").status_code == 403
    assert client.get(f"/people/{finance_user.person.pk}/disable/").status_code in (403, 405)
    finance_user.refresh_from_db()
    assert finance_user.is_active


def test_next_brings_back_to_the_people_page(client, office_user, bureau_user):
    login(client, office_user)
    response = client.post(
        f"/people/{bureau_user.person.pk}/disable/", {"next": "/people/?q=bureau"}
    )
    assert response["Location"] == "/people/?q=bureau"
    response = client.post(
        f"/people/{bureau_user.person.pk}/enable/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/people/{bureau_user.person.pk}/account/"


def test_the_account_page_links_back_only_to_this_site(client, office_user, bureau_user):
    login(client, office_user)
    url = f"/people/{bureau_user.person.pk}/account/"
    assert 'href="/people/?unit=2"' in client.get(url, {"next": "/people/?unit=2"}).content.decode()
    html = client.get(url, {"next": "javascript:alert(1)"}).content.decode()
    assert "javascript:" not in html
