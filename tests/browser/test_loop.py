"""The whole loop in a real browser: office staff and a unit reporter take a target from
registration to closing, and the audit timeline shows every step."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from duban.organisations.models import Organisation, Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "loop-test-password-1"


@pytest.fixture
def people(transactional_db, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }
    User = get_user_model()
    bureau = Organisation.objects.create(name="白沙市科学技术局", short_name="市科技局")
    Organisation.objects.create(name="白沙市财政局", short_name="市财政局")
    Person.objects.create(name="周副市长", role="leader")
    office = User.objects.create_user(
        "office", password=PASSWORD, is_staff=True, is_superuser=True, first_name="督查员"
    )
    Person.objects.create(name="督查员", role="office", organisation=bureau, user=office)
    unit = User.objects.create_user("unit", password=PASSWORD, first_name="填报员")
    Person.objects.create(name="填报员", role="unit", organisation=bureau, user=unit)
    return {"office": office, "unit": unit}


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("header .whoami")


def sign_out(page):
    page.click("header .whoami button")
    page.wait_for_selector("#id_username")


def test_the_loop_from_registration_to_closing(page, live_server, people, tmp_path):
    year = timezone.localdate().year
    sign_in(page, live_server, "office")
    page.goto(f"{live_server.url}/targets/new/")
    page.fill("#id_year", str(year))
    page.fill("#id_number", "9")
    page.fill("#id_text", "新建市级重点实验室10家")
    page.select_option("#id_source_category", "work_plan")
    page.click("form.loop-form button[type=submit]")
    page.click("#actions button:has-text('审核通过')")
    page.click("#actions a:has-text('交办')")
    page.select_option("#id_lead_unit", label="市科技局")
    page.select_option("#id_co_units", label="市财政局")
    page.select_option("#id_leader", label="周副市长")
    page.fill("#id_deadline", f"{year}-12-31")
    page.click("text=确认交办")
    page.wait_for_selector("text=已交办给市科技局")
    target_url = page.url
    sign_out(page)

    sign_in(page, live_server, "unit")
    page.goto(target_url)
    page.click("#actions button:has-text('签收')")
    page.wait_for_selector("text=已签收")
    page.click("#actions a:has-text('报送进展')")
    page.fill("#id_progress", "已认定市级重点实验室4家")
    page.check("input[name=is_complete][value=no]")
    page.fill("#id_reason", "第二批评审尚未开始")
    evidence = tmp_path / "认定文件.pdf"
    evidence.write_bytes(b"%PDF-1.4 evidence")
    page.set_input_files("#id_evidence", str(evidence))
    page.click("button[name=submit]")
    page.wait_for_selector("text=进展已报送，等待审核。")
    sign_out(page)

    sign_in(page, live_server, "office")
    page.goto(target_url)
    page.fill(".review-form textarea", "请附上第一批认定名单")
    page.click(".review-form button[value=return]")
    page.wait_for_selector("text=报送已退回")
    sign_out(page)

    sign_in(page, live_server, "unit")
    page.goto(target_url)
    page.click("#actions a:has-text('报送进展')")
    assert "请附上第一批认定名单" in page.inner_text("main")
    page.fill("#id_progress", "已认定市级重点实验室4家，名单见附件")
    page.click("button[name=submit]")
    page.wait_for_selector("text=进展已报送，等待审核。")
    sign_out(page)

    sign_in(page, live_server, "office")
    page.goto(target_url)
    page.click(".review-form button[value=accept]")
    page.wait_for_selector("text=报送已审核通过。")
    page.click("#actions a:has-text('办结销号')")
    page.fill("#id_note", "10家实验室全部认定")
    # The accepted report says 未完成: the page asks for a confirmation and a reason.
    assert "为“未完成”" in page.inner_text("main")
    page.check("#id_confirm_incomplete")
    page.fill("#id_reason", "第二批评审并入明年计划")
    page.click("text=确认办结")
    page.wait_for_selector("text=已办结销号。")
    timeline = page.inner_text("ol.timeline")
    for step in ("创建", "审核通过", "交办", "签收", "报送进展", "退回修改", "办结销号"):
        assert step in timeline, step
    assert "认定文件.pdf" in page.inner_text("main")
