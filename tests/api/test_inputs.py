"""Hostile inputs get a 400 or 413 with a Chinese message, never a 500: numbers beyond what
the database holds, a body over DATA_UPLOAD_MAX_MEMORY_SIZE, a NUL character (PostgreSQL
cannot store it in text; refused on every database alike)."""

import json

import pytest

from duban.targets.models import ProgressReport

from .conftest import period_now

HUGE = "9223372036854775808"  # one beyond a 64-bit integer


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"unit": HUGE}, "unit"),
        ({"leader": HUGE}, "leader"),
        ({"unit": "-1"}, "unit"),
        ({"page": "1" * 27}, "page"),
        ({"page": "1000001"}, "page"),
        ({"year": "1" * 27}, "year"),
        ({"q": "高新\x00技术"}, "q"),
        ({"category": "\x00"}, "category"),
    ],
)
def test_target_list_parameters_out_of_range_are_400(office, params, field):
    response = office.get("/targets", params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body["errors"] and body["detail"].startswith("信息不完整或有误")


@pytest.mark.parametrize("params", [{"target": HUGE}, {"page": "9" * 27}])
def test_milestone_list_parameters_out_of_range_are_400(office, params):
    assert office.get("/milestones", params).status_code == 400


def test_an_id_beyond_the_database_in_the_path_is_not_a_500(office):
    response = office.get(f"/targets/{HUGE}")
    assert response.status_code in (400, 404)
    assert "detail" in response.json()


def test_ids_in_a_body_out_of_range_are_400(office, registered):
    response = office.post(f"/targets/{registered.pk}/assign", {"lead_unit": int(HUGE)})
    assert response.status_code in (400, 409)
    if response.status_code == 400:
        assert "lead_unit" in response.json()["errors"]


def test_a_body_over_the_limit_is_413(office, acknowledged, settings):
    body = {"period": period_now(), "progress": "进" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 3)}
    data = json.dumps(body, ensure_ascii=False).encode()
    assert len(data) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = office.client.post(
        f"/api/targets/{acknowledged.pk}/reports", data, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["detail"] == "请求内容过大，不能超过 2.5 MB"


@pytest.mark.parametrize("field", ["progress", "reason", "next_steps"])
def test_a_nul_in_a_text_field_is_400(bureau, acknowledged, field):
    body = {"period": period_now(), "progress": "已完成选址", field: "推进\x00建设"}
    response = bureau.post(f"/targets/{acknowledged.pk}/reports", body)
    assert response.status_code == 400, response.content
    assert "空字符" in response.json()["detail"]
    assert not ProgressReport.objects.exists()


def test_a_nul_in_a_patch_is_400(office, registered):
    response = office.patch(f"/targets/{registered.pk}", {"text": "高新\x00技术"})
    assert response.status_code == 400
    assert "空字符" in response.json()["detail"]
