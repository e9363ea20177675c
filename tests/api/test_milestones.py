"""Milestones: read by whoever sees the target, edited by office staff."""

import pytest

from duban.audit.models import AuditEvent


@pytest.fixture
def milestone(acknowledged):
    return acknowledged.milestones.create(period=f"{acknowledged.year}-Q4", text="完成选址")


@pytest.fixture
def foreign_milestone(foreign):
    return foreign.milestones.create(period=f"{foreign.year}-Q4", text="技改项目开工")


def test_list_milestones_of_a_target(bureau, milestone):
    data = bureau.get("/milestones", {"target": milestone.target_id}).json()
    assert data["count"] == 1
    assert data["items"][0]["id"] == milestone.pk


def test_list_all_visible_milestones(bureau, office, milestone, foreign_milestone):
    assert [m["id"] for m in bureau.get("/milestones").json()["items"]] == [milestone.pk]
    assert {m["id"] for m in office.get("/milestones").json()["items"]} == {
        milestone.pk,
        foreign_milestone.pk,
    }


def test_list_milestones_of_a_hidden_target_is_404(bureau, foreign_milestone):
    response = bureau.get("/milestones", {"target": foreign_milestone.target_id})
    assert response.status_code == 404


def test_list_milestones_refuses_bad_filters_and_anonymous(bureau, anonymous):
    assert bureau.get("/milestones", {"target": "abc"}).status_code == 400
    assert bureau.get("/milestones", {"page_size": 0}).status_code == 400
    assert anonymous.get("/milestones").status_code == 401


def test_office_edits_a_milestone(office, milestone):
    response = office.patch(
        f"/milestones/{milestone.pk}",
        {"text": "完成选址和设计", "due_date": f"{milestone.target.year}-11-15"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["text"] == "完成选址和设计"
    assert response.json()["due_date"] == f"{milestone.target.year}-11-15"
    event = AuditEvent.objects.for_target(milestone.target_id).last()
    assert event.before == {"阶段目标": "完成选址", "截止日期": f"{milestone.target.year}-12-31"}
    assert event.channel == "api"


def test_clearing_a_due_date_falls_back_to_the_periods_end(office, milestone):
    office.patch(f"/milestones/{milestone.pk}", {"due_date": f"{milestone.target.year}-11-15"})
    response = office.patch(f"/milestones/{milestone.pk}", {"due_date": None})
    assert response.json()["due_date"] == f"{milestone.target.year}-12-31"


@pytest.mark.parametrize("who", ["bureau", "leader_api", "finance"])
def test_only_office_staff_edit_milestones(request, milestone, who):
    response = request.getfixturevalue(who).patch(f"/milestones/{milestone.pk}", {"text": "改"})
    assert response.status_code == 403
    assert response.json()["detail"] == "只有督查员可以修改阶段目标"
    milestone.refresh_from_db()
    assert milestone.text == "完成选址"


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"text": ""}, "text"),
        ({"due_date": "下个月"}, "due_date"),
        ({"period": "2020-Q1"}, "period"),
    ],
)
def test_bad_milestone_edits_are_400(office, milestone, payload, field):
    response = office.patch(f"/milestones/{milestone.pk}", payload)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_editing_a_hidden_or_missing_milestone_is_404(bureau, foreign_milestone):
    assert bureau.patch(f"/milestones/{foreign_milestone.pk}", {"text": "x"}).status_code == 404
    assert bureau.patch("/milestones/999999", {"text": "x"}).status_code == 404
