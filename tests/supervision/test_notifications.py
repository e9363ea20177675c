"""The in-app notifications page and the unread count in the top bar."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from duban.supervision.models import Notification


@pytest.fixture
def target(make_target, city):
    return make_target(state="in_progress", lead_unit=city["bureau"], title="孵化器建设")


def notify(user, target, message, *, minutes_ago=0, read=False, kind="due_soon"):
    now = timezone.now()
    return Notification.objects.create(
        user=user,
        target=target,
        kind=kind,
        key=f"test:{message}",
        message=message,
        created_at=now - datetime.timedelta(minutes=minutes_ago),
        read_at=now if read else None,
    )


def test_the_list_shows_my_notifications_newest_first_with_links(
    client, bureau_user, finance_user, target
):
    notify(bureau_user, target, "较早的提醒", minutes_ago=30)
    notify(bureau_user, target, "最新的提醒", minutes_ago=1)
    notify(bureau_user, target, "已读的提醒", minutes_ago=60, read=True, kind="chase")
    notify(finance_user, target, "财政局的提醒")
    client.force_login(bureau_user)
    response = client.get("/notifications/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("最新的提醒") < body.index("较早的提醒") < body.index("已读的提醒")
    assert "财政局的提醒" not in body
    assert f'href="/targets/{target.pk}/"' in body
    assert "临期提醒" in body and "人工催办" in body
    assert body.count(">标为已读</button>") == 2
    assert "全部标为已读" in body
    assert "未读 2 条" in body


def test_the_list_needs_a_signed_in_user(client, office_user):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_empty_list_says_so(client, bureau_user):
    client.force_login(bureau_user)
    body = client.get("/notifications/").content.decode()
    assert "暂无通知" in body and "全部标为已读" not in body


def test_mark_one_read(client, bureau_user, target):
    notice = notify(bureau_user, target, "请报送进展")
    other = notify(bureau_user, target, "另一条")
    client.force_login(bureau_user)
    response = client.post(f"/notifications/{notice.pk}/read/", {"page": "1"})
    assert response.status_code == 302 and response["Location"] == "/notifications/?page=1"
    notice.refresh_from_db()
    other.refresh_from_db()
    assert notice.read_at is not None and other.read_at is None
    first_read = notice.read_at
    client.post(f"/notifications/{notice.pk}/read/")
    notice.refresh_from_db()
    assert notice.read_at == first_read  # marking again keeps the first reading time


def test_marking_read_needs_post(client, bureau_user, target):
    notice = notify(bureau_user, target, "请报送进展")
    client.force_login(bureau_user)
    assert client.get(f"/notifications/{notice.pk}/read/").status_code == 405
    assert client.get("/notifications/read-all/").status_code == 405
    notice.refresh_from_db()
    assert notice.read_at is None


def test_marking_read_needs_the_csrf_token(bureau_user, target):
    notice = notify(bureau_user, target, "请报送进展")
    client = Client(enforce_csrf_checks=True)
    client.force_login(bureau_user)
    assert client.post(f"/notifications/{notice.pk}/read/").status_code == 403
    assert client.post("/notifications/read-all/").status_code == 403
    notice.refresh_from_db()
    assert notice.read_at is None
    page = client.get("/notifications/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page


def test_another_users_notification_is_not_found(client, bureau_user, finance_user, target):
    theirs = notify(finance_user, target, "财政局的提醒")
    client.force_login(bureau_user)
    response = client.post(f"/notifications/{theirs.pk}/read/")
    assert response.status_code == 404
    assert client.post("/notifications/999999/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_marks_only_mine(client, bureau_user, finance_user, target):
    mine = [notify(bureau_user, target, f"提醒{i}") for i in range(3)]
    theirs = notify(finance_user, target, "财政局的提醒")
    client.force_login(bureau_user)
    response = client.post("/notifications/read-all/")
    assert response.status_code == 302
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_top_bar_counts_my_unread_notifications(client, bureau_user, finance_user, target):
    notify(bureau_user, target, "一", minutes_ago=2)
    notify(bureau_user, target, "二", minutes_ago=1)
    notify(bureau_user, target, "已读", read=True)
    notify(finance_user, target, "别人的")
    client.force_login(bureau_user)
    body = client.get("/notifications/").content.decode()
    topbar = body[body.index('<header class="topbar">') : body.index("</header>")]
    assert 'href="/notifications/"' in topbar
    assert "2 条未读通知" in topbar and "（2）" in topbar

    client.post("/notifications/read-all/")
    body = client.get("/notifications/").content.decode()
    topbar = body[body.index('<header class="topbar">') : body.index("</header>")]
    assert 'href="/notifications/"' in topbar and "未读通知" not in topbar


def test_the_unread_count_is_one_query(rf, bureau_user, target, django_assert_num_queries):
    from duban.supervision.context_processors import notifications

    notify(bureau_user, target, "一")
    request = rf.get("/")
    request.user = bureau_user
    context = notifications(request)
    with django_assert_num_queries(1):
        assert context["unread_notifications"]() == 1
        assert context["unread_notifications"]() == 1


def test_signed_out_pages_have_no_count(rf):
    from django.contrib.auth.models import AnonymousUser

    from duban.supervision.context_processors import notifications

    request = rf.get("/")
    request.user = AnonymousUser()
    assert notifications(request) == {}
