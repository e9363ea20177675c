"""Milestones follow an approved extension: those due on the old deadline move to the new
one, earlier ones keep their dates; the trail has each move; the rule is stated on the target
page; a refused or withdrawn request moves nothing."""

import datetime

import pytest
from django.utils import timezone

from duban.audit.models import AuditEvent
from duban.supervision import extensions
from duban.targets.models import Milestone, Target
from tests.qingxi import *  # noqa: F403

pytestmark = pytest.mark.django_db

RULE = "延期获批后，截止日期与原完成时限相同的阶段目标随之延至新的完成时限；截止日期早于原完成时限的阶段目标不变。"


@pytest.fixture
def staged(qx_target):
    """Three stages: one done before the deadline, one due on it, one (oddly) after it."""
    deadline = qx_target.deadline
    return {
        "early": Milestone.objects.create(
            target=qx_target,
            period="2026-Q1",
            text="完成选址",
            due_date=deadline - datetime.timedelta(days=20),
        ),
        "last": Milestone.objects.create(
            target=qx_target, period="2026-Q2", text="孵化器挂牌运营", due_date=deadline
        ),
        "after": Milestone.objects.create(
            target=qx_target,
            period="2026-Q3",
            text="入驻企业20家",
            due_date=deadline + datetime.timedelta(days=5),
        ),
    }


def approve(target, reporter, office, leader=None, days=90):
    extension = extensions.request_extension(
        reporter,
        target,
        requested_deadline=timezone.localdate() + datetime.timedelta(days=days),
        reason="配套资金下达推迟",
    )
    extensions.decide_extension(office, extension, approve=True)
    if leader is not None:
        extension.refresh_from_db()
        extensions.decide_extension(leader, extension, approve=True)
    extension.refresh_from_db()
    return extension


def test_the_milestone_due_on_the_deadline_moves_earlier_ones_stay(
    staged, qx_target, qx_bureau, qx_office, qx_leader
):
    old = qx_target.deadline
    early, after = staged["early"].due_date, staged["after"].due_date
    extension = approve(qx_target, qx_bureau, qx_office, qx_leader)
    assert extension.state == "approved"
    new = extension.requested_deadline
    for milestone in staged.values():
        milestone.refresh_from_db()
    assert staged["last"].due_date == new
    assert staged["early"].due_date == early
    assert staged["after"].due_date == after  # not on the old deadline: left as set
    [moved] = AuditEvent.objects.filter(
        object_type__model="milestone", action="transition", target_id=qx_target.pk
    )
    assert moved.object_id == str(staged["last"].pk)
    assert moved.before == {"截止日期": old.isoformat()}
    assert moved.after == {"截止日期": new.isoformat()}
    assert moved.summary == f"随延期调整截止日期：由{old:%Y年%m月%d日}延至{new:%Y年%m月%d日}"


def test_a_sub_targets_milestone_follows_with_it(qx_target, qx_bureau, qx_office, qx_leader, qx):
    old = qx_target.deadline
    child = Target.objects.create(
        year=qx_target.year,
        text="云台县孵化器建设",
        parent=qx_target,
        lead_unit=qx["yuntai"],
        deadline=old,
        state=Target.State.IN_PROGRESS,
    )
    stage = Milestone.objects.create(target=child, period="2026-Q4", text="挂牌", due_date=old)
    extension = approve(qx_target, qx_bureau, qx_office, qx_leader)
    stage.refresh_from_db()
    child.refresh_from_db()
    assert child.deadline == extension.requested_deadline
    assert stage.due_date == extension.requested_deadline
    assert AuditEvent.objects.filter(
        object_type__model="milestone", object_id=str(stage.pk), target_id=child.pk
    ).exists()


def test_a_refused_or_withdrawn_request_moves_no_milestone(staged, qx_target, qx_bureau, qx_office):
    before = {k: m.due_date for k, m in staged.items()}
    refused = extensions.request_extension(
        qx_bureau,
        qx_target,
        requested_deadline=timezone.localdate() + datetime.timedelta(days=90),
        reason="配套资金下达推迟",
    )
    extensions.decide_extension(qx_office, refused, approve=False, comment="请按期完成")
    withdrawn = extensions.request_extension(
        qx_bureau,
        qx_target,
        requested_deadline=timezone.localdate() + datetime.timedelta(days=60),
        reason="再议",
    )
    extensions.withdraw_extension(qx_bureau, withdrawn)
    for key, milestone in staged.items():
        milestone.refresh_from_db()
        assert milestone.due_date == before[key], key
    assert not AuditEvent.objects.filter(object_type__model="milestone", action="transition")


def test_the_rule_is_stated_beside_the_extensions(client, qx_target, qx_bureau):
    client.force_login(qx_bureau)
    html = client.get(f"/targets/{qx_target.pk}/").content.decode()
    section = html[html.index('id="extensions"') :]
    assert RULE in section[: section.index("</section>")]
    assert extensions.MILESTONE_RULE == RULE
