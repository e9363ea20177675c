"""Progress reports through the API: the lead unit writes and revises them (with the
optimistic lock), uploads evidence; the office accepts or returns them; co-units contribute."""

import threading

import pytest
from django.db import connection
from django.test import override_settings

from duban.supervision.models import Contribution
from duban.targets.models import Evidence, ProgressReport

from .conftest import pdf, period_now, token_client, write_report

# --- POST /targets/{id}/reports ----------------------------------------------------------


def report_payload(**overrides):
    return {
        "period": period_now(),
        "progress": "已完成孵化器选址",
        "is_complete": False,
        "reason": "土地手续在办理",
        "next_steps": "下季度开工",
        **overrides,
    }


def test_lead_unit_submits_a_report(bureau, acknowledged):
    response = bureau.post(f"/targets/{acknowledged.pk}/reports", report_payload())
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["review_state"] == "submitted"
    assert data["status_text"] == "未完成"
    assert data["submitted_by"] == "科技局填报员"
    assert data["unit"]["short_name"] == "市科技局"
    assert data["version"] == 1


def test_lead_unit_saves_a_draft(bureau, acknowledged):
    response = bureau.post(
        f"/targets/{acknowledged.pk}/reports", {"period": period_now(), "submit": False}
    )
    assert response.status_code == 201
    assert response.json()["review_state"] == "draft"


@pytest.mark.parametrize("who", ["leader_api", "finance", "office"])
def test_only_the_lead_unit_reports(request, acknowledged, who):
    response = request.getfixturevalue(who).post(
        f"/targets/{acknowledged.pk}/reports", report_payload()
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "只有已签收目标的牵头单位可以报送进展"
    assert not ProgressReport.objects.exists()


def test_report_before_acknowledging_is_refused(bureau, assigned):
    assert bureau.post(f"/targets/{assigned.pk}/reports", report_payload()).status_code == 403


def test_report_on_a_hidden_target_is_404(bureau, foreign):
    assert bureau.post(f"/targets/{foreign.pk}/reports", report_payload()).status_code == 404


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"period": None}, "period"),
        ({"period": "2026年第一季度"}, "period"),
        ({"progress": ""}, "progress"),
        ({"is_complete": None}, "is_complete"),
        ({"reason": ""}, "reason"),  # not complete, and no reason
    ],
)
def test_an_incomplete_report_is_400(bureau, acknowledged, payload, field):
    data = {k: v for k, v in report_payload(**payload).items() if v is not None or k != "period"}
    response = bureau.post(f"/targets/{acknowledged.pk}/reports", data)
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not ProgressReport.objects.exists()


def test_a_period_answers_in_chinese(bureau, acknowledged):
    response = bureau.post(f"/targets/{acknowledged.pk}/reports", report_payload(period="Q1"))
    assert response.json()["errors"] == {
        "period": ["期次格式应为 2022、2022-Q1、2022-H1 或 2022-M03"]
    }


def test_a_second_report_for_a_period_already_submitted_is_409(bureau, submitted):
    response = bureau.post(f"/targets/{submitted.target_id}/reports", report_payload())
    assert response.status_code == 409
    assert response.json()["detail"] == "本期进展已报送，请等待审核结果"


def test_a_second_report_while_a_draft_is_open_is_409(bureau, draft):
    response = bureau.post(f"/targets/{draft.target_id}/reports", report_payload())
    assert response.status_code == 409
    assert f"编号 {draft.pk}" in response.json()["detail"]
    assert ProgressReport.objects.count() == 1


# --- GET /reports/{id} -------------------------------------------------------------------


def test_read_a_report(leader_api, finance, submitted):
    for api in (leader_api, finance):
        data = api.get(f"/reports/{submitted.pk}").json()
        assert data["id"] == submitted.pk and data["progress"] == "已完成孵化器选址"


def test_read_a_report_flags_what_does_not_add_up(bureau, acknowledged, bureau_user):
    report = write_report(bureau_user, acknowledged, is_complete=True, reason="是")
    assert bureau.get(f"/reports/{report.pk}").json()["flags"] == [
        "已标为完成，但“未完成原因”填写了“是”"
    ]


