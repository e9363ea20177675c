"""The setup page: on an empty database every page leads to it; it stores the office, its own
unit and the first office staff account (with the person whose name and phone the ledgers
print), all or nothing; once an account exists it is refused."""

import pytest
from django.contrib.auth import get_user_model

from duban.accounts.models import Office
from duban.audit.models import AuditEvent
from duban.organisations.models import Organisation, Person, is_office_staff
from duban.targets.models import SourceCategory, Target
from tests.reports.ledger_checks import xlsx_sheet

from .accounts_helpers import STRONG, setup_data

User = get_user_model()
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/", "/targets/", "/accounts/login/", "/documents/import/", "/admin/"]
)
def test_every_page_leads_to_the_setup_page_on_an_empty_database(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == "/setup/"


def test_the_api_and_static_files_are_not_pages(client):
    assert client.get("/api/targets").status_code in (401, 403)
    assert client.get("/static/duban/duban.css").status_code in (200, 404)


def test_the_public_page_is_for_citizens_not_the_setup(client):
    response = client.get("/public/")
    assert response.status_code == 200 and "/setup/" not in response.get("Location", "")


def test_the_setup_page_is_in_the_products_theme_and_chinese(client):
    response = client.get("/setup/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "初始设置" in html and "本单位名称" in html and "duban/duban.css" in html
    assert "省级" in html and "市级" in html and "县级" in html
    assert "django-admin" not in html and "admin/css" not in html


def test_setup_stores_the_office_its_unit_and_the_first_office_account(client):
    response = client.post("/setup/", setup_data())
    assert response.status_code == 302 and response["Location"] == "/"

    unit = Organisation.objects.get()
    assert (unit.name, unit.short_name, unit.level, unit.kind) == (
        "青溪市科学技术局",
        "市科技局",
        Organisation.Level.CITY,
        Organisation.Kind.DEPARTMENT,
    )
    assert Office.current().organisation == unit
    user = User.objects.get()
    assert user.username == "zhangwei" and user.check_password(STRONG)
    assert (user.first_name, user.email) == ("张伟", "zhangwei@qingxi.example.cn")
    assert not user.is_superuser and not user.is_staff, "office staff need not be superusers"
    person = Person.objects.get()
    assert (person.user, person.role, person.organisation) == (user, Person.Role.OFFICE, unit)
    assert (person.name, person.title, person.phone) == ("张伟", "督查科科长", "0533-6120001")
    assert is_office_staff(user)

    # Signed in straight away, and the import is open to them.
    home = client.get("/")
    assert home.status_code == 200
    assert "张伟 · 市科技局 · 督查员" in home.content.decode()
    assert "初始设置完成" in home.content.decode()
    assert client.get("/documents/import/").status_code == 200

    # In the trail, with what was set up.
    summaries = set(AuditEvent.objects.values_list("summary", flat=True))
    assert "完成初始设置" in summaries
    assert AuditEvent.objects.filter(object_repr="青溪市科学技术局", action="create").exists()


def test_the_ledgers_print_the_first_accounts_name_and_phone(client):
    client.post("/setup/", setup_data())
    Target.objects.create(
        year=2026,
        number="1",
        text="高新技术企业总数达到300家",
        source_category=SourceCategory.WORK_PLAN,
        lead_unit=Organisation.objects.get(),
    )
    response = client.get(
        "/reports/ledgers/export/", {"layout": "goals", "format": "xlsx", "year": "2026"}
    )
    assert response.status_code == 200
    rows, _merges, _sheet = xlsx_sheet(response.content)
    contact = next(row[0] for row in rows if row[0] and "联系人" in row[0])
    assert "联系人：张伟" in contact and "联系电话：0533-6120001" in contact


def test_the_bulletin_speaks_in_the_offices_name(client, settings):
    settings.DUBAN_OFFICE_NAME = ""
    client.post("/setup/", setup_data())
    from duban.reports.overview.bulletin import office_name

    assert office_name(User.objects.get()) == "青溪市科学技术局"
    settings.DUBAN_OFFICE_NAME = "青溪市科技局办公室"
    assert office_name(User.objects.get()) == "青溪市科技局办公室", "the setting still wins"


def test_the_setup_page_is_refused_once_an_account_exists(client):
    client.post("/setup/", setup_data())
    client.logout()
    response = client.get("/setup/")
    assert response.status_code == 404
    assert "已完成初始设置" in response.content.decode()
    response = client.post("/setup/", setup_data(username="another", email="b@example.cn"))
    assert response.status_code == 404
    assert User.objects.count() == 1
    assert client.get("/accounts/login/").status_code == 200, "pages no longer lead to setup"


def test_refused_when_an_administrator_was_made_by_createsuperuser(client):
    User.objects.create_superuser("root", "root@example.cn", STRONG)
    assert client.get("/setup/").status_code == 404


def _nothing_stored():
    assert not User.objects.exists()
    assert not Organisation.objects.exists()
    assert not Person.objects.exists()
    assert not Office.objects.exists()


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"office_name": ""}, "office_name", "这个字段是必填项。"),
        ({"level": ""}, "level", "这个字段是必填项。"),
        ({"name": None}, "name", "这个字段是必填项。"),
        ({"phone": "电话"}, "phone", "请填写正确的联系电话"),
        ({"email": "zhangwei"}, "email", "有效的"),
        ({"username": "张 伟!"}, "username", "用户名"),
        ({"password2": "Qingxi-kejiju-2027"}, "password2", "两次输入的密码不一致。"),
        ({"password1": "short", "password2": "short"}, "password1", "至少需要 8 个字符"),
        ({"password1": "12345678", "password2": "12345678"}, "password1", "这个密码太常见了。"),
        ({"password1": "zhangwei1", "password2": "zhangwei1"}, "password1", "太相似"),
    ],
)
def test_bad_input_gives_a_chinese_message_and_stores_nothing(client, changes, field, message):
    response = client.post("/setup/", setup_data(**changes))
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert "尚未保存任何内容" in response.content.decode()
    _nothing_stored()


def test_an_email_a_person_already_uses_is_refused(client):
    # A document import (duban import needs no account) may have named people already.
    unit = Organisation.objects.create(name="青溪市财政局")
    Person.objects.create(
        name="李娜", organisation=unit, role=Person.Role.UNIT, email="ZhangWei@qingxi.example.cn"
    )
    response = client.post("/setup/", setup_data())
    assert response.status_code == 400
    assert "该邮箱已被人员「李娜」使用。" in response.context["form"].errors["email"]
    assert not User.objects.exists() and not Office.objects.exists()


def test_a_unit_an_import_created_before_the_setup_becomes_the_office(client):
    imported = Organisation.objects.create(name="市科技局", aliases="科技局")
    response = client.post("/setup/", setup_data())
    assert response.status_code == 302
    unit = Organisation.objects.get()
    assert unit.pk == imported.pk
    assert (unit.name, unit.short_name) == ("青溪市科学技术局", "市科技局")
    assert set(unit.aliases.splitlines()) == {"科技局", "市科技局"}
    assert Office.current().organisation == unit


def test_a_government_office_is_a_government(client):
    client.post("/setup/", setup_data(office_name="青溪县人民政府", short_name="县政府", level="3"))
    unit = Organisation.objects.get()
    assert (unit.kind, unit.level) == (Organisation.Kind.GOVERNMENT, Organisation.Level.COUNTY)


def test_the_first_account_may_also_be_the_system_administrator(client):
    client.post("/setup/", setup_data(is_superuser="on"))
    user = User.objects.get()
    assert user.is_superuser and user.is_staff
    assert client.get("/admin/").status_code == 200
