"""A deadline extension (延期申请) in a real browser: 市科技局 asks for a later deadline, the
office reviews it, the leader in charge approves it, and the target page shows the new
deadline and the count of extensions."""

import datetime

import pytest
from django.utils import timezone

from duban.targets.models import Target
from tests.qingxi import *  # noqa: F403

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)  # noqa: F405
    page.click("button[type=submit]")
    page.wait_for_selector("header .whoami")


def sign_out(page):
    page.click("header .whoami button")
    page.wait_for_selector("#id_username")


def test_an_extension_from_the_units_ask_to_the_leaders_approval(
    page, live_server, settings, qx_office, qx_bureau, qx_leader, make_qx_target
):
    settings.DUBAN_EXTENSION_LEADER_APPROVAL = True
    target = make_qx_target(days=10, text="推进云台县科创飞地建设，引进研发机构2家")
    new = timezone.localdate() + datetime.timedelta(days=75)
    url = f"{live_server.url}/targets/{target.pk}/"

    # The bureau asks.
    sign_in(page, live_server, "zhou_kj")
    page.goto(url)
    page.click("#extensions a:has-text('申请延期')")
    page.fill("#id_requested_deadline", new.isoformat())
    page.fill("#id_reason", "云台县飞地用地审批尚未完成，需延后")
    page.click("#extension-form button[type=submit]")
    page.wait_for_selector("#extensions .extension-pending")
    assert "待审核" in page.inner_text("#extensions")
    assert page.locator("#extensions a:has-text('申请延期')").count() == 0  # one at a time
    sign_out(page)

    # The office reviews it and passes it to the leader.
    sign_in(page, live_server, "lin_dc")
    page.click("#waiting-extensions a")
    page.click("#extensions button:has-text('审核同意，报领导审批')")
    page.wait_for_selector("#extensions .extension-awaiting_leader")
    assert page.locator("#extension-count").inner_text() == "0"
    sign_out(page)

    # The leader in charge approves; the deadline moves.
    sign_in(page, live_server, "chen_fsz")
    page.click("#waiting-extensions a")
    page.fill("#extensions input[name=comment]", "同意延期，请抓紧推进")
    page.click("#extensions button:has-text('同意延期')")
    page.wait_for_selector("#extensions .extension-approved")
    facts = page.inner_text("dl.facts")
    assert f"{new:%Y年%m月%d日}" in facts
    assert "已延期1次" in facts
    assert page.locator("#extension-count").inner_text() == "1"
    assert "同意延期，请抓紧推进" in page.inner_text("#extensions")
    timeline = page.inner_text("ol.timeline")
    assert "分管领导同意延期" in timeline and "延期：完成时限由" in timeline

    target.refresh_from_db()
    assert target.deadline == new and target.extension_count == 1
    assert Target.objects.with_lights().get(pk=target.pk).light == "green"
