"""Reading targets (only those the caller may see) and registering and correcting them."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from duban.audit.models import AuditEvent
from duban.supervision.models import Contribution
from duban.targets.models import Indicator, SourceCategory, Target

from .conftest import pdf, write_report

# --- GET /targets ------------------------------------------------------------------------


def ids(response):
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_list_shows_each_caller_only_what_they_may_see(
    office, bureau, finance, leader_api, acknowledged, foreign, registered
):
    assert ids(office.get("/targets")) == {acknowledged.pk, foreign.pk, registered.pk}
    assert ids(bureau.get("/targets")) == {acknowledged.pk}
    assert ids(finance.get("/targets")) == {acknowledged.pk}  # as a co-unit
    assert ids(leader_api.get("/targets")) == {acknowledged.pk}


def test_list_item_carries_state_units_leader_and_light(bureau, acknowledged):
    item = bureau.get("/targets").json()["items"][0]
    assert item["state"] == "in_progress" and item["state_label"] == "办理中"
    assert item["lead_unit"]["short_name"] == "市科技局"
    assert [u["short_name"] for u in item["co_units"]] == ["市财政局"]
    assert item["leader"]["name"] == "王副市长"
    assert item["light"] in {"green", "yellow", "red"}
    assert item["deadline"] == f"{timezone.localdate().year}-12-31"
    assert item["url"] == f"/targets/{acknowledged.pk}/"


def test_list_filters(office, make_target, city, leader):
    this_year = timezone.localdate().year
    a = make_target(year=this_year, text="高新技术企业达到300家", lead_unit=city["bureau"])
    b = make_target(
        year=this_year - 1,
        text="科技型中小企业入库",
        source_category=SourceCategory.WORK_REPORT,
        lead_unit=city["finance"],
        leader=leader,
        category="重点目标",
    )
    c = make_target(
        year=this_year,
        text="研发投入增长",
        state=Target.State.CLOSED,
        co_units=[city["bureau"]],
        deadline=datetime.date(2000, 1, 1),
    )
    d = make_target(year=this_year, text="逾期未办", deadline=datetime.date(2000, 1, 1))
    assert ids(office.get("/targets", {"year": this_year - 1})) == {b.pk}
    assert ids(office.get("/targets", {"source": "work_report"})) == {b.pk}
    assert ids(office.get("/targets", {"state": "closed"})) == {c.pk}
    assert ids(office.get("/targets", {"unit": city["bureau"].pk})) == {a.pk, c.pk}
    assert ids(office.get("/targets", {"leader": leader.pk})) == {b.pk}
    assert ids(office.get("/targets", {"light": "red"})) == {d.pk}
    assert ids(office.get("/targets", {"light": "done"})) == {c.pk}
    assert ids(office.get("/targets", {"category": "重点目标"})) == {b.pk}
    assert ids(office.get("/targets", {"q": "高新 300"})) == {a.pk}
    assert ids(office.get("/targets", {"q": "科学技术局"})) == {a.pk, c.pk}  # units are searched
    assert ids(office.get("/targets", {"year": this_year, "unit": city["bureau"].pk})) == {
        a.pk,
        c.pk,
    }


def test_list_is_paginated(office, make_target):
    made = [make_target().pk for _ in range(5)]
    first = office.get("/targets", {"page_size": 2}).json()
    assert (first["count"], first["pages"], first["page"], len(first["items"])) == (5, 3, 1, 2)
    seen = set()
    for page in (1, 2, 3):
        seen |= ids(office.get("/targets", {"page_size": 2, "page": page}))
    assert seen == set(made)
    assert office.get("/targets", {"page": 9}).json()["items"] == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({"state": "nonsense"}, "state"),
        ({"light": "purple"}, "light"),
        ({"year": "twenty"}, "year"),
        ({"page": 0}, "page"),
        ({"page_size": 1000}, "page_size"),
    ],
)
def test_list_refuses_nonsense_filters_with_400(office, params, field):
    response = office.get("/targets", params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_list_refuses_anonymous(anonymous):
    assert anonymous.get("/targets").status_code == 401


# --- GET /targets/{id} -------------------------------------------------------------------


def test_read_target(bureau, acknowledged, document):
    acknowledged.source_document = document
    acknowledged.span_start = document.text.index("高新")
    acknowledged.span_end = acknowledged.span_start + 14
    acknowledged.save()
    data = bureau.get(f"/targets/{acknowledged.pk}").json()
    assert data["id"] == acknowledged.pk
    assert data["text"] == "建设科技企业孵化器3家"
    assert data["source_text"] == "高新技术企业总数达到300家"
    assert data["source_document_id"] == document.pk


def test_read_another_units_target_is_404_like_a_missing_one(bureau, leader_api, foreign):
    for api in (bureau, leader_api):
        hidden = api.get(f"/targets/{foreign.pk}")
        missing = api.get("/targets/999999")
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json() == missing.json() == {"detail": "没有找到这个目标任务，或您无权查看"}


def test_read_target_refuses_anonymous(anonymous, acknowledged):
    assert anonymous.get(f"/targets/{acknowledged.pk}").status_code == 401


# --- POST /targets -----------------------------------------------------------------------


def test_office_registers_a_target(office):
    response = office.post(
        "/targets",
        {
            "year": 2026,
            "number": "12",
            "text": "新增省级以上创新平台15家以上",
            "source_category": "work_report",
            "deadline_text": "2026年6月底",
            "is_public": True,
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    target = Target.objects.get(pk=data["id"])
    assert data["state"] == "registered"
    assert target.deadline == datetime.date(2026, 6, 30)
    assert target.is_public
    event = AuditEvent.objects.for_target(target.pk).get()
    assert (event.action, event.channel, event.actor_name) == ("create", "api", "督查员甲")


def test_register_under_a_parent(office, registered):
    response = office.post("/targets", {"year": 2026, "text": "子目标", "parent_id": registered.pk})
    assert response.status_code == 201
    assert response.json()["parent_id"] == registered.pk
    missing = office.post("/targets", {"year": 2026, "text": "子目标", "parent_id": 99999})
    assert missing.status_code == 400 and "parent_id" in missing.json()["errors"]


def test_register_refuses_units_and_leaders(bureau, leader_api):
    for api in (bureau, leader_api):
        response = api.post("/targets", {"year": 2026, "text": "自己登记的目标"})
        assert response.status_code == 403
        assert response.json()["detail"] == "只有督查员可以登记目标"
    assert not Target.objects.exists()


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"year": 2026}, "text"),
        ({"year": 2026, "text": "   "}, "text"),
        ({"text": "没有年度"}, "year"),
        ({"year": 1800, "text": "太早"}, "year"),
        ({"year": 2026, "text": "x", "source_category": "rumour"}, "source_category"),
        ({"year": 2026, "text": "x", "deadline": "6月底"}, "deadline"),
        ({"year": 2026, "text": "x", "number": "1" * 31}, "number"),
        ({"year": 2026, "text": "x", "state": "closed"}, "state"),
    ],
)
def test_register_refuses_missing_or_bad_fields_with_400(office, payload, field):
    response = office.post("/targets", payload)
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"], body
    assert body["detail"].startswith("信息不完整或有误")
    assert not Target.objects.exists()


def test_register_refuses_a_body_that_is_not_json(office):
    response = office.client.post("/api/targets", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


# --- PATCH /targets/{id} -----------------------------------------------------------------


def test_office_corrects_a_target_and_the_trail_keeps_the_old_values(office, acknowledged):
    response = office.patch(
        f"/targets/{acknowledged.pk}", {"text": "建设科技企业孵化器5家", "deadline_text": "9月底前"}
    )
    assert response.status_code == 200, response.content
    acknowledged.refresh_from_db()
    assert acknowledged.text == "建设科技企业孵化器5家"
    assert acknowledged.deadline == datetime.date(acknowledged.year, 9, 30)  # read from the text
    event = AuditEvent.objects.for_target(acknowledged.pk).last()
    assert event.action == "update" and event.channel == "api"
    assert event.before["目标内容"] == "建设科技企业孵化器3家"
    assert event.after["目标内容"] == "建设科技企业孵化器5家"


def test_patch_changes_only_what_is_sent(office, acknowledged):
    before = Target.objects.filter(pk=acknowledged.pk).values().get()
    assert office.patch(f"/targets/{acknowledged.pk}", {"title": "孵化器"}).status_code == 200
    after = Target.objects.filter(pk=acknowledged.pk).values().get()
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"title", "search_text", "updated_at"}


def test_patch_refuses_units(bureau, acknowledged):
    response = bureau.patch(f"/targets/{acknowledged.pk}", {"text": "改小一点"})
    assert response.status_code == 403
    acknowledged.refresh_from_db()
    assert acknowledged.text == "建设科技企业孵化器3家"


def test_patch_refuses_bad_fields_and_fields_of_the_loop(office, acknowledged):
    assert office.patch(f"/targets/{acknowledged.pk}", {"text": ""}).status_code == 400
    assert office.patch(f"/targets/{acknowledged.pk}", {"year": None}).status_code == 400
    response = office.patch(f"/targets/{acknowledged.pk}", {"state": "closed"})
    assert response.status_code == 400 and "state" in response.json()["errors"]
    acknowledged.refresh_from_db()
    assert acknowledged.state == Target.State.IN_PROGRESS


def test_patch_refuses_a_parent_that_would_make_a_loop(office, make_target):
    parent = make_target()
    child = make_target(parent=parent)
    response = office.patch(f"/targets/{parent.pk}", {"parent_id": child.pk})
    assert response.status_code == 400
    assert "parent" in response.json()["errors"]


def test_patch_of_a_hidden_or_missing_target_is_404(bureau, foreign):
    assert bureau.patch(f"/targets/{foreign.pk}", {"title": "x"}).status_code == 404
    assert bureau.patch("/targets/999999", {"title": "x"}).status_code == 404


# --- GET /targets/{id}/milestones, reports, indicators, timeline, contributions ----------


def test_target_milestones(bureau, acknowledged):
    acknowledged.milestones.create(period=f"{acknowledged.year}-Q4", text="完成选址")
    data = bureau.get(f"/targets/{acknowledged.pk}/milestones").json()
    assert [(m["period"], m["text"]) for m in data] == [(f"{acknowledged.year}-Q4", "完成选址")]
    assert data[0]["due_date"] == f"{acknowledged.year}-12-31"
    assert data[0]["period_label"] == f"{acknowledged.year}年第四季度"


def test_target_reports_with_evidence_metadata(leader_api, acknowledged, bureau_user):
    report = write_report(bureau_user, acknowledged, uploads=[pdf("选址报告.pdf")])
    data = leader_api.get(f"/targets/{acknowledged.pk}/reports").json()
    assert [r["id"] for r in data] == [report.pk]
    assert data[0]["review_state"] == "submitted"
    assert data[0]["submitted_by"] == "科技局填报员"
    [evidence] = data[0]["evidence"]
    assert evidence["name"] == "选址报告.pdf"
    assert evidence["size"] == len(b"%PDF-1.4 evidence")
    assert evidence["download_url"] == f"/api/evidence/{evidence['id']}/download"


def test_target_indicators(bureau, acknowledged):
    Indicator.objects.create(
        target=acknowledged, subject="孵化器", value=Decimal("3"), unit="家", comparator=">="
    )
    [data] = bureau.get(f"/targets/{acknowledged.pk}/indicators").json()
    assert (data["subject"], data["value"], data["display_value"]) == ("孵化器", "3", "≥3家")
    assert data["kind"] == "target" and data["kind_label"] == "目标值"


def test_target_timeline(office, acknowledged):
    office.post(f"/targets/{acknowledged.pk}/chase", {"message": "请本周内报送"})
    data = office.get(f"/targets/{acknowledged.pk}/timeline").json()
    summaries = [e["summary"] for e in data]
    assert summaries[:1] == [""] and "交办" in summaries and "签收" in summaries
    assert summaries[-1] == "人工催办"
    assert data[-1]["after"] == {"催办内容": "请本周内报送"}
    assert data[-1]["channel"] == "api"
    assert data[0]["object_type"] == "目标任务"


def test_target_contributions(bureau, acknowledged, city, finance_user):
    Contribution.objects.create(
        target=acknowledged, period="2026-Q4", unit=city["finance"], text="已拨付资金"
    )
    [data] = bureau.get(f"/targets/{acknowledged.pk}/contributions").json()
    assert (data["unit"]["short_name"], data["text"]) == ("市财政局", "已拨付资金")


@pytest.mark.parametrize(
    "part", ["milestones", "reports", "indicators", "timeline", "contributions"]
)
def test_parts_of_a_hidden_target_are_404(bureau, foreign, part):
    response = bureau.get(f"/targets/{foreign.pk}/{part}")
    assert response.status_code == 404
    assert response.json()["detail"] == "没有找到这个目标任务，或您无权查看"


@pytest.mark.parametrize(
    "part", ["milestones", "reports", "indicators", "timeline", "contributions"]
)
def test_parts_of_a_target_refuse_anonymous(anonymous, acknowledged, part):
    assert anonymous.get(f"/targets/{acknowledged.pk}/{part}").status_code == 401
