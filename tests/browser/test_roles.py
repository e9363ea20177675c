"""The read-only roles in a real browser: a leader in charge, and the public."""

import datetime

import pytest
from django.utils import timezone

from duban.demo.load import load_demo
from duban.organisations.models import Person
from duban.targets.models import Target

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_accounts(transactional_db):
    accounts, _ = load_demo(datetime.date(2026, 11, 22))
    return {username: password for username, password, _label in accounts}


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("header .whoami")


def test_leader_reads_their_targets_and_dashboard_only(page, live_server, demo_accounts):
    leader = Person.objects.get(user__username="chenlm")
    theirs = Target.objects.filter(leader=leader)
    others = Target.objects.exclude(leader=leader).order_by("pk").first()
    assert theirs.exists() and others is not None

    sign_in(page, live_server, "chenlm", demo_accounts["chenlm"])
    section = page.locator("section.card", has_text="分管的目标")
    rows = section.locator("table.ledger tbody tr")
    assert rows.count() == theirs.count()
    assert all(badge for badge in rows.locator("td:first-child .light").all_inner_texts())

    page.click("header >> text=目标任务")
    page.wait_for_selector("table.ledger")
    assert page.locator("table.ledger tbody tr").count() == theirs.count()
    assert set(page.locator("table.ledger tbody td:nth-child(8)").all_inner_texts()) == {
        leader.name
    }

    # A target in their charge reads fully, with no step of the loop to take.
    page.locator("table.ledger tbody tr a").first.click()
    page.wait_for_selector("h2:has-text('办理留痕')")
    assert page.locator("#actions button, #actions a.button").count() == 0

    # Another leader's target is not there, whatever the address.
    response = page.goto(f"{live_server.url}/targets/{others.pk}/")
    assert response.status == 404
    assert "没有找到这个目标任务" in page.inner_text("main")

    page.goto(f"{live_server.url}/")
    page.click("header >> text=统计分析")
    page.wait_for_selector("#chart-lights canvas, #chart-lights svg")
    year = int(page.locator("#id_year").input_value())
    assert int(page.inner_text("#stat-total")) == theirs.filter(year=year).count()


def test_public_reads_published_targets_without_signing_in(page, live_server, demo_accounts):
    published = Target.objects.order_by("pk").first()
    published.is_public = True
    published.published_at = timezone.now()
    published.save()

    page.goto(f"{live_server.url}/public/")
    links = page.locator("table.ledger tbody tr a")
    assert links.count() == 1
    links.first.click()
    page.wait_for_selector("h1")
    assert published.text[:20] in page.inner_text("main")

    # Everything else asks for a sign-in first.
    page.goto(f"{live_server.url}/targets/{published.pk}/")
    assert "/accounts/login/" in page.url
    page.goto(f"{live_server.url}/targets/")
    assert "/accounts/login/" in page.url
