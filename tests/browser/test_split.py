"""任务分解 in a real browser: office staff split a city target of 市科技局 across two counties,
云台县 and 青石县, each with its own deadline, one with a milestone; 云台县's reporter sees only
its own sub-target, with the parent's text read-only, acknowledges it and reports on it; once
the office has accepted and closed it, the parent's page shows 子目标已办结 1/2 and the
rolled-up light (the county that has not acknowledged yet keeps it yellow, though the parent
itself is green)."""

import datetime

import pytest
from django.utils import timezone

from duban.organisations.models import Organisation, Person
from duban.targets.models import Target
from duban.targets.periods import Period
from tests.qingxi import *  # noqa: F403

from .test_extension import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_split_from_the_offices_rows_to_the_parents_rollup(
    page, live_server, qx, qx_office, qx_yuntai, make_qx_target
):
    qingshi = Organisation.objects.create(
        name="青石县人民政府", short_name="青石县政府", level=3, kind="government", parent=qx["gov"]
    )
    account("zhao_qs", role=Person.Role.UNIT, organisation=qingshi, name="赵青石县填报员")  # noqa: F405
    parent = make_qx_target(days=200, text="全市新增科技型中小企业200家")
    today = timezone.localdate()
    quarter = Period.quarter_of(today)
    yuntai_deadline = today + datetime.timedelta(days=120)
    qingshi_deadline = today + datetime.timedelta(days=150)
    parent_url = f"{live_server.url}/targets/{parent.pk}/"

    # The office splits the target into a row per county.
    sign_in(page, live_server, "lin_dc")
    page.goto(parent_url)
    page.click("#actions a:has-text('任务分解')")
    assert "汇总灯色取其本身与各子目标中最严重者" in page.inner_text("main")
    page.fill("textarea[name='sub-0-text']", "云台县新增科技型中小企业120家")
    page.select_option("select[name='sub-0-lead_unit']", value=str(qx["yuntai"].pk))
    page.fill("input[name='sub-0-deadline']", yuntai_deadline.isoformat())
    page.fill("textarea[name='sub-0-milestones']", f"{quarter} 完成入库评价")
    page.fill("textarea[name='sub-1-text']", "青石县新增科技型中小企业80家")
    page.select_option("select[name='sub-1-lead_unit']", value=str(qingshi.pk))
    page.fill("input[name='sub-1-deadline']", qingshi_deadline.isoformat())
    page.click("button:has-text('保存分解并交办')")
    page.wait_for_selector("text=已分解为 2 个子目标")
    subs = page.inner_text("section.sub-targets")
    assert "云台县新增科技型中小企业120家" in subs and "青石县新增科技型中小企业80家" in subs
    assert "子目标已办结 0/2 项" in subs
    sign_out(page)

    yuntai_sub = Target.objects.get(parent=parent, lead_unit=qx["yuntai"])
    assert yuntai_sub.decomposed and yuntai_sub.deadline == yuntai_deadline
    assert [m.period for m in yuntai_sub.milestones.all()] == [str(quarter)]
    assert Target.objects.get(parent=parent, lead_unit=qingshi).deadline == qingshi_deadline

    # 云台县's reporter sees its own sub-target only, and the parent's text read-only.
    sign_in(page, live_server, "wu_yt")
    page.goto(f"{live_server.url}/targets/")
    listed = page.inner_text("table.ledger")
    assert "云台县新增科技型中小企业120家" in listed
    assert "青石县新增" not in listed and "全市新增科技型中小企业200家" not in listed
    assert page.goto(parent_url).status == 404
    page.goto(f"{live_server.url}/targets/{yuntai_sub.pk}/")
    assert "上级目标（只读）" in page.inner_text("main")
    assert "全市新增科技型中小企业200家" in page.inner_text("p.parent-text")
    assert "完成入库评价" in page.inner_text("main")
    assert page.locator("#actions a:has-text('任务分解')").count() == 0
    page.click("#actions button:has-text('签收')")
    page.wait_for_selector("text=已签收")
    page.click("#actions a:has-text('报送进展')")
    page.fill("#id_progress", "已完成入库评价企业126家")
    page.check("input[name=is_complete][value=yes]")
    page.click("button[name=submit]")
    page.wait_for_selector("text=进展已报送，等待审核。")
    sign_out(page)

    # The office accepts the county's report and closes its sub-target.
    sign_in(page, live_server, "lin_dc")
    page.goto(f"{live_server.url}/targets/{yuntai_sub.pk}/")
    page.click(".review-form button[value=accept]")
    page.wait_for_selector("text=报送已审核通过。")
    page.click("#actions a:has-text('办结销号')")
    page.fill("#id_note", "云台县新增科技型中小企业126家，超额完成")
    page.click("text=确认办结")
    page.wait_for_selector("text=已办结销号。")

    # The parent: one of two closed, and the rolled-up light is 青石县's yellow (not yet
    # acknowledged), though the parent's own light is green.
    page.goto(parent_url)
    rollup = page.inner_text("section.sub-targets p.rollup")
    assert "子目标已办结 1/2 项" in rollup
    assert "黄灯" in rollup
    assert page.locator("section.sub-targets p.rollup .light-yellow").count() == 1
    assert Target.objects.with_lights().get(pk=parent.pk).light == "green"
    # The list finds the parent among the yellow targets, by its rolled-up light.
    page.goto(f"{live_server.url}/targets/?light=yellow")
    assert "全市新增科技型中小企业200家" in page.inner_text("table.ledger")
