import pytest

from duban.audit.context import Actor, acting_as, actor_for_user
from duban.audit.models import AuditEvent, ImmutableError
from duban.targets.models import Target


def events_for(target):
    return list(AuditEvent.objects.for_target(target.pk))


def test_create_is_recorded_with_its_fields(make_target):
    target = make_target(text="新增省级创新平台5家以上")
    (event,) = events_for(target)
    assert event.action == AuditEvent.Action.CREATE
    assert event.after["目标内容"] == "新增省级创新平台5家以上"
    assert event.before is None
    assert event.actor_name == "系统"


def test_change_records_only_the_fields_that_changed(make_target):
    target = make_target(text="旧内容")
    target.text = "新内容"
    target.save()
    event = events_for(target)[-1]
    assert event.action == AuditEvent.Action.UPDATE
    assert event.before == {"目标内容": "旧内容"}
    assert event.after == {"目标内容": "新内容"}


def test_saving_without_change_records_nothing(make_target):
    target = make_target()
    target.save()
    assert len(events_for(target)) == 1


def test_transition_is_recorded_once_with_summary_and_states(make_target):
    target = make_target()
    target.approve()
    events = events_for(target)
    assert [e.action for e in events] == ["create", "transition"]
    assert events[-1].summary == "审核通过"
    assert events[-1].before == {"办理状态": "待审核"}
    assert events[-1].after == {"办理状态": "待交办"}


def test_actor_and_address_come_from_the_context(make_target, office_user):
    with acting_as(actor_for_user(office_user, remote_addr="10.1.2.3")):
        target = make_target()
    (event,) = events_for(target)
    assert event.actor == office_user
    assert event.actor_name == "督查员甲"
    assert event.remote_addr == "10.1.2.3"
    assert event.channel == "web"


def test_co_unit_changes_are_recorded(make_target, city):
    target = make_target()
    target.co_units.add(city["finance"])
    event = events_for(target)[-1]
    assert event.summary == "增加协办单位"
    assert event.after == {"协办单位": ["市财政局"]}


def test_deletion_is_recorded_and_outlives_the_target(make_target):
    target = make_target(text="将被删除的目标")
    pk = target.pk
    target.delete()
    event = AuditEvent.objects.for_target(pk).last()
    assert event.action == AuditEvent.Action.DELETE
    assert event.before["目标内容"] == "将被删除的目标"
    assert not Target.objects.filter(pk=pk).exists()


def test_records_cannot_be_changed_or_deleted(make_target):
    make_target()
    event = AuditEvent.objects.first()
    event.summary = "篡改"
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        event.delete()
    with pytest.raises(ImmutableError):
        AuditEvent.objects.all().update(summary="篡改")
    with pytest.raises(ImmutableError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).summary == ""


def test_context_is_restored_after_acting_as(make_target):
    with acting_as(Actor(name="命令行", channel="cli")):
        pass
    target = make_target()
    assert events_for(target)[0].actor_name == "系统"


def test_admin_offers_no_way_to_edit_the_trail(client, office_user, make_target):
    make_target()
    client.force_login(office_user)
    event = AuditEvent.objects.first()
    assert client.get("/admin/audit/auditevent/").status_code == 200
    page = client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.get(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    assert (
        client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_adding_an_existing_co_unit_records_nothing(make_target, city):
    target = make_target(co_units=[city["finance"]])
    count = len(events_for(target))
    target.co_units.add(city["finance"])
    assert len(events_for(target)) == count


def test_deleting_a_parent_records_its_children_too(make_target):
    parent = make_target(text="上级目标")
    child = make_target(text="下级事项", parent=parent)
    child_pk = child.pk
    parent.delete()
    assert not Target.objects.filter(pk=child_pk).exists()
    event = AuditEvent.objects.for_target(child_pk).last()
    assert event.action == AuditEvent.Action.DELETE
    assert event.before["目标内容"] == "下级事项"
