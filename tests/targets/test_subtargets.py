"""Sub-targets (the 一是/二是 points of a plan item) go through the loop with their parent."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from duban.audit.models import AuditEvent
from duban.supervision import actions
from duban.supervision.models import Notification
from duban.targets.models import Target, TransitionError

State = Target.State


@pytest.fixture
def item(make_target):
    """A plan item with two points, the first with a point of its own."""
    parent = make_target(number="3", text="实施科技企业梯次培育工程", deadline_text="12月")
    first = make_target(
        parent=parent, number="一是", text="培育科技型中小企业", deadline_text="12月"
    )
    second = make_target(parent=parent, number="二是", text="壮大高新技术企业")
    grandchild = make_target(parent=first, number="1", text="开展入库评价辅导")
    return parent, first, second, grandchild


def fresh(*targets):
    return [Target.objects.get(pk=t.pk) for t in targets]


def transitions(target):
    return list(
        AuditEvent.objects.for_target(target.pk)
        .filter(action=AuditEvent.Action.TRANSITION)
        .values_list("summary", flat=True)
    )


def test_approving_an_item_approves_its_points_and_theirs(item):
    parent, *points = item
    parent.approve()
    assert {t.state for t in fresh(parent, *points)} == {State.APPROVED}
    assert transitions(parent) == ["审核通过"]
    for point in points:
        assert transitions(point) == ["审核通过（随上级目标）"]
        [event] = AuditEvent.objects.for_target(point.pk).filter(action="transition")
        assert event.before["办理状态"] == "待审核" and event.after["办理状态"] == "待交办"


def test_assigning_an_item_assigns_its_points_to_its_units_and_leader(item, city, leader):
    parent, first, second, grandchild = item
    first.deadline, first.deadline_text = datetime.date(2026, 6, 30), "6月底前"
    first.save()
    parent.approve()
    parent.assign(
        lead_unit=city["bureau"],
        co_units=[city["finance"], city["industry"]],
        leader=leader,
        deadline_text="10月底",
    )
    parent, first, second, grandchild = fresh(parent, first, second, grandchild)
    for point in (first, second, grandchild):
        assert point.state == State.ASSIGNED
        assert point.lead_unit == city["bureau"] and point.leader == leader
        assert set(point.co_units.all()) == {city["finance"], city["industry"]}
        assert transitions(point)[-1] == "交办（随上级目标）"
    # A point's own deadline is kept; one without takes the item's.
    assert (first.deadline, first.deadline_text) == (datetime.date(2026, 6, 30), "6月底前")
    assert (second.deadline, second.deadline_text) == (datetime.date(2026, 10, 31), "10月底")
    # The grandchild had none: it takes its parent's, the point's own deadline.
    assert (grandchild.deadline, grandchild.deadline_text) == (
        datetime.date(2026, 6, 30),
        "6月底前",
    )


def test_a_point_that_had_the_items_deadline_follows_a_new_one(make_target, city):
    parent = make_target(deadline_text="12月", state=State.APPROVED)
    point = make_target(parent=parent, deadline_text="12月", state=State.APPROVED)
    parent.assign(lead_unit=city["bureau"], deadline_text="9月底前")
    point.refresh_from_db()
    assert (point.deadline, point.deadline_text) == (datetime.date(2026, 9, 30), "9月底前")


def test_assigning_again_reassigns_the_points_that_followed(item, city):
    parent, *points = item
    parent.approve()
    parent.assign(lead_unit=city["bureau"], co_units=[city["finance"]])
    parent.assign(lead_unit=city["industry"])
    for point in fresh(*points):
        assert point.state == State.ASSIGNED and point.lead_unit == city["industry"]
        assert not point.co_units.exists()
        assert transitions(point)[-2:] == ["交办（随上级目标）", "交办（随上级目标）"]


def test_acknowledging_an_item_acknowledges_its_points(item, city):
    parent, *points = item
    parent.approve()
    parent.assign(lead_unit=city["bureau"])
    parent.acknowledge()
    for point in fresh(*points):
        assert point.state == State.IN_PROGRESS and point.acknowledged_at is not None
        assert transitions(point) == [
            "审核通过（随上级目标）",
            "交办（随上级目标）",
            "签收（随上级目标）",
        ]


def test_closing_an_item_closes_every_point_from_whatever_state(make_target, city):
    parent = make_target(state=State.IN_PROGRESS, lead_unit=city["bureau"])
    working = make_target(parent=parent, state=State.IN_PROGRESS)
    registered = make_target(parent=parent, state=State.REGISTERED)
    assigned_deep = make_target(parent=registered, state=State.ASSIGNED)
    done = make_target(parent=parent, state=State.CLOSED)
    parent.close()
    working, registered, assigned_deep, done = fresh(working, registered, assigned_deep, done)
    assert {t.state for t in (working, registered, assigned_deep, done)} == {State.CLOSED}
    assert working.closed_at is not None and registered.closed_at is not None
    assert transitions(working) == ["办结销号（随上级目标）"]
    assert transitions(registered) == ["办结销号（随上级目标办结，原为“待审核”）"]
    assert transitions(assigned_deep) == ["办结销号（随上级目标办结，原为“待签收”）"]
    assert transitions(done) == []  # already closed: nothing to record


def test_points_further_along_are_left_as_they_are(make_target, city):
    parent = make_target()
    ahead = make_target(parent=parent, state=State.IN_PROGRESS, lead_unit=city["finance"])
    behind_it = make_target(parent=ahead, state=State.REGISTERED)
    parent.approve()
    parent.assign(lead_unit=city["bureau"])
    parent.acknowledge()
    ahead, behind_it = fresh(ahead, behind_it)
    assert ahead.state == State.IN_PROGRESS and ahead.lead_unit == city["finance"]
    assert transitions(ahead) == []
    # A point left as it is keeps its own points too.
    assert behind_it.state == State.REGISTERED and transitions(behind_it) == []


def test_a_point_is_never_in_the_way_of_its_item(make_target, city):
    parent = make_target(state=State.APPROVED)
    registered = make_target(parent=parent, state=State.REGISTERED)
    parent.assign(lead_unit=city["bureau"])
    parent.acknowledge()
    assert Target.objects.get(pk=parent.pk).state == State.IN_PROGRESS
    assert Target.objects.get(pk=registered.pk).state == State.REGISTERED


def test_an_item_refused_a_step_moves_none_of_its_points(item):
    parent, *points = item
    with pytest.raises(TransitionError, match="目标当前为“待审核”，不能签收"):
        parent.acknowledge()
    assert {t.state for t in fresh(*points)} == {State.REGISTERED}


def test_a_point_can_still_take_a_step_on_its_own(item):
    parent, first, second, grandchild = item
    first.approve()
    assert fresh(first, grandchild)[1].state == State.APPROVED
    assert transitions(first) == ["审核通过"]
    assert fresh(parent, second)[0].state == State.REGISTERED
    parent.approve()  # the approved point is not approved twice
    assert transitions(first) == ["审核通过"]
    assert fresh(second)[0].state == State.APPROVED


def test_the_assign_step_gives_milestones_and_a_notice_for_the_item_only(
    item, city, office_user, bureau_user
):
    parent, *points = item
    actions.approve(office_user, parent)
    actions.assign(office_user, parent, lead_unit=city["bureau"])
    assert parent.milestones.exists()
    assert [n.target_id for n in Notification.objects.all()] == [parent.pk]
    for point in fresh(*points):
        assert point.state == State.ASSIGNED and not point.milestones.exists()


def test_a_refused_assign_step_undoes_the_points_too(make_target, city, office_user):
    parent = make_target(state=State.APPROVED)  # no deadline: the step is refused
    point = make_target(parent=parent, state=State.APPROVED)
    with pytest.raises(ValidationError):
        actions.assign(office_user, parent, lead_unit=city["bureau"])
    parent, point = fresh(parent, point)
    assert parent.state == point.state == State.APPROVED
    assert point.lead_unit is None and transitions(point) == []


def test_the_close_step_notes_the_item_and_closes_its_points(item, city, office_user):
    parent, *points = item
    parent.approve()
    parent.assign(lead_unit=city["bureau"])
    parent.acknowledge()
    actions.close(office_user, parent, note="已全部完成")
    parent.refresh_from_db()
    assert parent.closing_note == "已全部完成" and not parent.reports.exists()
    for point in fresh(*points):
        assert point.state == State.CLOSED and not point.reports.exists()
