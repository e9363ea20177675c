import pytest

from duban.targets.models import Indicator, Milestone, ProgressReport, Target


@pytest.fixture
def grounded(document, make_target, city, leader):
    start = document.text.index("高新技术企业")
    end = document.text.index("。", start) + 1
    target = make_target(
        text=document.text[start:end],
        source_document=document,
        span_start=start,
        span_end=end,
        lead_unit=city["bureau"],
    )
    target.approve()
    target.assign(
        lead_unit=city["bureau"],
        co_units=[city["finance"]],
        leader=leader,
        deadline_text="12月底前",
    )
    Milestone.objects.create(target=target, period="2026-Q2", text="完成高企申报辅导")
    number = document.text.index("300家")
    Indicator.objects.create(
        target=target,
        subject="高新技术企业",
        comparator="=",
        value=300,
        unit="家",
        source_document=document,
        span_start=number,
        span_end=number + 4,
    )
    ProgressReport.objects.create(
        target=target,
        period="2026-Q2",
        progress="已辅导企业45家",
        is_complete=True,
        status_text="完成",
        reason="是",
    )
    return target


def url(target):
    return f"/targets/{target.pk}/"


def test_target_page_shows_text_excerpt_milestones_reports_and_timeline(
    client, office_user, grounded
):
    client.force_login(office_user)
    response = client.get(url(grounded))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<mark id="source-span">高新技术企业总数达到300家。</mark>' in body
    assert "白沙市2026年科技工作要点" in body
    assert "2026年第二季度" in body and "完成高企申报辅导" in body
    assert "已辅导企业45家" in body
    assert "已标为完成，但“未完成原因”填写了“是”" in body
    assert "<mark>300家</mark>" in body
    timeline = [e.summary for e in response.context["timeline"]]
    assert "审核通过" in timeline and "交办" in timeline
    assert "交办" in body and "增加协办单位" in body


def test_missing_target_is_a_chinese_404(client, office_user):
    client.force_login(office_user)
    response = client.get("/targets/987654/")
    assert response.status_code == 404
    assert "没有找到这个目标任务" in response.content.decode()


def test_another_units_target_looks_like_a_missing_one(
    client, finance_user, bureau_user, make_target, city
):
    hidden = make_target(lead_unit=city["industry"])
    client.force_login(finance_user)
    response = client.get(url(hidden))
    assert response.status_code == 404
    assert "没有找到这个目标任务" in response.content.decode()
    client.force_login(bureau_user)
    assert client.get(url(hidden)).status_code == 404


def test_co_unit_can_open_the_target(client, finance_user, grounded):
    client.force_login(finance_user)
    assert client.get(url(grounded)).status_code == 200


def test_leader_sees_the_targets_in_their_charge(client, leader_user, grounded, make_target):
    client.force_login(leader_user)
    assert client.get(url(grounded)).status_code == 200
    assert client.get(url(make_target())).status_code == 404


def test_non_numeric_id_is_404(client, office_user):
    client.force_login(office_user)
    assert client.get("/targets/abc/").status_code == 404


@pytest.mark.parametrize("number", ["0", "2147483648", str(2**63), "9" * 40])
def test_ids_no_row_can_have_are_missing_targets(client, office_user, number):
    # Numbers past what the database takes were a server error on SQLite.
    client.force_login(office_user)
    response = client.get(f"/targets/{number}/")
    assert response.status_code == 404
    assert "没有找到这个目标任务" in response.content.decode()


def test_manual_target_says_it_has_no_source(client, office_user, make_target):
    client.force_login(office_user)
    body = client.get(url(make_target())).content.decode()
    assert "此目标为手工登记，没有来源文件" in body


def test_child_targets_are_listed(client, office_user, make_target):
    parent = make_target(text="上级目标")
    make_target(parent=parent, number="一是", text="下级事项甲")
    client.force_login(office_user)
    body = client.get(url(parent)).content.decode()
    assert "分解事项" in body and "下级事项甲" in body
    assert Target.objects.roots().count() == 1
