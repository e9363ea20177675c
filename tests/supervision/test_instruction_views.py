"""Leaders' instructions (领导批示): the leader in charge writes one on a target
(/targets/<id>/instruct/), and office staff register an instruction document as a new target
of source 领导批示 (/instructions/new/). Every refusal writes nothing."""

import datetime

import pytest
from django.utils import timezone

from duban.audit.models import AuditEvent
from duban.supervision.models import Instruction, Notification
from duban.targets.models import Target
from tests.qingxi import *  # noqa: F403

pytestmark = pytest.mark.django_db

WORDS = "请市科技局加快推进，月底前报送进展"


def instruct(client, target, text=WORDS):
    return client.post(f"/targets/{target.pk}/instruct/", {"text": text})


def test_the_leader_instructs_the_unit_is_told_and_the_page_shows_it(
    client, qx_leader, qx_bureau, qx_office, qx_finance, qx_target
):
    client.force_login(qx_leader)
    html = client.get(f"/targets/{qx_target.pk}/").content.decode()
    assert 'id="instruction-form"' in html
    assert instruct(client, qx_target).status_code == 302
    instruction = Instruction.objects.get(target=qx_target)
    assert instruction.leader == qx_leader.person and instruction.origin == "online"
    for user in (qx_bureau, qx_office):
        notice = Notification.objects.get(user=user, kind="instruction")
        assert WORDS in notice.message and "陈明" in notice.message
    assert not Notification.objects.filter(user=qx_finance).exists()  # the lead unit is told
    event = AuditEvent.objects.get(target_id=qx_target.pk, object_type__model="instruction")
    assert event.after["批示内容"] == WORDS
    client.force_login(qx_bureau)
    html = client.get(f"/targets/{qx_target.pk}/").content.decode()
    assert WORDS in html and "陈明" in html
    assert 'id="instruction-form"' not in html


@pytest.mark.parametrize("user", ["qx_bureau", "qx_finance", "qx_office"])
def test_only_the_leader_in_charge_instructs(client, qx_target, user, request):
    client.force_login(request.getfixturevalue(user))
    response = instruct(client, qx_target)
    assert response.status_code == 403
    assert "只有该目标的分管领导可以作出批示" in response.content.decode()
    assert not Instruction.objects.exists()
    assert not Notification.objects.exists()


def test_another_leaders_target_is_not_found(client, qx_other_leader, qx_target):
    client.force_login(qx_other_leader)
    assert instruct(client, qx_target).status_code == 404
    assert not Instruction.objects.exists()


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_instruction_is_refused(client, qx_leader, qx_target, text):
    client.force_login(qx_leader)
    response = instruct(client, qx_target, text)
    assert response.status_code == 400
    assert "请填写批示内容" in response.content.decode()
    assert not Instruction.objects.exists()


def test_a_closed_target_takes_no_instruction(client, qx_leader, make_qx_target):
    target = make_qx_target(state=Target.State.CLOSED)
    client.force_login(qx_leader)
    response = instruct(client, target)
    assert response.status_code == 409
    assert "目标已办结" in response.content.decode()
    assert not Instruction.objects.exists()


def test_instructing_needs_a_post(client, qx_leader, qx_target):
    client.force_login(qx_leader)
    assert client.get(f"/targets/{qx_target.pk}/instruct/").status_code == 405


# --- registering an instruction document ---------------------------------------------------


def document(who, **overrides):
    data = {
        "year": timezone.localdate().year,
        "source_label": "青溪领批〔2026〕12号",
        "leader": who.person.pk,
        "instruction": "请市科技局牵头，会同云台县研究科创飞地建设方案",
        "number": "批12",
        "title": "云台县科创飞地建设",
        "text": "",
        "deadline": (timezone.localdate() + datetime.timedelta(days=45)).isoformat(),
    }
    data.update(overrides)
    return data


def test_office_registers_an_instruction_document_as_a_target(client, qx_office, qx_leader):
    client.force_login(qx_office)
    page = client.get("/instructions/new/")
    assert page.status_code == 200 and "登记批示件" in page.content.decode()
    response = client.post("/instructions/new/", document(qx_leader))
    assert response.status_code == 302
    target = Target.objects.get()
    assert target.source_category == "instruction"
    assert target.get_source_category_display() == "领导批示"
    assert target.leader == qx_leader.person
    assert target.text == "请市科技局牵头，会同云台县研究科创飞地建设方案"
    assert target.source_label == "青溪领批〔2026〕12号"
    assert target.deadline == timezone.localdate() + datetime.timedelta(days=45)
    assert target.state == Target.State.REGISTERED
    instruction = Instruction.objects.get(target=target)
    assert instruction.origin == "document" and instruction.created_by == qx_office
    assert response["Location"] == f"/targets/{target.pk}/"
    summaries = set(AuditEvent.objects.for_target(target.pk).values_list("summary", flat=True))
    assert "登记批示件" in summaries
    html = client.get(f"/targets/{target.pk}/").content.decode()
    assert "批示件登记" in html and "科创飞地" in html


def test_the_matter_may_differ_from_the_instruction(client, qx_office, qx_leader):
    client.force_login(qx_office)
    client.post("/instructions/new/", document(qx_leader, text="编制科创飞地建设方案"))
    assert Target.objects.get().text == "编制科创飞地建设方案"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("leader", "", "请选择批示领导"),
        ("instruction", "", "请填写批示内容"),
        ("deadline", "", "请填写完成时限"),
        ("year", "", "请填写年度"),
        ("year", "1800", "年度应在 1990 到 2100 之间"),
        ("deadline", "2000-01-01", "完成时限不能早于今天"),
        ("leader", "999999", "所选领导不存在"),
    ],
)
def test_incomplete_documents_are_refused(client, qx_office, qx_leader, field, value, message):
    client.force_login(qx_office)
    response = client.post("/instructions/new/", document(qx_leader, **{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Target.objects.exists() and not Instruction.objects.exists()


def test_a_unit_user_is_not_the_leader_of_a_document(client, qx_office, qx_leader, qx_bureau):
    client.force_login(qx_office)
    response = client.post("/instructions/new/", document(qx_leader, leader=qx_bureau.person.pk))
    assert response.status_code == 400
    assert not Target.objects.exists()


@pytest.mark.parametrize("user", ["qx_bureau", "qx_leader"])
def test_only_office_staff_register_documents(client, qx_leader, user, request):
    client.force_login(request.getfixturevalue(user))
    assert client.get("/instructions/new/").status_code == 403
    response = client.post("/instructions/new/", document(qx_leader))
    assert response.status_code == 403
    assert "只有督查员可以登记批示件" in response.content.decode()
    assert not Target.objects.exists()


def test_the_office_workbench_links_the_document_form(client, qx_office):
    client.force_login(qx_office)
    assert "/instructions/new/" in client.get("/").content.decode()
