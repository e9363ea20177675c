"""The units-and-people page: the tree, each unit's people, search, and who may see it."""

import re

import pytest

from duban.organisations import views
from duban.organisations.models import Organisation, Person

from .conftest import ROSTER, confirm, csv_bytes, upload


@pytest.fixture
def imported(staff_client):
    confirm(staff_client, upload(staff_client, "名单.csv", csv_bytes(ROSTER)))


def unit_names(response):
    return [r["org"].name for r in response.context["rows"]]


def test_the_tree_lists_each_unit_after_its_parent_with_its_people(staff_client, imported):
    response = staff_client.get("/units/")
    assert response.status_code == 200
    rows = {r["org"].name: r for r in response.context["rows"]}
    names = unit_names(response)
    assert names[0] == "青溪市人民政府"
    assert names.index("云台县人民政府") < names.index("云台县科学技术局")
    assert rows["云台县科学技术局"]["depth"] == 2
    assert rows["青溪市人民政府"]["depth"] == 0
    assert {p["person"].name for p in rows["青溪市科学技术局"]["reporters"]} == {"李晓明", "王芳"}
    assert [p["person"].name for p in rows["青溪市人民政府"]["leaders"]] == ["周明远"]
    assert rows["青溪市科学技术局"]["category"] == "市级政府部门"
    assert {p["account"] for p in rows["青溪市财政局"]["reporters"]} == {"未开通"}
    page = response.content.decode()
    assert "单位和人员" in page and 'href="/units/"' in page  # in the navigation
    assert "13900000006" in page and "sunh@yuntai.example" in page


def test_units_without_a_reporter_are_flagged_with_an_invitation_form(staff_client, imported):
    response = staff_client.get("/units/")
    rows = {r["org"].name: r for r in response.context["rows"]}
    assert rows["石湖县人民政府"]["needs_reporter"]
    assert rows["青溪市人民政府"]["needs_reporter"]  # a leader is not a reporter
    assert not rows["青溪市财政局"]["needs_reporter"]
    page = response.content.decode()
    shihu = Organisation.objects.get(name="石湖县人民政府")
    assert f'action="/units/{shihu.pk}/reporter/"' in page
    assert "邀请填报员" in page
    assert "个尚无填报员" in page


def test_search_finds_units_and_people_and_keeps_their_ancestors(staff_client, imported):
    response = staff_client.get("/units/", {"q": "云台县科学"})
    assert unit_names(response) == ["青溪市人民政府", "云台县人民政府", "云台县科学技术局"]
    assert [r["matched"] for r in response.context["rows"]] == [False, False, True]
    response = staff_client.get("/units/", {"q": "王芳"})
    assert unit_names(response) == ["青溪市人民政府", "青溪市科学技术局"]
    response = staff_client.get("/units/", {"q": "13900000004"})
    assert unit_names(response)[-1] == "青溪市财政局"
    response = staff_client.get("/units/", {"q": "市科技局"})  # a short name
    assert "青溪市科学技术局" in unit_names(response)
    response = staff_client.get("/units/", {"q": "没有这个单位"})
    assert unit_names(response) == []
    assert "没有符合“没有这个单位”的单位或人员" in response.content.decode()


def test_unit_users_and_leaders_are_refused(client, reporter, qingxi, django_user_model):
    client.force_login(reporter)
    for url in ("/units/", "/units/export.xlsx", "/units/template.csv", "/units/import/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/units/{qingxi['gov'].pk}/reporter/", {"name": "某人"}).status_code == 403
    assert not Person.objects.filter(name="某人").exists()
    assert 'href="/units/"' not in client.get("/").content.decode()
    leader = django_user_model.objects.create_user("lingdao")
    Person.objects.create(name="周明远", role="leader", organisation=qingxi["gov"], user=leader)
    client.force_login(leader)
    assert client.get("/units/").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, reporter):
    response = client.get("/units/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_adding_a_reporter_to_a_unit_without_one(staff_client, imported, monkeypatch):
    shihu = Organisation.objects.get(name="石湖县人民政府")
    response = staff_client.post(
        f"/units/{shihu.pk}/reporter/",
        {"name": "钱多多", "phone": "13900000010", "email": "qiandd@shihu.example"},
    )
    assert response.status_code == 302
    person = Person.objects.get(organisation=shihu)
    assert (person.name, person.role, person.user.email) == (
        "钱多多",
        "unit",
        "qiandd@shihu.example",
    )
    assert not person.user.has_usable_password()
    if views.invite_url(person.pk) is None:
        assert response["Location"].endswith(f"#unit-{shihu.pk}")
    else:
        assert response["Location"] == views.invite_url(person.pk)
    # The same checks as an import: an address in use is refused, nothing added.
    county = Organisation.objects.get(name="云台县人民政府")
    response = staff_client.post(
        f"/units/{county.pk}/reporter/",
        {"name": "另一人", "email": "qiandd@shihu.example"},
        follow=True,
    )
    assert "已被石湖县人民政府的钱多多使用" in response.content.decode()
    assert not Person.objects.filter(name="另一人").exists()


def test_people_waiting_for_an_invitation_link_to_it_when_the_page_exists(
    staff_client, imported, monkeypatch
):
    monkeypatch.setattr(views, "invite_url", lambda pk: f"/people/{pk}/invite/")
    page = staff_client.get("/units/").content.decode()
    chen = Person.objects.get(name="陈立")
    assert re.search(rf'<a class="button" href="/people/{chen.pk}/invite/">邀请</a>', page)
    staff = Person.objects.get(name="吴督查")
    # has a password already: the account page, not an invitation
    assert f'<a class="button" href="/people/{staff.pk}/invite/">' not in page
    assert f'href="/people/{staff.pk}/invite/">吴督查</a>' in page
