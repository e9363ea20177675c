"""The workbench, the target list and target pages are rendered once per change and served
from memory after that: a repeat visit sends a handful of queries, a change shows at once, and
each visitor's forms carry their own CSRF token."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from duban.audit.changes import fragments
from duban.targets.models import Target
from duban.web.fragments import CSRF_PLACEHOLDER

# Session, user, change stamp and unread notifications: nothing of the page itself.
REPEAT_VISIT_QUERIES = 4


@pytest.fixture(autouse=True)
def empty_cache():
    fragments.clear()
    yield
    fragments.clear()


def queries_of(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/", "/targets/", "/targets/?state=registered&year=2026"])
def test_a_repeat_visit_sends_only_the_requests_own_queries(client, office_user, make_target, path):
    for n in range(3):
        make_target(text=f"目标{n}")
    client.force_login(office_user)
    first = queries_of(client, path)
    assert queries_of(client, path) <= REPEAT_VISIT_QUERIES < first


def test_a_repeat_visit_of_a_target_page_sends_only_the_requests_own_queries(
    client, bureau_user, make_target, city
):
    target = make_target(lead_unit=city["bureau"], state=Target.State.IN_PROGRESS)
    client.force_login(bureau_user)
    first = queries_of(client, f"/targets/{target.pk}/")
    assert queries_of(client, f"/targets/{target.pk}/") <= REPEAT_VISIT_QUERIES < first


def test_a_change_shows_at_once(client, office_user, make_target):
    target = make_target(text="改之前的目标")
    client.force_login(office_user)
    for path in ("/", "/targets/", f"/targets/{target.pk}/"):
        assert "改之前的目标" in client.get(path).content.decode()
    target.text = "改之后的目标"
    target.save()
    for path in ("/", "/targets/"):
        body = client.get(path).content.decode()
        assert "改之后的目标" in body and "改之前的目标" not in body
    heading = client.get(f"/targets/{target.pk}/").content.decode().split("</h1>")[0]
    assert "改之后的目标" in heading  # the old text stays, in the timeline


def test_units_never_see_each_others_cached_pages(
    client, bureau_user, finance_user, make_target, city
):
    ours = make_target(text="科技局牵头的目标", lead_unit=city["bureau"])
    client.force_login(bureau_user)
    assert client.get(f"/targets/{ours.pk}/").status_code == 200
    assert "科技局牵头的目标" in client.get("/targets/").content.decode()
    other = Client()
    other.force_login(finance_user)
    assert other.get(f"/targets/{ours.pk}/").status_code == 404
    assert "科技局牵头的目标" not in other.get("/targets/").content.decode()


def test_each_visitor_posts_a_cached_target_page_with_their_own_token(
    office_user, make_target, city
):
    from django.contrib.auth import get_user_model

    second = get_user_model().objects.create_user("office2", is_staff=True)
    first_target = make_target(text="待审核的目标")
    for user in (office_user, second):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        page = browser.get(f"/targets/{first_target.pk}/").content.decode()
        assert CSRF_PLACEHOLDER not in page
        token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        response = browser.post(
            f"/targets/{first_target.pk}/approve/", {"csrfmiddlewaretoken": token}
        )
        assert response.status_code in {302, 409}  # approved, or already approved by the first
    first_target.refresh_from_db()
    assert first_target.state == Target.State.APPROVED
