"""The OpenAPI schema, the offline documentation page, and answers that are always JSON."""

import pytest
from django.test import override_settings

from duban.supervision import actions
from tests.pages import external_references

EXPECTED_PATHS = {
    "/api/me": {"get"},
    "/api/units": {"get"},
    "/api/leaders": {"get"},
    "/api/targets": {"get", "post"},
    "/api/targets/{target_id}": {"get", "patch"},
    "/api/targets/{target_id}/milestones": {"get"},
    "/api/targets/{target_id}/reports": {"get", "post"},
    "/api/targets/{target_id}/indicators": {"get"},
    "/api/targets/{target_id}/timeline": {"get"},
    "/api/targets/{target_id}/contributions": {"get", "post"},
    "/api/targets/{target_id}/approve": {"post"},
    "/api/targets/{target_id}/assign": {"post"},
    "/api/targets/{target_id}/acknowledge": {"post"},
    "/api/targets/{target_id}/close": {"post"},
    "/api/targets/{target_id}/carry-over": {"post"},
    "/api/targets/{target_id}/chase": {"post"},
    "/api/targets/{target_id}/split": {"post"},
    "/api/targets/{target_id}/publish": {"post"},
    "/api/targets/{target_id}/unpublish": {"post"},
    "/api/reports/{report_id}": {"get", "patch"},
    "/api/reports/{report_id}/accept": {"post"},
    "/api/reports/{report_id}/return": {"post"},
    "/api/reports/{report_id}/evidence": {"post"},
    "/api/evidence/{evidence_id}/download": {"get"},
    "/api/milestones": {"get"},
    "/api/milestones/{milestone_id}": {"patch"},
    "/api/targets/{target_id}/extensions": {"get", "post"},
    "/api/extensions/{extension_id}": {"get"},
    "/api/extensions/{extension_id}/decision": {"post"},
    "/api/extensions/{extension_id}/withdraw": {"post"},
    "/api/targets/{target_id}/instructions": {"get", "post"},
    "/api/instruction-documents": {"post"},
    "/api/channels": {"get", "post"},
    "/api/channels/{channel_id}": {"get", "patch", "delete"},
    "/api/channels/{channel_id}/test": {"post"},
    "/api/channels/{channel_id}/deliveries": {"get"},
}


def test_openapi_schema_lists_every_path(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "督办 API"
    assert {path: set(ops) for path, ops in schema["paths"].items()} == EXPECTED_PATHS
    schemes = schema["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_openapi_schema_documents_refusals(client, db):
    schema = client.get("/api/openapi.json").json()
    approve = schema["paths"]["/api/targets/{target_id}/approve"]["post"]
    assert set(approve["responses"]) == {"200", "401", "403", "404", "409"}
    detail = approve["responses"]["409"]["content"]["application/json"]["schema"]
    assert "detail" in detail["properties"]


def test_docs_page_works_offline(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/api/swagger-ui/swagger-ui-bundle.js" in page
    assert "/api/openapi.json" in page
    assert external_references(page) == []
    for asset in (
        "api/swagger-ui/swagger-ui-bundle.js",
        "api/swagger-ui/swagger-ui.css",
        "api/swagger-init.js",
    ):
        assert client.get(f"/static/{asset}").status_code == 200, asset


def test_unknown_api_paths_answer_json_404(client, db):
    response = client.get("/api/no/such/thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "没有这个接口：/api/no/such/thing"}


def test_chinese_is_sent_as_written(anonymous):
    assert "请先登录".encode() in anonymous.get("/targets").content


@pytest.mark.parametrize("debug", [True, False])
def test_an_unexpected_error_is_json_without_a_traceback(office, registered, monkeypatch, debug):
    def broken(user, target):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(actions, "approve", broken)
    with override_settings(DEBUG=debug):
        response = office.post(f"/targets/{registered.pk}/approve")
    assert response.status_code == 500
    assert response.json() == {"detail": "服务器内部错误，请稍后重试或联系管理员"}
    assert b"Traceback" not in response.content and b"secret" not in response.content
