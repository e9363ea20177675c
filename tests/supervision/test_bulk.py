"""批量审核、批量交办 from the target list."""

import datetime

import pytest
from django.contrib.messages import get_messages

from duban.audit.models import AuditEvent
from duban.supervision import actions
from duban.supervision.models import Notification
from duban.targets.models import ProgressReport, Target

URL = "/targets/bulk/"


@pytest.fixture
def office(client, office_user):
    client.force_login(office_user)
    return client


def post(client, step, targets, **extra):
    return client.post(URL, {"step": step, "ids": [t.pk for t in targets], **extra})


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_approves_the_ticked_targets_each_with_its_own_trail(office, make_target):
    waiting = [make_target() for _ in range(3)]
    untouched = make_target()
    response = post(office, "approve", waiting)
    assert response.status_code == 302 and response["Location"] == "/targets/"
    assert said(response) == ["已批量审核通过 3 项。"]
    states = dict(Target.objects.values_list("pk", "state"))
    assert all(states[t.pk] == Target.State.APPROVED for t in waiting)
    assert states[untouched.pk] == Target.State.REGISTERED
    for t in waiting:
        assert AuditEvent.objects.filter(target_id=t.pk, summary="审核通过").count() == 1


def test_those_that_cannot_take_the_step_are_left_and_listed(office, make_target):
    fresh = make_target()
    already = make_target(state=Target.State.IN_PROGRESS, number="9")
    response = post(office, "approve", [fresh, already])
    messages = said(response)
    assert messages[0] == "已批量审核通过 1 项。"
    assert messages[1].startswith("1 项未能审核通过——9. ")
    already.refresh_from_db()
    assert already.state == Target.State.IN_PROGRESS


def test_assigns_as_recorded_and_notifies_each_unit(office, make_target, city, leader, bureau_user):
    ready = make_target(
        state=Target.State.APPROVED,
        lead_unit=city["bureau"],
        leader=leader,
        deadline=datetime.date(2026, 12, 31),
        co_units=[city["finance"]],
    )
    no_unit = make_target(state=Target.State.APPROVED, deadline=datetime.date(2026, 12, 31))
    no_deadline = make_target(state=Target.State.APPROVED, lead_unit=city["industry"])
    response = post(office, "assign", [ready, no_unit, no_deadline])
    messages = said(response)
    assert messages[0] == "已批量交办 1 项。"
    assert "请选择牵头单位" in messages[1] and "请填写完成时限" in messages[1]
    ready.refresh_from_db()
    assert ready.state == Target.State.ASSIGNED and ready.lead_unit == city["bureau"]
    assert list(ready.co_units.all()) == [city["finance"]] and ready.leader == leader
    assert ready.milestones.count() > 0
    assert Notification.objects.filter(user=bureau_user, kind="assigned").count() == 1
    for t in (no_unit, no_deadline):
        t.refresh_from_db()
        assert t.state == Target.State.APPROVED


def test_goes_back_to_the_filtered_list_but_never_elsewhere(office, make_target):
    t = make_target()
    back = post(office, "approve", [t], next="/targets/?year=2026&state=registered")
    assert back["Location"] == "/targets/?year=2026&state=registered"
    away = post(office, "approve", [t], next="https://example.com/")
    assert away["Location"] == "/targets/"


def test_nothing_ticked_or_no_step_says_so(office, make_target):
    # Messages pile up until a page shows them; each answer adds the last one.
    assert said(office.post(URL, {"step": "approve"}))[-1] == "请先勾选要审核通过的目标。"
    t = make_target()
    response = office.post(URL, {"step": "delete", "ids": [t.pk]})
    assert said(response)[-1] == "请选择要批量办理的事项。"
    response = office.post(URL, {"step": "approve", "ids": ["x", "-1"]})
    assert said(response)[-1] == "请先勾选要审核通过的目标。"
    t.refresh_from_db()
    assert t.state == Target.State.REGISTERED


def test_unknown_ids_are_skipped_and_counted(office, make_target):
    t = make_target()
    response = office.post(URL, {"step": "approve", "ids": [t.pk, 999_999]})
    assert said(response) == ["已批量审核通过 1 项。", "1 项目标不存在或无权办理，已跳过。"]


