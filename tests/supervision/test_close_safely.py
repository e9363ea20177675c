"""办结销号 safely: a confirmation and a reason after a 未完成 report; never a unit's report."""

import pytest
from django.utils import timezone

from duban.audit.models import AuditEvent
from duban.supervision import actions
from duban.targets.models import Evidence, ProgressReport, Target

from .qingxi import *  # noqa: F403
from .qingxi import pdf

State = Target.State


@pytest.fixture(autouse=True)
def _files(files_in_tmp):
    return files_in_tmp


def accepted(target, *, complete, period="2026-Q3", reviewed=None):
    return ProgressReport.objects.create(
        target=target,
        unit=target.lead_unit,
        period=period,
        progress="已入库150家",
        is_complete=complete,
        status_text="完成" if complete else "未完成",
        reason="" if complete else "部分企业材料未齐",
        review_state="accepted",
        reviewed_at=reviewed or timezone.now(),
    )


def test_closing_writes_no_report_in_the_units_name(client, qx_office, city_target):
    client.force_login(qx_office)
    response = client.post(
        f"/targets/{city_target.pk}/close/",
        {"note": "全市新增210家", "evidence": [pdf("认定名单.pdf")]},
    )
    assert response.status_code == 302
    city_target.refresh_from_db()
    assert city_target.state == State.CLOSED
    assert city_target.closing_note == "全市新增210家" and city_target.closed_by == qx_office
    assert not ProgressReport.objects.filter(target=city_target).exists()
    [file] = Evidence.objects.filter(target=city_target)
    assert file.report is None and file.name == "认定名单.pdf"
    body = client.get(f"/targets/{city_target.pk}/").content.decode()
    assert "办结记录" in body and "全市新增210家" in body and "认定名单.pdf" in body
    assert client.get(f"/evidence/{file.pk}/").status_code == 200


def test_after_a_complete_report_no_confirmation_is_asked(client, qx_office, city_target):
    accepted(city_target, complete=True)
    client.force_login(qx_office)
    page = client.get(f"/targets/{city_target.pk}/close/").content.decode()
    assert "confirm_incomplete" not in page
    response = client.post(f"/targets/{city_target.pk}/close/", {"note": "已完成"})
    assert response.status_code == 302


def test_after_an_incomplete_report_the_page_asks_first(client, qx_office, city_target):
    accepted(city_target, complete=False)
    client.force_login(qx_office)
    page = client.get(f"/targets/{city_target.pk}/close/").content.decode()
    assert "为“未完成”" in page and "部分企业材料未齐" in page
    assert 'name="confirm_incomplete"' in page and 'name="reason"' in page


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({}, "请勾选确认并填写办结理由"),
        ({"confirm_incomplete": "on"}, "请填写未完成即办结的理由"),
        ({"confirm_incomplete": "on", "reason": "   "}, "请填写未完成即办结的理由"),
    ],
)
def test_closing_after_an_incomplete_report_is_refused_without_both(
    client, qx_office, city_target, extra, message
):
    accepted(city_target, complete=False)
    client.force_login(qx_office)
    response = client.post(f"/targets/{city_target.pk}/close/", {"note": "基本完成", **extra})
    assert response.status_code == 400
    assert message in response.content.decode()
    city_target.refresh_from_db()
    assert city_target.state == State.IN_PROGRESS and not city_target.closing_note
    assert not AuditEvent.objects.for_target(city_target.pk).filter(summary="办结销号").exists()


def test_closing_after_an_incomplete_report_with_confirmation_and_reason(
    client, qx_office, city_target
):
    accepted(city_target, complete=False)
    client.force_login(qx_office)
    response = client.post(
        f"/targets/{city_target.pk}/close/",
        {"note": "基本完成", "confirm_incomplete": "on", "reason": "剩余指标并入明年计划"},
    )
    assert response.status_code == 302
    city_target.refresh_from_db()
    assert city_target.state == State.CLOSED
    assert city_target.closing_reason == "剩余指标并入明年计划"
    [event] = AuditEvent.objects.for_target(city_target.pk).filter(summary="办结销号")
    assert event.after["未完成即办结的理由"] == "剩余指标并入明年计划"
    assert ProgressReport.objects.filter(target=city_target).count() == 1  # the unit's own


def test_the_latest_accepted_report_decides(qx_office, city_target):
    accepted(city_target, complete=False, period="2026-Q2")
    accepted(city_target, complete=True, period="2026-Q3")
    assert not actions.closing_needs_confirmation(city_target)
    accepted(city_target, complete=False, period="2026-Q4")
    assert actions.closing_needs_confirmation(city_target)


def test_a_unit_may_not_close(client, qx_bureau, city_target):
    client.force_login(qx_bureau)
    response = client.post(f"/targets/{city_target.pk}/close/", {"note": "我们做完了"})
    assert response.status_code == 403
    assert "只有督查员可以办结目标" in response.content.decode()
    city_target.refresh_from_db()
    assert city_target.state == State.IN_PROGRESS


def test_a_target_not_in_progress_is_not_closed(client, qx_office, city_target):
    Target.objects.filter(pk=city_target.pk).update(state=State.ASSIGNED)
    client.force_login(qx_office)
    assert client.get(f"/targets/{city_target.pk}/close/").status_code == 409
    response = client.post(f"/targets/{city_target.pk}/close/", {"note": "完成"})
    assert response.status_code == 409
    assert "不能办结销号" in response.content.decode()


def test_a_missing_note_is_refused(client, qx_office, city_target):
    client.force_login(qx_office)
    response = client.post(f"/targets/{city_target.pk}/close/", {"note": ""})
    assert response.status_code == 400
    assert "请填写办结说明" in response.content.decode()
    city_target.refresh_from_db()
    assert city_target.state == State.IN_PROGRESS
