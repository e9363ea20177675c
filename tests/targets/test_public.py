import pytest
from django.utils import timezone

from duban.targets.models import ProgressReport


@pytest.fixture(autouse=True)
def set_up(office_user):
    """An office that has done its first-run setup (an empty database opens the setup page)."""


def test_public_targets_are_readable_without_login(client, make_target):
    public = make_target(
        text="公开承诺：新增孵化器3家", is_public=True, published_at=timezone.now()
    )
    make_target(text="内部目标")
    accepted = ProgressReport.objects.create(
        target=public,
        period="2026-Q2",
        progress="已认定孵化器2家",
        is_complete=False,
        reason="评审中",
        review_state="accepted",
    )
    ProgressReport.objects.create(
        target=public, period="2026-Q3", progress="未审核的草稿", review_state="draft"
    )
    response = client.get("/public/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "新增孵化器3家" in body and "内部目标" not in body
    detail = client.get(f"/public/{public.pk}/").content.decode()
    assert accepted.progress in detail and "未审核的草稿" not in detail


def test_internal_targets_are_not_public(client, make_target):
    internal = make_target(text="内部目标")
    response = client.get(f"/public/{internal.pk}/")
    assert response.status_code == 404
    assert "没有找到这个公开事项" in response.content.decode()


def test_public_pages_offer_no_actions(client, make_target):
    public = make_target(is_public=True, published_at=timezone.now())
    body = client.get(f"/public/{public.pk}/").content.decode()
    assert "<form" not in body.split("</header>")[1]
