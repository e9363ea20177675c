"""任务分解 on its page: the office adds sub-targets a row each; refusals write nothing."""

import datetime

import pytest

from duban.audit.models import AuditEvent
from duban.supervision.models import Notification
from duban.targets.models import ROLLUP_RULE, Target

from .qingxi import *  # noqa: F403
from .qingxi import this_year

State = Target.State


def rows(*items, total=None):
    """The split form's POST: a row per (text, unit, deadline, milestones)."""
    data = {"sub-TOTAL_FORMS": str(total or max(len(items), 1)), "sub-INITIAL_FORMS": "0"}
    for n, (text, unit, deadline, milestones) in enumerate(items):
        data[f"sub-{n}-text"] = text
        data[f"sub-{n}-lead_unit"] = str(unit.pk) if unit else ""
        data[f"sub-{n}-deadline"] = deadline
        data[f"sub-{n}-milestones"] = milestones
    return data


def counties(qingxi):
    y = this_year() + 1
    return rows(
        ("云台县新增科技型中小企业120家", qingxi["yuntai"], f"{y}-11-30", f"{y}-Q4 完成入库评价"),
        ("青石县新增科技型中小企业80家", qingxi["qingshi"], f"{y}-10-31", ""),
        ("", None, "", ""),  # a blank row is left out
        total=3,
    )


def test_the_form_offers_rows_and_states_the_rule(client, qx_office, city_target):
    client.force_login(qx_office)
    page = client.get(f"/targets/{city_target.pk}/split/")
    assert page.status_code == 200
    body = page.content.decode()
    assert body.count('class="sub-row"') == 5 and ROLLUP_RULE in body
    detail = client.get(f"/targets/{city_target.pk}/").content.decode()
    assert f"/targets/{city_target.pk}/split/" in detail


def test_the_split_adds_each_sub_target_assigned_to_its_own_unit(
    client, qx_office, yuntai, qingxi, city_target
):
    client.force_login(qx_office)
    response = client.post(f"/targets/{city_target.pk}/split/", counties(qingxi))
    assert response.status_code == 302
    first, second = city_target.children.order_by("pk")
    assert first.decomposed and second.decomposed
    assert (first.lead_unit, second.lead_unit) == (qingxi["yuntai"], qingxi["qingshi"])
    assert first.state == second.state == State.ASSIGNED
    assert first.deadline == datetime.date(this_year() + 1, 11, 30)
    assert (first.number, second.number) == ("7-1", "7-2")
    assert list(first.milestones.values_list("text", flat=True)) == ["完成入库评价"]
    assert second.milestones.exists()  # the quarters to its deadline, as assigning makes them
    assert Notification.objects.filter(user=yuntai, target=first, kind="assigned").exists()
    summaries = list(
        AuditEvent.objects.for_target(city_target.pk).values_list("summary", flat=True)
    )
    assert "任务分解：新增子目标2项（云台县政府、青石县政府）" in summaries
    child_steps = AuditEvent.objects.for_target(first.pk).values_list("summary", flat=True)
    assert "由上级目标“7. 全市新增科技型中小企业200家”分解产生" in child_steps
    assert "交办" in child_steps
    # The parent stays where it was.
    city_target.refresh_from_db()
    assert city_target.state == State.IN_PROGRESS and city_target.lead_unit == qingxi["bureau"]


def test_the_parent_page_rolls_the_sub_targets_up(client, qx_office, qingxi, city_target):
    client.force_login(qx_office)
    client.post(f"/targets/{city_target.pk}/split/", counties(qingxi))
    body = client.get(f"/targets/{city_target.pk}/").content.decode()
    assert "子目标已办结 0/2 项" in body and ROLLUP_RULE in body
    assert "云台县新增科技型中小企业120家" in body and "青石县政府" in body
    # Assigned, not yet acknowledged: the sub-targets are yellow, and so is the roll-up.
    assert "汇总：" in body and "黄灯" in body.split("汇总：")[1].split("</p>")[0]


def test_a_unit_may_not_split(client, qx_bureau, qingxi, city_target):
    client.force_login(qx_bureau)
    assert client.get(f"/targets/{city_target.pk}/split/").status_code == 403
    response = client.post(f"/targets/{city_target.pk}/split/", counties(qingxi))
    assert response.status_code == 403
    assert "只有督查员可以分解目标" in response.content.decode()
    assert not city_target.children.exists()


def test_another_units_target_is_not_found(client, yuntai, qingxi, city_target):
    client.force_login(yuntai)
    response = client.post(f"/targets/{city_target.pk}/split/", counties(qingxi))
    assert response.status_code == 404
    assert not city_target.children.exists()


@pytest.mark.parametrize(
    ("state", "message"),
    [(State.REGISTERED, "审核通过后才能分解"), (State.CLOSED, "不能分解")],
)
def test_a_target_in_the_wrong_state_is_not_split(
    client, qx_office, qingxi, city_target, state, message
):
    Target.objects.filter(pk=city_target.pk).update(state=state)
    client.force_login(qx_office)
    response = client.post(f"/targets/{city_target.pk}/split/", counties(qingxi))
    assert response.status_code == 409
    assert message in response.content.decode()
    assert not city_target.children.exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("", "yuntai", "11-30", ""), "第1个子目标：请填写子目标内容"),
        (("云台县新增60家", None, "11-30", ""), "第1个子目标：请选择牵头单位"),
        (("云台县新增60家", "yuntai", "", ""), "第1个子目标：请填写完成时限"),
        (("云台县新增60家", "yuntai", "NEXT", ""), "完成时限不能晚于上级目标的完成时限"),
        (("云台县新增60家", "yuntai", "11-30", "三季度 完成"), "无法识别的期次"),
    ],
)
def test_an_incomplete_row_is_refused_and_nothing_is_written(
    client, qx_office, qingxi, city_target, row, message
):
    text, unit, deadline, milestones = row
    y = this_year() + 1
    deadline = {"": "", "NEXT": f"{y + 1}-03-31"}.get(deadline, f"{y}-{deadline}")
    second = ("青石县新增80家", qingxi["qingshi"], f"{y}-10-31", "")
    data = rows((text, qingxi.get(unit), deadline, milestones), second)
    client.force_login(qx_office)
    response = client.post(f"/targets/{city_target.pk}/split/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not city_target.children.exists()  # the good row is not stored either


def test_an_empty_form_is_refused(client, qx_office, city_target):
    client.force_login(qx_office)
    response = client.post(f"/targets/{city_target.pk}/split/", rows(("", None, "", "")))
    assert response.status_code == 400
    assert "请至少填写一个子目标" in response.content.decode()
    response = client.post(f"/targets/{city_target.pk}/split/", {})
    assert response.status_code == 400
    assert "表单数据不完整" in response.content.decode()
    assert not city_target.children.exists()


def test_a_unit_that_does_not_exist_is_refused(client, qx_office, qingxi, city_target):
    data = rows(("云台县新增60家", None, f"{this_year() + 1}-10-31", ""))
    data["sub-0-lead_unit"] = "99999"
    client.force_login(qx_office)
    response = client.post(f"/targets/{city_target.pk}/split/", data)
    assert response.status_code == 400
    assert "所选单位不存在" in response.content.decode()
    assert not city_target.children.exists()
