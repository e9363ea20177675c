"""Deadline extensions (延期申请) and leaders' instructions (领导批示) over the API: the same
steps, permissions and refusals as the pages."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from duban.supervision.models import DeadlineExtension, Instruction, Notification
from duban.targets.models import Target
from tests.api.conftest import Api, token_client
from tests.qingxi import *  # noqa: F403

pytestmark = pytest.mark.django_db


def days(n):
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


@pytest.fixture
def api(qx_office, qx_bureau, qx_leader, qx_yuntai, qx_finance, qx_other_leader):
    return {
        "office": token_client(qx_office),
        "bureau": token_client(qx_bureau),
        "leader": token_client(qx_leader),
        "yuntai": token_client(qx_yuntai),
        "finance": token_client(qx_finance),
        "other_leader": token_client(qx_other_leader),
    }


def ask(api, target, **data):
    body = {"requested_deadline": days(60), "reason": "配套资金下达推迟"}
    body.update(data)
    return api["bureau"].post(f"/targets/{target.pk}/extensions", body)


def test_request_review_approve_through_the_api(api, qx_target, qx_bureau):
    response = ask(api, qx_target)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "pending" and body["state_label"] == "待审核"
    assert body["old_deadline"] == qx_target.deadline.isoformat()
    assert body["requested_by"] == "周科技局填报员"
    pk = body["id"]

    listed = api["bureau"].get(f"/targets/{qx_target.pk}/extensions").json()
    assert [e["id"] for e in listed] == [pk]

    reviewed = api["office"].post(f"/extensions/{pk}/decision", {"decision": "approve"})
    assert reviewed.status_code == 200
    assert reviewed.json()["state"] == "awaiting_leader"
    approved = api["leader"].post(
        f"/extensions/{pk}/decision", {"decision": "approve", "comment": "同意"}
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["state"] == "approved"
    assert approved.json()["leader_comment"] == "同意"
    target = api["bureau"].get(f"/targets/{qx_target.pk}").json()
    assert target["deadline"] == days(60)
    assert target["extension_count"] == 1
    extended = api["office"].get("/targets", {"extended": "true"}).json()
    assert [t["id"] for t in extended["items"]] == [qx_target.pk]
    assert api["office"].get("/targets", {"extended": "false"}).json()["count"] == 0
    assert Notification.objects.filter(user=qx_bureau, kind="extension_decided").exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"reason": ""}, "reason", "请填写延期理由"),
        ({"requested_deadline": None}, "requested_deadline", "请填写申请延至的日期"),
        ({"requested_deadline": "明年"}, "requested_deadline", "应为日期"),
        ({"extra": 1}, "extra", "不支持此字段"),
    ],
)
def test_incomplete_requests_are_refused(api, qx_target, body, field, message):
    response = ask(api, qx_target, **body)
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])
    assert not DeadlineExtension.objects.exists()


def test_refusals_of_the_request(api, make_qx_target, qx_target):
    assert ask(api, make_qx_target(days=-3)).status_code == 409
    response = api["office"].post(
        f"/targets/{qx_target.pk}/extensions", {"requested_deadline": days(60), "reason": "x"}
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "只有牵头单位可以申请延期"
    response = api["yuntai"].post(
        f"/targets/{qx_target.pk}/extensions", {"requested_deadline": days(60), "reason": "x"}
    )
    assert response.status_code == 404
    assert not DeadlineExtension.objects.exists()
    assert ask(api, qx_target).status_code == 201
    second = ask(api, qx_target, requested_deadline=days(90))
    assert second.status_code == 409
    assert "已有待审批的延期申请" in second.json()["detail"]


def test_refusals_of_the_decision(api, qx_target):
    pk = ask(api, qx_target).json()["id"]
    unit = api["bureau"].post(f"/extensions/{pk}/decision", {"decision": "approve"})
    assert unit.status_code == 403
    assert unit.json()["detail"] == "只有督查员可以审核延期申请"
    no_reason = api["office"].post(f"/extensions/{pk}/decision", {"decision": "refuse"})
    assert no_reason.status_code == 400
    assert no_reason.json()["errors"]["comment"] == ["不同意延期时请填写理由"]
    missing = api["office"].post(f"/extensions/{pk}/decision", {})
    assert missing.status_code == 400
    assert api["yuntai"].get(f"/extensions/{pk}").status_code == 404
    assert (
        api["other_leader"].post(f"/extensions/{pk}/decision", {"decision": "approve"}).status_code
        == 404
    )
    assert DeadlineExtension.objects.get().state == "pending"
    refused = api["office"].post(
        f"/extensions/{pk}/decision", {"decision": "refuse", "comment": "请按期完成"}
    )
    assert refused.json()["state"] == "refused"
    again = api["office"].post(f"/extensions/{pk}/decision", {"decision": "approve"})
    assert again.status_code == 409
    assert Target.objects.get(pk=qx_target.pk).deadline == qx_target.deadline


def test_the_unit_withdraws_its_request_through_the_api(api, qx_target):
    pk = ask(api, qx_target).json()["id"]
    for who, status, words in (
        ("office", 403, "只有提出申请的单位可以撤回延期申请"),
        ("leader", 403, "只有提出申请的单位可以撤回延期申请"),
        ("finance", 403, "只有提出申请的单位可以撤回延期申请"),
        ("yuntai", 404, "没有找到这个延期申请"),
    ):
        response = api[who].post(f"/extensions/{pk}/withdraw")
        assert response.status_code == status, who
        assert words in response.json()["detail"]
    assert DeadlineExtension.objects.get().state == "pending"

    withdrawn = api["bureau"].post(f"/extensions/{pk}/withdraw")
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["state"] == "withdrawn"
    assert withdrawn.json()["state_label"] == "已撤回"
    again = api["bureau"].post(f"/extensions/{pk}/withdraw")
    assert again.status_code == 409
    assert again.json()["detail"] == "该延期申请已撤回，无需再次撤回"
    decided = api["office"].post(f"/extensions/{pk}/decision", {"decision": "approve"})
    assert decided.status_code == 409
    assert decided.json()["detail"] == "该延期申请已由申请单位撤回，不能再审批"
    assert Target.objects.get(pk=qx_target.pk).deadline == qx_target.deadline
    # The unit may ask again.
    assert ask(api, qx_target).status_code == 201


def test_a_decided_request_cannot_be_withdrawn_through_the_api(api, qx_target, settings):
    settings.DUBAN_EXTENSION_LEADER_APPROVAL = False
    pk = ask(api, qx_target).json()["id"]
    api["office"].post(f"/extensions/{pk}/decision", {"decision": "approve"})
    response = api["bureau"].post(f"/extensions/{pk}/withdraw")
    assert response.status_code == 409
    assert response.json()["detail"] == "该延期申请已审批（已批准），不能撤回"
    assert DeadlineExtension.objects.get().state == "approved"


def test_session_callers_need_the_csrf_header(qx_bureau, qx_target):
    client = Api(Client(enforce_csrf_checks=True))
    client.client.force_login(qx_bureau)
    response = ask({"bureau": client}, qx_target)
    assert response.status_code == 403
    assert not DeadlineExtension.objects.exists()


# --- instructions ---------------------------------------------------------------------------


def test_the_leader_instructs_through_the_api(api, qx_target, qx_bureau):
    response = api["leader"].post(
        f"/targets/{qx_target.pk}/instructions", {"text": "请市科技局加快推进，月底前报送进展"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["leader"]["name"] == "陈明" and body["origin"] == "online"
    listed = api["bureau"].get(f"/targets/{qx_target.pk}/instructions").json()
    assert [i["text"] for i in listed] == ["请市科技局加快推进，月底前报送进展"]
    assert Notification.objects.filter(user=qx_bureau, kind="instruction").exists()


def test_instruction_refusals(api, qx_target):
    for who, status in (("bureau", 403), ("office", 403), ("other_leader", 404)):
        response = api[who].post(f"/targets/{qx_target.pk}/instructions", {"text": "加快推进"})
        assert response.status_code == status
    empty = api["leader"].post(f"/targets/{qx_target.pk}/instructions", {"text": " "})
    assert empty.status_code == 400
    assert empty.json()["errors"]["text"] == ["请填写批示内容"]
    assert not Instruction.objects.exists()


def test_office_registers_an_instruction_document(api, qx_leader):
    body = {
        "year": timezone.localdate().year,
        "leader": qx_leader.person.pk,
        "instruction": "请云台县政府抓紧落实科创飞地选址",
        "deadline": days(30),
        "source_label": "青溪领批〔2026〕15号",
    }
    response = api["office"].post("/instruction-documents", body)
    assert response.status_code == 201, response.content
    target = response.json()
    assert target["source_category"] == "instruction"
    assert target["source_category_label"] == "领导批示"
    assert target["leader"]["id"] == qx_leader.person.pk
    assert target["deadline"] == days(30)
    assert Instruction.objects.get().origin == "document"

    refused = api["bureau"].post("/instruction-documents", body)
    assert refused.status_code == 403
    missing = api["office"].post("/instruction-documents", {"year": body["year"]})
    assert missing.status_code == 400
    assert set(missing.json()["errors"]) == {"leader", "instruction", "deadline"}
    unknown = api["office"].post("/instruction-documents", {**body, "leader": 999999})
    assert unknown.status_code == 400
    assert Target.objects.count() == 1
