"""Split sub-targets in the loop: each runs its own; units see their own only; the parent rolls
them up and closes after them. Imported points keep following their parent."""

import datetime

import pytest

from duban.supervision import actions
from duban.targets.models import ProgressReport, Target, TransitionError

from .qingxi import *  # noqa: F403
from .qingxi import period_now, this_year

State = Target.State


@pytest.fixture
def split(qx_office, qingxi, city_target):
    y = this_year() + 1
    return actions.split(
        qx_office,
        city_target,
        [
            {
                "text": "云台县新增科技型中小企业120家",
                "lead_unit": qingxi["yuntai"],
                "deadline": datetime.date(y, 11, 30),
            },
            {
                "text": "青石县新增科技型中小企业80家",
                "lead_unit": qingxi["qingshi"],
                "deadline_text": f"{y}年10月底前",
            },
        ],
    )


def fresh(target):
    return Target.objects.get(pk=target.pk)


def test_a_sub_target_keeps_its_own_unit_when_the_parent_is_assigned_again(
    qx_office, qingxi, make_target
):
    parent = make_target(deadline=datetime.date(this_year() + 1, 12, 31))
    parent.approve()
    [child] = actions.split(
        qx_office,
        parent,
        [{"text": "云台县部分", "lead_unit": qingxi["yuntai"], "deadline_text": "年底前"}],
    )
    point = make_target(parent=parent, number="一是", state=State.APPROVED)
    actions.assign(qx_office, parent, lead_unit=qingxi["bureau"])
    parent.acknowledge()
    child, point = fresh(child), fresh(point)
    # The split sub-target runs its own loop: assigned to 云台县 and waiting for it.
    assert child.lead_unit == qingxi["yuntai"] and child.state == State.ASSIGNED
    # The imported point still follows its parent, as before.
    assert point.lead_unit == qingxi["bureau"] and point.state == State.IN_PROGRESS


def test_each_unit_sees_only_its_own_sub_target(client, yuntai, qingshi, split):
    yuntai_part, qingshi_part = split
    client.force_login(yuntai)
    assert client.get(f"/targets/{yuntai_part.pk}/").status_code == 200
    assert client.get(f"/targets/{qingshi_part.pk}/").status_code == 404
    assert client.get(f"/targets/{qingshi_part.pk}/split/").status_code == 404
    listing = client.get("/targets/").content.decode()
    assert "云台县新增科技型中小企业120家" in listing
    assert "青石县新增科技型中小企业80家" not in listing


def test_a_unit_reads_the_parents_text_but_not_its_page(client, yuntai, split, city_target):
    client.force_login(yuntai)
    assert client.get(f"/targets/{city_target.pk}/").status_code == 404
    body = client.get(f"/targets/{split[0].pk}/").content.decode()
    assert "上级目标（只读）" in body and "全市新增科技型中小企业200家" in body
    assert f'href="/targets/{city_target.pk}/"' not in body
    assert "青石县" not in body


def test_the_parents_unit_sees_the_roll_up_not_the_counties_sub_targets(
    client, qx_bureau, split, city_target
):
    client.force_login(qx_bureau)
    body = client.get(f"/targets/{city_target.pk}/").content.decode()
    assert "子目标已办结 0/2 项" in body
    assert "云台县新增科技型中小企业120家" not in body
    assert client.get(f"/targets/{split[0].pk}/").status_code == 404


def test_a_unit_acknowledges_and_reports_on_its_sub_target(client, yuntai, qingshi, split):
    yuntai_part, qingshi_part = split
    client.force_login(yuntai)
    assert client.post(f"/targets/{yuntai_part.pk}/acknowledge/").status_code == 302
    response = client.post(
        f"/targets/{yuntai_part.pk}/report/",
        {"period": period_now(), "progress": "已入库62家", "is_complete": "no", "reason": "评价中"},
    )
    assert response.status_code == 302
    assert ProgressReport.objects.get(target=yuntai_part).unit == yuntai_part.lead_unit
    # Not on the other county's.
    assert client.post(f"/targets/{qingshi_part.pk}/acknowledge/").status_code == 404
    assert fresh(qingshi_part).state == State.ASSIGNED


def test_the_roll_up_takes_the_most_serious_light_and_counts_closed(qx_office, split, city_target):
    yuntai_part, qingshi_part = split
    assert city_target.rollup() == {"total": 2, "closed": 0, "complete": False, "light": "yellow"}
    Target.objects.filter(pk=qingshi_part.pk).update(deadline=datetime.date(2000, 1, 1))
    assert city_target.rollup()["light"] == "red"
    for part in split:
        Target.objects.filter(pk=part.pk).update(state=State.CLOSED)
    rollup = city_target.rollup()
    assert rollup["closed"] == 2 and rollup["complete"]
    assert rollup["light"] == city_target.light()  # the parent's own, once all are closed


def test_the_parent_closes_only_after_its_sub_targets(qx_office, split, city_target):
    with pytest.raises(TransitionError, match="尚未办结"):
        actions.close(qx_office, city_target, note="全市完成")
    assert fresh(city_target).state == State.IN_PROGRESS
    for part in split:
        part.acknowledge()
        actions.close(qx_office, fresh(part), note="县内完成")
    actions.close(qx_office, fresh(city_target), note="全市完成")
    assert fresh(city_target).state == State.CLOSED


def test_the_close_page_says_why_the_parent_cannot_close(client, qx_office, split, city_target):
    client.force_login(qx_office)
    response = client.post(f"/targets/{city_target.pk}/close/", {"note": "全市完成"})
    assert response.status_code == 409
    assert "分解的子目标" in response.content.decode()
    assert fresh(city_target).state == State.IN_PROGRESS


def test_a_sub_target_may_not_end_after_its_parent(qx_office, qingxi, city_target):
    with pytest.raises(Exception, match="不能晚于上级目标"):
        actions.split(
            qx_office,
            city_target,
            [
                {
                    "text": "云台县部分",
                    "lead_unit": qingxi["yuntai"],
                    "deadline": datetime.date(this_year() + 3, 1, 1),
                }
            ],
        )
    assert not city_target.children.exists()


def test_the_list_rolls_a_split_target_up_on_its_row(client, qx_office, qx_bureau, split):
    Target.objects.filter(pk=split[1].pk).update(state=State.CLOSED)
    client.force_login(qx_office)
    body = client.get("/targets/").content.decode()
    assert "子目标已办结 1/2" in body
    # The parent's unit reads the counts, not the counties' sub-targets.
    client.force_login(qx_bureau)
    body = client.get("/targets/").content.decode()
    assert "子目标已办结 1/2" in body and "云台县新增科技型中小企业120家" not in body