def test_a_unit_user_may_not(client, bureau_user, make_target, city):
    t = make_target(lead_unit=city["bureau"])
    client.force_login(bureau_user)
    response = post(client, "approve", [t])
    assert response.status_code == 403
    t.refresh_from_db()
    assert t.state == Target.State.REGISTERED


def test_signing_in_is_required_and_only_post(client, office, make_target):
    t = make_target()
    assert office.get(URL).status_code == 405
    office.logout()
    response = post(client, "approve", [t])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_offers_the_boxes_to_office_staff_only(
    office, client, bureau_user, make_target, city
):
    make_target(lead_unit=city["bureau"])
    page = office.get("/targets/").content.decode()
    assert 'name="ids"' in page and 'value="assign"' in page and 'value="accept_reports"' in page
    client.force_login(bureau_user)
    assert 'name="ids"' not in client.get("/targets/").content.decode()


def report(target, state=ProgressReport.Review.SUBMITTED, period="2026-Q2"):
    return ProgressReport.objects.create(
        target=target,
        period=period,
        progress="已完成阶段任务",
        is_complete=True,
        review_state=state,
    )


def test_accepts_only_the_submitted_reports_of_the_ticked_targets(office, make_target):
    first = make_target(state=Target.State.IN_PROGRESS)
    second = make_target(state=Target.State.IN_PROGRESS)
    other = make_target(state=Target.State.IN_PROGRESS)
    waiting = [report(first), report(first, period="2026-Q1"), report(second)]
    draft = report(second, ProgressReport.Review.DRAFT, period="2026-Q1")
    returned = report(second, ProgressReport.Review.RETURNED, period="2026-Q3")
    not_ticked = report(other)
    response = post(office, "accept_reports", [first, second])
    assert said(response) == ["已批量审核通过报送 3 份（2 项目标）。"]
    states = dict(ProgressReport.objects.values_list("pk", "review_state"))
    assert all(states[r.pk] == ProgressReport.Review.ACCEPTED for r in waiting)
    assert states[draft.pk] == ProgressReport.Review.DRAFT
    assert states[returned.pk] == ProgressReport.Review.RETURNED
    assert states[not_ticked.pk] == ProgressReport.Review.SUBMITTED
    for r in waiting:
        r.refresh_from_db()
        assert r.reviewed_by is not None and r.reviewed_at is not None
        events = AuditEvent.objects.filter(object_id=str(r.pk), summary="审核通过")
        assert events.count() == 1 and events.get().target_id == r.target_id


def test_a_report_reviewed_meanwhile_is_listed_not_overwritten(office, make_target, monkeypatch):
    target = make_target(state=Target.State.IN_PROGRESS, number="7")
    first, second = report(target, period="2026-Q1"), report(target, period="2026-Q2")
    real_accept = actions.accept

    def accept_while_another_reviewer_returns_the_second(user, report_, comment=""):
        if report_.pk == first.pk:
            second.return_for_revision(None, "请补充佐证材料")
        return real_accept(user, report_, comment)

    monkeypatch.setattr(actions, "accept", accept_while_another_reviewer_returns_the_second)
    messages = said(post(office, "accept_reports", [target]))
    assert messages[0] == "已批量审核通过报送 1 份（1 项目标）。"
    assert messages[1].startswith("1 份报送未能审核通过——7. ")
    assert "2026年第二季度" in messages[1] and "报送当前为“已退回”" in messages[1]
    second.refresh_from_db()
    assert second.review_state == ProgressReport.Review.RETURNED


def test_ticked_targets_without_waiting_reports_say_so(office, make_target):
    target = make_target(state=Target.State.IN_PROGRESS)
    report(target, ProgressReport.Review.ACCEPTED)
    assert said(post(office, "accept_reports", [target])) == ["勾选的目标没有待审核的报送。"]


def test_a_unit_user_may_not_accept_reports(client, bureau_user, make_target, city):
    target = make_target(state=Target.State.IN_PROGRESS, lead_unit=city["bureau"])
    waiting = report(target)
    client.force_login(bureau_user)
    assert post(client, "accept_reports", [target]).status_code == 403
    waiting.refresh_from_db()
    assert waiting.review_state == ProgressReport.Review.SUBMITTED
