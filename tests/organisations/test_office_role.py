"""Office staff is a role (a person with role office), not a Django superuser: such an account
does the office's work but not the admin, which stays for the system administrator."""

import pytest
from django.urls import reverse

from duban.organisations.models import Person
from duban.targets.models import Target
from tests.conftest import _user, login


@pytest.fixture
def plain_office(city):
    return _user("duchayuan", role=Person.Role.OFFICE, organisation=city["bureau"], name="督查员乙")


def test_office_staff_without_superuser_do_office_work(client, plain_office, make_target, city):
    assert not plain_office.is_superuser and not plain_office.is_staff
    login(client, plain_office)
    target = make_target(lead_unit=city["finance"])
    for path in ["/", "/documents/import/", "/rounds/", f"/targets/{target.pk}/"]:
        assert client.get(path).status_code == 200, path
    assert client.get(reverse("reports:dashboard")).status_code == 200
    response = client.post(f"/targets/{target.pk}/approve/")
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.state == Target.State.APPROVED
    html = client.get("/").content.decode()
    assert "导入文件" in html and "报送轮次" in html
    assert "管理后台" not in html, "no admin link for an office account"


def test_but_not_the_admin(client, plain_office):
    login(client, plain_office)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert client.get("/admin/organisations/person/").status_code == 302


def test_the_system_administrator_keeps_the_admin(client, office_user):
    login(client, office_user)
    assert client.get("/admin/").status_code == 200
    assert "管理后台" in client.get("/").content.decode()


def test_a_disabled_office_person_is_not_office_staff(client, plain_office):
    plain_office.is_active = False
    plain_office.save()
    client.force_login(plain_office)
    assert client.get("/documents/import/").status_code == 302
