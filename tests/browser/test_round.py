"""The round page in a real browser: the office opens 2022-Q2's round, sees the units with
what is due, downloads a unit's form and sends the notices to all units."""

import io
from pathlib import Path

import openpyxl
import pytest

from duban.supervision.models import Notification, RoundDispatch
from tests.conftest import PASSWORD

from ..supervision.round_city import build_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city(transactional_db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DUBAN_REPORT_GRACE_DAYS = 10
    return build_city()


def test_open_a_round_download_a_form_and_send_to_all(page, live_server, city, mailoutbox):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "duchayuan")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("header .whoami")

    page.click("header >> text=报送轮次")
    page.fill("#id_period", "2022-Q2")
    page.click("text=发起本期报送")
    page.wait_for_selector("h1:has-text('2022年第二季度报送')")
    assert "报送截止日期：2022年7月10日" in page.inner_text(".round-summary")

    units = page.locator("section.round-unit h2")
    assert units.all_inner_texts() == [
        "市科技局 应报 3 项，已报送 1，未报送 1，被退回 1",
        "市发展改革委 应报 1 项，已报送 0，未报送 1，被退回 0",
    ]
    bureau = page.locator("section.round-unit", has_text="市科技局")
    assert bureau.locator("table.round-targets tbody tr").count() == 3

    with page.expect_download() as download:
        bureau.locator("a:has-text('下载 .xlsx')").click()
    assert download.value.suggested_filename.startswith("市科技局2022年第二季度")
    content = Path(download.value.path()).read_bytes()  # saved without an extension
    sheet = openpyxl.load_workbook(io.BytesIO(content))
    assert [c.value for c in sheet.worksheets[0]["A"][3:6]] == ["7", "8", "9"]

    page.click("text=向全部单位发送报送通知")
    page.wait_for_selector("ul.messages")
    messages = page.locator("ul.messages li").all_inner_texts()
    assert messages == [
        "市科技局：已发送，3 项目标任务，站内通知 1 条，邮件 1 封",
        "市发展改革委：已发送，1 项目标任务，站内通知 1 条，邮件 1 封",
    ]
    assert page.locator("section.round-unit button:has-text('重新发送')").count() == 2
    assert RoundDispatch.objects.count() == 2
    assert Notification.objects.filter(kind="round").count() == 2
    assert len(mailoutbox) == 2
