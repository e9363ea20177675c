"""Public commitments reach the public page by the office's explicit step, in public words."""

import pytest

from duban.audit.models import AuditEvent
from duban.targets.models import ProgressReport, SourceCategory, Target
from duban.targets.public import PUBLIC_WORDING

from ..supervision.qingxi import *  # noqa: F403

State = Target.State
INTERNAL = ("待审核", "待交办", "待签收", "办理中", "已办结", "未完成原因")


@pytest.fixture
def commitment(qingxi):
    """青溪市's public commitment as an import leaves it: marked public, not published."""
    return Target.objects.create(
        year=2026,
        number="3",
        text="年内建成青溪科创服务中心",
        source_category=SourceCategory.COMMITMENT,
        is_public=True,
        state=State.APPROVED,
    )


def test_a_marked_commitment_is_not_public_until_published(client, commitment):
    assert "青溪科创服务中心" not in client.get("/public/").content.decode()
    assert client.get(f"/public/{commitment.pk}/").status_code == 404


def test_the_office_publishes_and_the_trail_keeps_it(client, qx_office, commitment):
    client.force_login(qx_office)
    page = client.get(f"/targets/{commitment.pk}/").content.decode()
    assert "发布到公开页面" in page
    response = client.post(f"/targets/{commitment.pk}/publish/")
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.published_at is not None
    [event] = AuditEvent.objects.for_target(commitment.pk).filter(summary="发布到公开页面")
    assert event.actor == qx_office
    client.logout()
    assert "青溪科创服务中心" in client.get("/public/").content.decode()


def test_the_office_unpublishes(client, qx_office, commitment):
    client.force_login(qx_office)
    client.post(f"/targets/{commitment.pk}/publish/")
    response = client.post(f"/targets/{commitment.pk}/unpublish/")
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.published_at is None and commitment.is_public
    assert AuditEvent.objects.for_target(commitment.pk).filter(summary="撤回公开发布").exists()
    client.logout()
    assert client.get(f"/public/{commitment.pk}/").status_code == 404


@pytest.mark.parametrize("step", ["publish", "unpublish"])
def test_a_unit_may_not_publish(client, qx_bureau, qingxi, commitment, step):
    Target.objects.filter(pk=commitment.pk).update(lead_unit=qingxi["bureau"])
    client.force_login(qx_bureau)
    response = client.post(f"/targets/{commitment.pk}/{step}/")
    assert response.status_code == 403
    assert "只有督查员" in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.published_at is None


def test_publishing_twice_or_unpublishing_what_is_not_published_is_refused(
    client, qx_office, commitment
):
    client.force_login(qx_office)
    response = client.post(f"/targets/{commitment.pk}/unpublish/")
    assert response.status_code == 409 and "尚未发布" in response.content.decode()
    client.post(f"/targets/{commitment.pk}/publish/")
    response = client.post(f"/targets/{commitment.pk}/publish/")
    assert response.status_code == 409 and "已发布" in response.content.decode()
    assert (
        AuditEvent.objects.for_target(commitment.pk).filter(summary="发布到公开页面").count() == 1
    )


def test_publishing_needs_a_post(client, qx_office, commitment):
    client.force_login(qx_office)
    assert client.get(f"/targets/{commitment.pk}/publish/").status_code == 405


@pytest.mark.parametrize("state", list(State))
def test_the_public_page_speaks_public_words(client, qx_office, commitment, state):
    client.force_login(qx_office)
    client.post(f"/targets/{commitment.pk}/publish/")
    Target.objects.filter(pk=commitment.pk).update(state=state)
    ProgressReport.objects.create(
        target=commitment,
        period="2026-Q3",
        progress="主体工程已封顶",
        is_complete=False,
        reason="内部原因不公开",
        review_state="accepted",
    )
    client.logout()
    for url in ("/public/", f"/public/{commitment.pk}/"):
        main = client.get(url).content.decode().split("<main")[1]
        assert PUBLIC_WORDING[state] in main and "主体工程已封顶" in main
        for word in INTERNAL:
            assert word not in main, (url, word)