def test_read_another_units_report_is_404(bureau, foreign, office_user, city):
    report = ProgressReport.objects.create(
        target=foreign, period="2026-Q1", unit=city["industry"], progress="技改"
    )
    assert bureau.get(f"/reports/{report.pk}").status_code == 404
    assert bureau.get("/reports/999999").status_code == 404


def test_read_a_report_refuses_anonymous(anonymous, submitted):
    assert anonymous.get(f"/reports/{submitted.pk}").status_code == 401


# --- PATCH /reports/{id} -----------------------------------------------------------------


def test_revise_a_draft_and_submit_it(bureau, draft):
    response = bureau.patch(
        f"/reports/{draft.pk}",
        {"version": draft.version, "progress": "孵化器已开工", "submit": True},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["progress"] == "孵化器已开工"
    assert data["next_steps"] == "推进建设"  # not sent, kept
    assert data["review_state"] == "submitted"
    assert data["version"] == draft.version + 1


def test_revise_a_returned_report(bureau, office_user, submitted):
    submitted.return_for_revision(office_user, "请补充佐证")
    response = bureau.patch(
        f"/reports/{submitted.pk}", {"version": submitted.version, "progress": "补充了进展"}
    )
    assert response.status_code == 200
    assert response.json()["review_state"] == "returned"


def test_a_stale_version_is_409_and_changes_nothing(bureau, draft):
    first = bureau.patch(f"/reports/{draft.pk}", {"version": draft.version, "progress": "甲的修改"})
    assert first.status_code == 200
    second = bureau.patch(
        f"/reports/{draft.pk}", {"version": draft.version, "progress": "乙的修改"}
    )
    assert second.status_code == 409
    assert "已被他人修改" in second.json()["detail"]
    draft.refresh_from_db()
    assert draft.progress == "甲的修改"
    assert draft.version == first.json()["version"]


def test_revise_without_a_version_is_400(bureau, draft):
    response = bureau.patch(f"/reports/{draft.pk}", {"progress": "没带版本"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"version": ["必须填写此项"]}


def test_submitting_an_incomplete_revision_is_400(bureau, draft):
    response = bureau.patch(
        f"/reports/{draft.pk}", {"version": draft.version, "is_complete": None, "submit": True}
    )
    assert response.status_code == 400 and "is_complete" in response.json()["errors"]
    draft.refresh_from_db()
    assert draft.review_state == "draft" and draft.is_complete is True


def test_a_submitted_or_accepted_report_cannot_be_revised(bureau, office_user, submitted):
    response = bureau.patch(f"/reports/{submitted.pk}", {"version": submitted.version})
    assert response.status_code == 409
    assert response.json()["detail"] == "报送当前为“待审核”，不能修改"
    submitted.accept(office_user)
    response = bureau.patch(
        f"/reports/{submitted.pk}", {"version": submitted.version, "progress": "改"}
    )
    assert response.status_code == 409
    submitted.refresh_from_db()
    assert submitted.progress == "已完成孵化器选址"


@pytest.mark.parametrize("who", ["leader_api", "finance", "office"])
def test_only_the_lead_unit_revises(request, draft, who):
    response = request.getfixturevalue(who).patch(
        f"/reports/{draft.pk}", {"version": draft.version, "progress": "别人改的"}
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.progress == "已完成孵化器选址"


def test_revise_refuses_unknown_fields(bureau, draft):
    response = bureau.patch(f"/reports/{draft.pk}", {"version": draft.version, "period": "2020"})
    assert response.status_code == 400 and "period" in response.json()["errors"]


def test_revise_another_units_report_is_404(bureau, foreign, city):
    report = ProgressReport.objects.create(
        target=foreign, period="2026-Q1", unit=city["industry"], progress="技改"
    )
    assert bureau.patch(f"/reports/{report.pk}", {"version": 1}).status_code == 404


# --- POST /reports/{id}/accept and /return -----------------------------------------------


def test_office_accepts_a_report(office, submitted):
    response = office.post(f"/reports/{submitted.pk}/accept", {"comment": "同意"})
    assert response.status_code == 200
    data = response.json()
    assert (data["review_state"], data["review_comment"], data["reviewed_by"]) == (
        "accepted",
        "同意",
        "督查员甲",
    )


def test_accept_refuses_a_unit(bureau, submitted):
    response = bureau.post(f"/reports/{submitted.pk}/accept")
    assert response.status_code == 403
    assert response.json()["detail"] == "只有督查员可以审核报送"
    submitted.refresh_from_db()
    assert submitted.review_state == "submitted"


def test_accept_a_draft_is_409(office, draft):
    response = office.post(f"/reports/{draft.pk}/accept")
    assert response.status_code == 409
    assert response.json()["detail"] == "报送当前为“草稿”，不能审核通过"


def test_accept_a_missing_report_is_404(office):
    assert office.post("/reports/999999/accept").status_code == 404


def test_office_returns_a_report_with_a_comment(office, submitted, bureau_user):
    response = office.post(f"/reports/{submitted.pk}/return", {"comment": "请补充佐证材料"})
    assert response.status_code == 200
    assert response.json()["review_state"] == "returned"
    submitted.target.refresh_from_db()
    assert submitted.target.return_count == 1
    assert bureau_user.notifications.filter(kind="returned").exists()


@pytest.mark.parametrize("payload", [{}, {"comment": ""}, {"comment": "   "}])
def test_return_without_a_comment_is_400(office, submitted, payload):
    response = office.post(f"/reports/{submitted.pk}/return", payload)
    assert response.status_code == 400
    assert "comment" in response.json()["errors"]
    submitted.refresh_from_db()
    assert submitted.review_state == "submitted"


def test_return_refuses_a_unit(bureau, submitted):
    assert bureau.post(f"/reports/{submitted.pk}/return", {"comment": "退"}).status_code == 403


def test_return_an_accepted_report_is_409(office, office_user, submitted):
    submitted.accept(office_user)
    assert office.post(f"/reports/{submitted.pk}/return", {"comment": "再看看"}).status_code == 409


# --- POST /reports/{id}/evidence and GET /evidence/{id}/download -------------------------


def test_lead_unit_uploads_evidence(bureau, draft):
    response = bureau.upload(
        f"/reports/{draft.pk}/evidence", pdf("选址报告.pdf"), pdf("照片.jpg", b"\xff\xd8jpeg")
    )
    assert response.status_code == 201, response.content
    names = [e["name"] for e in response.json()]
    assert names == ["选址报告.pdf", "照片.jpg"]
    assert [e.name for e in draft.evidence.all()] == names
    assert draft.evidence.first().uploaded_by.username == "bureau"


@pytest.mark.parametrize(
    "upload, message",
    [
        (pdf("空的.pdf", b""), "是空文件"),
        (pdf("病毒.exe", b"MZ"), "文件类型不允许上传"),
    ],
)
def test_evidence_of_a_forbidden_kind_is_400(bureau, draft, upload, message):
    response = bureau.upload(f"/reports/{draft.pk}/evidence", pdf("好的.pdf"), upload)
    assert response.status_code == 400
    assert message in response.json()["errors"]["evidence"][0]
    assert not Evidence.objects.exists()  # none of them is kept


@override_settings(DUBAN_EVIDENCE_MAX_BYTES=10)
def test_evidence_over_the_size_limit_is_400(bureau, draft):
    response = bureau.upload(f"/reports/{draft.pk}/evidence", pdf("大.pdf", b"x" * 11))
    assert response.status_code == 400
    assert "大小限制" in response.json()["detail"]


def test_evidence_without_files_is_400(bureau, draft):
    response = bureau.client.post(f"/api/reports/{draft.pk}/evidence", {})
    assert response.status_code == 400
    assert "files" in response.json()["errors"]


@pytest.mark.parametrize("who", ["leader_api", "finance", "office"])
def test_only_the_lead_unit_uploads_evidence(request, draft, who):
    response = request.getfixturevalue(who).upload(f"/reports/{draft.pk}/evidence", pdf())
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_evidence_on_a_submitted_report_is_409(bureau, submitted):
    assert bureau.upload(f"/reports/{submitted.pk}/evidence", pdf()).status_code == 409


def test_evidence_on_another_units_report_is_404(bureau, foreign, city):
    report = ProgressReport.objects.create(
        target=foreign, period="2026-Q1", unit=city["industry"], progress="技改"
    )
    assert bureau.upload(f"/reports/{report.pk}/evidence", pdf()).status_code == 404


def test_download_evidence(leader_api, acknowledged, bureau_user):
    report = write_report(bureau_user, acknowledged, uploads=[pdf("选址报告.pdf", b"%PDF-1.4 ok")])
    evidence = report.evidence.get()
    response = leader_api.get(f"/evidence/{evidence.pk}/download")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 ok"
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]


def test_download_another_units_evidence_is_404(bureau, foreign, city, industry_evidence):
    response = bureau.get(f"/evidence/{industry_evidence.pk}/download")
    assert response.status_code == 404
    assert response.json()["detail"] == "没有找到这个文件，或您无权查看"
    assert bureau.get("/evidence/999999/download").status_code == 404


def test_download_refuses_anonymous(anonymous, industry_evidence):
    assert anonymous.get(f"/evidence/{industry_evidence.pk}/download").status_code == 401


@pytest.fixture
def industry_evidence(foreign, city):
    report = ProgressReport.objects.create(
        target=foreign, period="2026-Q1", unit=city["industry"], progress="技改"
    )
    return Evidence.objects.create(report=report, file=pdf("技改.pdf"), name="技改.pdf", size=10)


# --- POST /targets/{id}/contributions ----------------------------------------------------


def test_co_unit_contributes(finance, acknowledged):
    response = finance.post(
        f"/targets/{acknowledged.pk}/contributions",
        {"period": period_now(), "text": "已拨付孵化器建设资金200万元"},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["unit"]["short_name"] == "市财政局"
    assert data["created_by"] == "财政局填报员"
    assert Contribution.objects.get().text == "已拨付孵化器建设资金200万元"


@pytest.mark.parametrize("who", ["bureau", "leader_api", "office"])
def test_only_a_co_unit_contributes(request, acknowledged, who):
    response = request.getfixturevalue(who).post(
        f"/targets/{acknowledged.pk}/contributions", {"period": period_now(), "text": "协办"}
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "只有协办单位可以填写协办情况"


@pytest.mark.parametrize("payload", [{"text": "缺期次"}, {"period": "2026-Q4", "text": " "}])
def test_an_incomplete_contribution_is_400(finance, acknowledged, payload):
    assert finance.post(f"/targets/{acknowledged.pk}/contributions", payload).status_code == 400


def test_contribution_before_acknowledgement_is_refused(finance, assigned):
    response = finance.post(
        f"/targets/{assigned.pk}/contributions", {"period": period_now(), "text": "协办"}
    )
    assert response.status_code == 403


def test_contribution_on_a_hidden_target_is_404(finance, foreign):
    response = finance.post(
        f"/targets/{foreign.pk}/contributions", {"period": period_now(), "text": "协办"}
    )
    assert response.status_code == 404


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one writing transaction at a time"
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_the_same_report_posted_twice_at_once_is_stored_once(bureau_user, acknowledged, attempt):
    """Issue 12: a client retrying at once stored two submitted reports on PostgreSQL."""
    clients = [token_client(bureau_user), token_client(bureau_user)]
    barrier = threading.Barrier(2)
    answers = []

    def post(client):
        try:
            barrier.wait()
            answers.append(client.post(f"/targets/{acknowledged.pk}/reports", report_payload()))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(a.status_code for a in answers) == [201, 409], [a.content for a in answers]
    refused = next(a for a in answers if a.status_code == 409)
    assert refused.json()["detail"] == "本期进展已报送，请等待审核结果"
    assert acknowledged.reports.filter(review_state="submitted").count() == 1


def test_a_second_report_of_the_period_is_refused_409(bureau, submitted):
    response = bureau.post(f"/targets/{submitted.target_id}/reports", report_payload())
    assert response.status_code == 409
    assert response.json()["detail"] == "本期进展已报送，请等待审核结果"
