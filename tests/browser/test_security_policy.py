"""Pages under the Content-Security-Policy: the API docs, the admin and the dashboard still work,
and an injected inline handler is refused (the page fixture fails any test that sees a refusal)."""

import datetime

import pytest

from duban.demo.load import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_password(transactional_db):
    accounts, _ = load_demo(datetime.date(2026, 11, 22))
    return {username: password for username, password, _label in accounts}["admin"]


def sign_in(page, live_server, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_api_docs_render_under_the_policy(page, live_server, admin_password):
    sign_in(page, live_server, admin_password)
    response = page.goto(f"{live_server.url}/api/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() > 5
    page.locator(".opblock-summary").first.click()
    page.wait_for_selector(".opblock-body")


def test_admin_dashboard_and_ledger_under_the_policy(page, live_server, admin_password):
    sign_in(page, live_server, admin_password)
    for path in ("/admin/", "/admin/targets/target/", "/reports/dashboard/", "/targets/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("load")
    assert page.csp_violations == []


def test_an_injected_inline_handler_is_refused(page, live_server, admin_password):
    sign_in(page, live_server, admin_password)
    page.goto(f"{live_server.url}/targets/")
    page.evaluate(
        """() => document.body.insertAdjacentHTML(
            'beforeend', '<img src="/no-such-image" onerror="window.injected = 1">')"""
    )
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.injected") is None
    assert any("inline event handler" in v or "script-src" in v for v in page.csp_violations)
    page.csp_violations.clear()  # expected here; the fixture fails on any other
