"""The steps of the loop on a target: approve, assign, acknowledge, close, carry over, chase.
Each for the right role, and refused for the wrong role (403), the wrong state (409),
incomplete input (400), a target the caller may not see (404) and no caller (401)."""

import datetime

import pytest

from duban.audit.models import AuditEvent
from duban.supervision.models import Notification
from duban.targets.models import ProgressReport, Target

# --- approve -----------------------------------------------------------------------------


def test_office_approves(office, registered):
    response = office.post(f"/targets/{registered.pk}/approve")
    assert response.status_code == 200
    assert response.json()["state"] == "approved"


def test_approve_refuses_a_unit(bureau, assigned):
    response = bureau.post(f"/targets/{assigned.pk}/approve")
    assert response.status_code == 403
    assert response.json() == {"detail": "只有督查员可以审核目标"}


def test_approve_in_the_wrong_state_is_409(office, assigned):
    response = office.post(f"/targets/{assigned.pk}/approve")
    assert response.status_code == 409
    assert response.json()["detail"] == "目标当前为“待签收”，不能审核通过"


def test_approve_hidden_target_is_404_and_anonymous_401(bureau, anonymous, foreign, registered):
    assert bureau.post(f"/targets/{foreign.pk}/approve").status_code == 404
    assert bureau.post(f"/targets/{registered.pk}/approve").status_code == 404
    assert anonymous.post(f"/targets/{registered.pk}/approve").status_code == 401
    registered.refresh_from_db()
    assert registered.state == Target.State.REGISTERED


# --- assign ------------------------------------------------------------------------------


@pytest.fixture
def approved(registered):
    registered.approve()
    return registered


def test_office_assigns(office, approved, city, leader, bureau_user):
    response = office.post(
        f"/targets/{approved.pk}/assign",
        {
            "lead_unit": city["bureau"].pk,
            "co_units": [city["finance"].pk, city["industry"].pk],
            "leader": leader.pk,
            "deadline": f"{approved.year}-11-30",
        },
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["state"] == "assigned"
    assert data["lead_unit"]["id"] == city["bureau"].pk
    assert {u["id"] for u in data["co_units"]} == {city["finance"].pk, city["industry"].pk}
    assert data["leader"]["id"] == leader.pk
    assert data["deadline"] == f"{approved.year}-11-30"
    assert Notification.objects.filter(user=bureau_user, kind="assigned").exists()


def test_assign_with_a_deadline_in_words(office, approved, city):
    response = office.post(
        f"/targets/{approved.pk}/assign",
        {"lead_unit": city["bureau"].pk, "deadline_text": "持续推进"},
    )
    assert response.status_code == 200
    assert response.json()["deadline_label"] == "持续推进"


def test_assign_refuses_a_unit(bureau, assigned, city):
    response = bureau.post(f"/targets/{assigned.pk}/assign", {"lead_unit": city["bureau"].pk})
    assert response.status_code == 403
    assert response.json()["detail"] == "只有督查员可以交办目标"


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "lead_unit"),
        ({"lead_unit": 99999}, "lead_unit"),
        ({"lead_unit": "市科技局"}, "lead_unit"),
        ({"co_units": [99999]}, "co_units"),
        ({"leader": 99999}, "leader"),
        ({"deadline": "年底"}, "deadline"),
    ],
)
def test_assign_refuses_missing_or_unknown_fields_with_400(office, approved, city, payload, field):
    if payload and "lead_unit" not in payload:
        payload = {"lead_unit": city["bureau"].pk, **payload}
    response = office.post(f"/targets/{approved.pk}/assign", payload)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    approved.refresh_from_db()
    assert approved.state == Target.State.APPROVED


def test_assign_without_any_deadline_is_400_and_changes_nothing(office, approved, city):
    response = office.post(f"/targets/{approved.pk}/assign", {"lead_unit": city["bureau"].pk})
    assert response.status_code == 400
    assert response.json()["errors"] == {"deadline": ["请填写完成时限：日期或文字（如“持续推进”）"]}
    approved.refresh_from_db()
    assert (approved.state, approved.lead_unit) == (Target.State.APPROVED, None)
    assert not approved.milestones.exists()


def test_reassign_keeps_the_deadline_already_set(office, assigned, city):
    response = office.post(f"/targets/{assigned.pk}/assign", {"lead_unit": city["finance"].pk})
    assert response.status_code == 200
    assert response.json()["lead_unit"]["id"] == city["finance"].pk
    assert response.json()["deadline_label"] == "12月底前"


def test_assign_in_the_wrong_state_is_409(office, registered, city):
    response = office.post(f"/targets/{registered.pk}/assign", {"lead_unit": city["bureau"].pk})
    assert response.status_code == 409


def test_assign_refuses_someone_who_is_not_a_leader(office, approved, city, bureau_user):
    """A unit reporter is not a leader in charge."""
    response = office.post(
        f"/targets/{approved.pk}/assign",
        {"lead_unit": city["bureau"].pk, "leader": bureau_user.person.pk},
    )
    assert response.status_code == 400 and "leader" in response.json()["errors"]


# --- acknowledge -------------------------------------------------------------------------


def test_lead_unit_acknowledges(bureau, assigned):
    response = bureau.post(f"/targets/{assigned.pk}/acknowledge")
    assert response.status_code == 200
    assert response.json()["state"] == "in_progress"
    assert response.json()["acknowledged_at"]


@pytest.mark.parametrize("who", ["finance", "office", "leader_api"])
def test_acknowledge_refuses_everyone_but_the_lead_unit(request, assigned, who):
    response = request.getfixturevalue(who).post(f"/targets/{assigned.pk}/acknowledge")
    assert response.status_code == 403
    assert response.json()["detail"] == "只有牵头单位可以签收"


