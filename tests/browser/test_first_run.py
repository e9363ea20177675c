"""A new office in a real browser: an empty database opens the setup page; the office names
itself and its first staff account, is signed in, and imports its first document (a work plan
of the fictional 青溪市) with its own unit as the default lead unit, without the admin."""

import pytest
from django.contrib.auth import get_user_model

from duban.accounts.models import Office
from duban.targets.models import Target

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = """青溪市科学技术局2026年科技工作要点

一、强化企业创新主体地位
1.高新技术企业总数达到300家以上，科技型中小企业入库450家。
2.新增省级以上创新平台5家。

二、优化科技创新生态
3.全社会研发经费投入增长10%左右。
"""


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }


def test_from_an_empty_database_to_the_first_import(page, live_server, storage, tmp_path):
    assert not get_user_model().objects.exists()
    page.goto(f"{live_server.url}/targets/")
    page.wait_for_url("**/setup/")
    assert "初始设置" in page.inner_text("h1")

    page.fill("#id_office_name", "青溪市科学技术局")
    page.fill("#id_short_name", "市科技局")
    page.select_option("#id_level", label="市级")
    page.fill("#id_name", "张伟")
    page.fill("#id_phone", "0533-6120001")
    page.fill("#id_email", "zhangwei@qingxi.example.cn")
    page.fill("#id_username", "zhangwei")
    # A weak password first: a Chinese message, nothing stored, the entries kept.
    page.fill("#id_password1", "12345678")
    page.fill("#id_password2", "12345678")
    page.click("form.setup-form button[type=submit]")
    assert "这个密码太常见了" in page.inner_text("form.setup-form")
    assert page.input_value("#id_office_name") == "青溪市科学技术局"
    assert not get_user_model().objects.exists()

    page.fill("#id_password1", "Qingxi-kejiju-2026")
    page.fill("#id_password2", "Qingxi-kejiju-2026")
    page.click("form.setup-form button[type=submit]")
    page.wait_for_selector(".messages")
    assert "初始设置完成" in page.inner_text(".messages")
    assert "张伟 · 市科技局 · 督查员" in page.inner_text("header .whoami")
    assert "管理后台" not in page.inner_text("nav.mainnav")

    path = tmp_path / "青溪市2026年科技工作要点.txt"
    path.write_text(PLAN, encoding="utf-8")
    page.click("nav.mainnav >> text=导入文件")
    page.set_input_files("input[type=file]", str(path))
    page.click("form.upload-form button[type=submit]")
    page.click("text=预览并确认")
    page.wait_for_selector("#confirm-import")
    page.select_option("label.opt-lead_unit select", label="市科技局")
    page.click("#confirm-import")
    page.wait_for_url("**/targets/")
    assert "新建目标 3 项" in page.inner_text(".messages")
    assert page.locator("table.ledger tbody tr").count() == 3

    office = Office.current().organisation
    assert set(Target.objects.values_list("lead_unit", flat=True)) == {office.pk}
    assert Target.objects.get(number="1").text.startswith("高新技术企业总数达到300家以上")
    # The setup page is gone for good.
    page.goto(f"{live_server.url}/setup/")
    assert "已完成初始设置" in page.inner_text("main")
