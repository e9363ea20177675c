"""The trail of accounts: creation, staff/superuser/active changes, groups and permissions,
password sets and resets (never the hash), and the role of a person, each with its actor."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from duban.audit.context import acting_as, actor_for_user
from duban.audit.models import AuditEvent
from duban.organisations.models import Person


def user_events(user):
    return AuditEvent.objects.filter(
        object_type=ContentType.objects.get_for_model(get_user_model()), object_id=str(user.pk)
    ).order_by("id")


@pytest.fixture
def admin_actor(office_user):
    with acting_as(actor_for_user(office_user, remote_addr="10.2.0.1")) as actor:
        yield actor


def no_hash(events):
    for event in events:
        text = str(event.before) + str(event.after)
        assert "pbkdf2" not in text and "argon2" not in text


def test_creation_is_recorded_with_its_actor_and_without_the_hash(admin_actor):
    user = get_user_model().objects.create_user("newbie", password="x-very-long-9")
    (event,) = user_events(user)
    assert event.action == "create"
    assert event.actor_name == "督查员甲"
    assert event.after["用户名"] == "newbie"
    no_hash([event])


def test_staff_superuser_and_disabling_are_recorded(bureau_user, admin_actor):
    bureau_user.is_staff = True
    bureau_user.is_superuser = True
    bureau_user.save()
    bureau_user.is_active = False
    bureau_user.save()
    promote, disable = user_events(bureau_user).filter(action="update")
    assert promote.before == {"工作人员状态": False, "超级用户状态": False}
    assert promote.after == {"工作人员状态": True, "超级用户状态": True}
    assert disable.after == {"有效": False}
    assert promote.actor_name == disable.actor_name == "督查员甲"


def test_groups_and_permissions_are_recorded_from_either_side(bureau_user, admin_actor):
    group = Group.objects.create(name="督查组")
    bureau_user.groups.add(group)
    permission = Permission.objects.get(codename="change_target")
    bureau_user.user_permissions.add(permission)
    other = Group.objects.create(name="审核组")
    other.user_set.add(bureau_user)
    group.permissions.add(permission)
    summaries = [e.summary for e in user_events(bureau_user).filter(action="update")]
    assert summaries == ["增加组", "增加用户权限", "增加组"]
    assert user_events(bureau_user).last().after == {"组": ["审核组"]}
    group_event = AuditEvent.objects.filter(object_id=str(group.pk), summary="增加权限").get()
    assert group_event.actor_name == "督查员甲"


def test_a_password_set_by_an_administrator_is_a_reset(bureau_user, admin_actor):
    bureau_user.set_password("another-secret-77")
    bureau_user.save()
    (event,) = user_events(bureau_user).filter(summary="重置密码")
    assert event.after == {"密码": "已设置"}
    assert event.actor_name == "督查员甲"
    no_hash(user_events(bureau_user))


def test_a_user_changing_their_own_password(bureau_user):
    with acting_as(actor_for_user(bureau_user)):
        bureau_user.set_password("another-secret-77")
        bureau_user.save()
    assert user_events(bureau_user).filter(summary="本人修改密码").count() == 1


def test_an_unusable_password_is_recorded(bureau_user, admin_actor):
    bureau_user.set_unusable_password()
    bureau_user.save()
    (event,) = user_events(bureau_user).filter(summary="重置密码")
    assert event.after == {"密码": "不可用（禁止密码登录）"}


def test_sign_ins_record_nothing_on_the_account(client, bureau_user):
    from tests.conftest import PASSWORD

    before = AuditEvent.objects.count()
    assert (
        client.post("/accounts/login/", {"username": "bureau", "password": PASSWORD}).status_code
        == 302
    )
    assert AuditEvent.objects.count() == before  # last_login is not a change of the account


def test_the_admin_making_a_user_superuser_is_recorded(client, office_user, bureau_user):
    from django.contrib.auth.models import User

    client.force_login(office_user)
    url = f"/admin/auth/user/{bureau_user.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200
    data = {
        "username": "bureau",
        "first_name": bureau_user.first_name,
        "last_name": "",
        "email": "",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "00:00:00",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(pk=bureau_user.pk).is_superuser
    event = user_events(bureau_user).filter(action="update").last()
    assert event.after["超级用户状态"] is True
    assert event.actor == office_user
    assert event.channel == "web"

    response = client.post(
        f"/admin/auth/user/{bureau_user.pk}/password/",
        {"password1": "brand-new-secret-42", "password2": "brand-new-secret-42"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert user_events(bureau_user).filter(summary="重置密码", actor=office_user).exists()


def test_a_change_of_role_is_recorded(bureau_user, admin_actor):
    person = Person.objects.get(user=bureau_user)
    person.role = Person.Role.OFFICE
    person.save()
    event = (
        AuditEvent.objects.filter(
            object_type=ContentType.objects.get_for_model(Person), object_id=str(person.pk)
        )
        .order_by("id")
        .last()
    )
    assert event.action == "update"
    assert event.before == {"角色": "单位填报员"}
    assert event.after == {"角色": "督查员"}
    assert event.actor_name == "督查员甲"