def test_acknowledge_twice_is_409(bureau, acknowledged):
    assert bureau.post(f"/targets/{acknowledged.pk}/acknowledge").status_code == 409


def test_acknowledge_hidden_target_is_404(bureau, foreign):
    assert bureau.post(f"/targets/{foreign.pk}/acknowledge").status_code == 404


# --- close -------------------------------------------------------------------------------


def test_office_closes(office, acknowledged):
    response = office.post(f"/targets/{acknowledged.pk}/close", {"note": "3家孵化器均已建成"})
    assert response.status_code == 200
    assert response.json()["state"] == "closed"
    assert response.json()["light"] == "done"
    # The note is the target's own: no report is written in the unit's name.
    acknowledged.refresh_from_db()
    assert acknowledged.closing_note == "3家孵化器均已建成"
    assert response.json()["closing_note"] == "3家孵化器均已建成"
    assert not acknowledged.reports.exists()


def test_close_refuses_a_unit(bureau, acknowledged):
    response = bureau.post(f"/targets/{acknowledged.pk}/close", {"note": "我们做完了"})
    assert response.status_code == 403
    assert response.json()["detail"] == "只有督查员可以办结目标"
    assert not acknowledged.reports.exists()


@pytest.mark.parametrize("payload", [{}, {"note": "  "}])
def test_close_without_a_note_is_400(office, acknowledged, payload):
    response = office.post(f"/targets/{acknowledged.pk}/close", payload)
    assert response.status_code == 400
    assert "note" in response.json()["errors"]


def test_close_in_the_wrong_state_is_409(office, assigned):
    response = office.post(f"/targets/{assigned.pk}/close", {"note": "办结"})
    assert response.status_code == 409
    assert not assigned.reports.exists()


# --- carry over --------------------------------------------------------------------------


@pytest.fixture
def ongoing(acknowledged):
    acknowledged.deadline, acknowledged.deadline_text = None, "持续推进"
    acknowledged.save()
    return acknowledged


def test_office_carries_over_an_ongoing_target(office, ongoing):
    response = office.post(f"/targets/{ongoing.pk}/carry-over")
    assert response.status_code == 201
    data = response.json()
    assert data["year"] == ongoing.year + 1
    assert data["carried_from_id"] == ongoing.pk
    assert data["state"] == "assigned"


def test_carry_over_refuses_a_unit(bureau, ongoing):
    assert bureau.post(f"/targets/{ongoing.pk}/carry-over").status_code == 403
    assert not ongoing.carried_to.exists()


def test_carry_over_of_a_target_with_an_end_date_is_409(office, acknowledged):
    response = office.post(f"/targets/{acknowledged.pk}/carry-over")
    assert response.status_code == 409
    assert response.json()["detail"] == "只有“持续推进”的目标才能结转到下一年度"


def test_carry_over_twice_is_409(office, ongoing):
    assert office.post(f"/targets/{ongoing.pk}/carry-over").status_code == 201
    assert office.post(f"/targets/{ongoing.pk}/carry-over").status_code == 409


# --- chase -------------------------------------------------------------------------------


def test_office_chases_the_lead_unit(office, acknowledged, bureau_user):
    response = office.post(f"/targets/{acknowledged.pk}/chase", {"message": "请本周内报送"})
    assert response.status_code == 200
    assert response.json() == {"notified": 1, "detail": "已催办，通知 1 人"}
    note = Notification.objects.get(user=bureau_user, kind="chase")
    assert note.message == "请本周内报送"
    assert AuditEvent.objects.for_target(acknowledged.pk).last().summary == "人工催办"


def test_chase_with_the_default_message(office, acknowledged, bureau_user):
    assert office.post(f"/targets/{acknowledged.pk}/chase").status_code == 200
    assert Notification.objects.get(kind="chase").message.startswith("请抓紧办理并报送进展")


def test_chase_refuses_a_unit(finance, acknowledged):
    assert finance.post(f"/targets/{acknowledged.pk}/chase").status_code == 403
    assert not Notification.objects.filter(kind="chase").exists()


def test_chase_in_the_wrong_state_is_409(office, registered):
    response = office.post(f"/targets/{registered.pk}/chase")
    assert response.status_code == 409
    assert response.json()["detail"] == "目标当前为“待审核”，无需催办"


def test_chase_with_too_long_a_message_is_400(office, acknowledged):
    response = office.post(f"/targets/{acknowledged.pk}/chase", {"message": "催" * 501})
    assert response.status_code == 400
    assert response.json()["errors"] == {"message": ["不能超过 500 个字符"]}


def test_the_whole_loop_through_the_api(office, bureau, registered, city):
    """立项 → 审核 → 交办 → 签收 → 报送 → 审核 → 办结, every step by API."""
    assert office.post(f"/targets/{registered.pk}/approve").status_code == 200
    assert (
        office.post(
            f"/targets/{registered.pk}/assign",
            {"lead_unit": city["bureau"].pk, "deadline": f"{registered.year}-12-31"},
        ).status_code
        == 200
    )
    assert bureau.post(f"/targets/{registered.pk}/acknowledge").status_code == 200
    period = f"{registered.year}-Q4"
    report = bureau.post(
        f"/targets/{registered.pk}/reports",
        {"period": period, "progress": "已完成", "is_complete": True},
    ).json()
    assert office.post(f"/reports/{report['id']}/accept", {"comment": "同意"}).status_code == 200
    assert office.post(f"/targets/{registered.pk}/close", {"note": "已完成"}).status_code == 200
    registered.refresh_from_db()
    assert registered.state == Target.State.CLOSED
    assert registered.reports.filter(review_state=ProgressReport.Review.ACCEPTED).count() == 1
    assert registered.closed_at.date() <= datetime.date.today() + datetime.timedelta(days=1)
