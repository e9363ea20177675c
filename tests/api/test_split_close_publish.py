"""The API's 任务分解, safe closing and publishing: the pages' rules and refusals."""

import pytest

from duban.audit.models import AuditEvent
from duban.targets.models import ProgressReport, Target

from ..supervision.qingxi import *  # noqa: F403
from ..supervision.qingxi import this_year
from .conftest import token_client

State = Target.State


@pytest.fixture
def office(qx_office):
    return token_client(qx_office)


@pytest.fixture
def bureau(qx_bureau):
    return token_client(qx_bureau)


@pytest.fixture
def county(yuntai):
    return token_client(yuntai)


def children(qingxi):
    y = this_year() + 1
    return {
        "children": [
            {
                "text": "云台县新增120家",
                "lead_unit": qingxi["yuntai"].pk,
                "deadline": f"{y}-11-30",
                "milestones": [{"period": f"{y}-Q3", "text": "完成入库评价"}],
            },
            {
                "text": "青石县新增80家",
                "lead_unit": qingxi["qingshi"].pk,
                "deadline_text": "年底前",
            },
        ]
    }


# --- split -----------------------------------------------------------------------------------


def test_office_splits(office, qingxi, city_target):
    response = office.post(f"/targets/{city_target.pk}/split", children(qingxi))
    assert response.status_code == 201
    first, second = response.json()
    assert first["decomposed"] and first["parent_id"] == city_target.pk
    assert first["lead_unit"]["id"] == qingxi["yuntai"].pk and first["state"] == "assigned"
    assert first["deadline"] == f"{this_year() + 1}-11-30"
    assert second["lead_unit"]["id"] == qingxi["qingshi"].pk
    detail = office.get(f"/targets/{city_target.pk}").json()
    assert detail["rollup"]["total"] == 2 and detail["rollup"]["closed"] == 0
    assert "最严重" in detail["rollup"]["rule"]


def test_a_county_sees_its_own_sub_target_and_the_parents_text(office, county, qingxi, city_target):
    first, second = office.post(f"/targets/{city_target.pk}/split", children(qingxi)).json()
    mine = county.get(f"/targets/{first['id']}")
    assert mine.status_code == 200
    assert mine.json()["parent_text"] == "全市新增科技型中小企业200家"
    assert county.get(f"/targets/{second['id']}").status_code == 404
    assert county.get(f"/targets/{city_target.pk}").status_code == 404
    listed = {t["id"] for t in county.get("/targets").json()["items"]}
    assert listed == {first["id"]}
    assert county.post(f"/targets/{first['id']}/acknowledge").status_code == 200


def test_a_unit_may_not_split(bureau, qingxi, city_target):
    response = bureau.post(f"/targets/{city_target.pk}/split", children(qingxi))
    assert response.status_code == 403
    assert response.json()["detail"] == "只有督查员可以分解目标"
    assert not city_target.children.exists()


def test_another_units_target_is_not_found(county, qingxi, city_target):
    response = county.post(f"/targets/{city_target.pk}/split", children(qingxi))
    assert response.status_code == 404
    assert not city_target.children.exists()


def test_a_registered_target_is_not_split(office, qingxi, city_target):
    Target.objects.filter(pk=city_target.pk).update(state=State.REGISTERED)
    response = office.post(f"/targets/{city_target.pk}/split", children(qingxi))
    assert response.status_code == 409
    assert "审核通过后才能分解" in response.json()["detail"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"text": ""}, "第2个子目标：请填写子目标内容"),
        ({"lead_unit": None}, "第2个子目标：请选择牵头单位"),
        ({"lead_unit": 99999}, "第2个子目标：牵头单位 99999 不存在"),
        ({"deadline_text": ""}, "第2个子目标：请填写完成时限"),
    ],
)
def test_an_incomplete_row_is_refused_and_nothing_written(
    office, qingxi, city_target, change, message
):
    data = children(qingxi)
    data["children"][1].update(change)
    response = office.post(f"/targets/{city_target.pk}/split", data)
    assert response.status_code == 400
    assert message in str(response.json())
    assert not city_target.children.exists()


def test_no_rows_and_unknown_fields_are_refused(office, city_target):
    response = office.post(f"/targets/{city_target.pk}/split", {"children": []})
    assert response.status_code == 400 and "请至少填写一个子目标" in str(response.json())
    response = office.post(f"/targets/{city_target.pk}/split", {"children": [{"txt": "x"}]})
    assert response.status_code == 400
    assert not city_target.children.exists()


# --- closing -----------------------------------------------------------------------------------


def incomplete(target):
    ProgressReport.objects.create(
        target=target,
        unit=target.lead_unit,
        period=f"{this_year()}-Q3",
        progress="已入库150家",
        is_complete=False,
        reason="材料未齐",
        review_state="accepted",
    )


def test_close_after_an_incomplete_report_needs_confirmation_and_reason(office, city_target):
    incomplete(city_target)
    response = office.post(f"/targets/{city_target.pk}/close", {"note": "基本完成"})
    assert response.status_code == 400
    assert "confirm_incomplete" in response.json()["errors"]
    response = office.post(
        f"/targets/{city_target.pk}/close", {"note": "基本完成", "confirm_incomplete": True}
    )
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    assert Target.objects.get(pk=city_target.pk).state == State.IN_PROGRESS
    response = office.post(
        f"/targets/{city_target.pk}/close",
        {"note": "基本完成", "confirm_incomplete": True, "reason": "余量并入明年"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "closed" and body["closing_reason"] == "余量并入明年"
    assert ProgressReport.objects.filter(target=city_target).count() == 1


def test_a_parent_with_open_sub_targets_is_not_closed(office, qingxi, city_target):
    office.post(f"/targets/{city_target.pk}/split", children(qingxi))
    response = office.post(f"/targets/{city_target.pk}/close", {"note": "全市完成"})
    assert response.status_code == 409 and "尚未办结" in response.json()["detail"]


# --- publishing --------------------------------------------------------------------------------


def test_office_publishes_and_unpublishes(office, city_target):
    response = office.post(f"/targets/{city_target.pk}/publish")
    assert response.status_code == 200
    assert response.json()["published_at"] is not None and response.json()["is_public"]
    assert office.post(f"/targets/{city_target.pk}/publish").status_code == 409
    response = office.post(f"/targets/{city_target.pk}/unpublish")
    assert response.status_code == 200 and response.json()["published_at"] is None
    summaries = set(AuditEvent.objects.for_target(city_target.pk).values_list("summary", flat=True))
    assert {"发布到公开页面", "撤回公开发布"} <= summaries


@pytest.mark.parametrize("step", ["publish", "unpublish"])
def test_a_unit_may_not_publish(bureau, city_target, step):
    response = bureau.post(f"/targets/{city_target.pk}/{step}")
    assert response.status_code == 403
    assert Target.objects.get(pk=city_target.pk).published_at is None
