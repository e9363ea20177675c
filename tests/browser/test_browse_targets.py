"""A newcomer signs in, filters the demo targets, and opens one."""

import datetime

import pytest

from duban.demo.load import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_accounts(transactional_db):
    accounts, _ = load_demo(datetime.date(2026, 11, 22))
    return {username: password for username, password, _label in accounts}


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/targets/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_sign_in_filter_and_open_a_target(page, live_server, demo_accounts):
    sign_in(page, live_server, "admin", "wrong password")
    assert "请输入一个正确的" in page.inner_text(".form-errors")

    sign_in(page, live_server, "admin", demo_accounts["admin"])
    page.wait_for_selector("table.ledger")
    all_rows = page.locator("table.ledger tbody tr:not(.sub-row)").count()
    assert all_rows > 10

    page.select_option("select[name=source]", "work_report")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**source=work_report**")
    rows = page.locator("table.ledger tbody tr:not(.sub-row)")
    assert 0 < rows.count() < all_rows
    assert all(text == "政府工作报告" for text in rows.locator("td:nth-child(3)").all_inner_texts())

    page.fill("input[name=q]", "青溪实验室")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**q=**")
    assert page.locator("table.ledger tbody tr:not(.sub-row)").count() == 1

    page.click("table.ledger tbody tr a")
    page.wait_for_selector("#source-span")
    assert "青溪实验室" in page.inner_text("#source-span")
    timeline = page.inner_text("ol.timeline")
    assert "审核通过" in timeline and "交办" in timeline and "退回修改" in timeline


def test_unit_user_sees_only_its_targets(page, live_server, demo_accounts):
    sign_in(page, live_server, "gongxin", demo_accounts["gongxin"])
    page.wait_for_selector("table.ledger")
    units = page.locator("table.ledger tbody tr:not(.sub-row) td:nth-child(6)").all_inner_texts()
    co_units = page.locator("table.ledger tbody tr:not(.sub-row) td:nth-child(7)").all_inner_texts()
    assert units
    assert all("工业和信息化局" in lead + co for lead, co in zip(units, co_units, strict=True))


def test_office_approves_and_assigns_a_page_of_imported_targets_at_once(
    page, live_server, demo_accounts
):
    from duban.targets.models import Target

    # The list's rows are root targets; a parent waiting for another step is listed as well
    # when one of its sub-targets waits for approval, and its step is refused.
    roots = Target.objects.roots()
    waiting = set(roots.filter(state="registered").values_list("pk", flat=True))
    assert len(waiting) > 1
    shown = waiting | set(
        Target.objects.filter(state="registered", parent__isnull=False).values_list(
            "parent_id", flat=True
        )
    )
    sign_in(page, live_server, "admin", demo_accounts["admin"])
    page.goto(f"{live_server.url}/targets/?state=registered")
    page.check("#select-all")
    assert page.locator("input[name=ids]:checked").count() == len(shown)
    page.click("button[name=step][value=approve]")
    page.wait_for_selector(".messages")
    assert f"已批量审核通过 {len(waiting)} 项" in page.inner_text(".messages")
    assert set(Target.objects.filter(pk__in=waiting).values_list("state", flat=True)) == {
        "approved"
    }

    approved = set(roots.filter(state="approved").values_list("pk", flat=True))
    page.goto(f"{live_server.url}/targets/?state=approved")
    page.check("#select-all")
    page.click("button[name=step][value=assign]")
    page.wait_for_selector(".messages")
    assigned = Target.objects.filter(pk__in=approved, state="assigned").count()
    assert assigned > 0
    assert f"已批量交办 {assigned} 项" in page.inner_text(".messages")
