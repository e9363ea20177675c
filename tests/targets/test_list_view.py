import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from duban.organisations.models import Organisation, Person
from duban.targets.models import SourceCategory, Target

URL = "/targets/"


@pytest.fixture
def listed(make_target, city, leader):
    soon = timezone.localdate() + datetime.timedelta(days=3)
    return {
        "plan": make_target(
            year=2026,
            text="高新技术企业总数达到300家",
            category="重点目标",
            lead_unit=city["bureau"],
            leader=leader,
        ),
        "report": make_target(
            year=2025,
            text="建设科技企业孵化器",
            source_category=SourceCategory.WORK_REPORT,
            lead_unit=city["industry"],
            co_units=[city["finance"]],
            deadline=soon,
        ),
        "closed": make_target(
            year=2026,
            text="完成科技奖励办法修订",
            state=Target.State.CLOSED,
            lead_unit=city["bureau"],
        ),
    }


def texts(response):
    return {t.text for t in response.context["page"].object_list}


def test_login_is_required(client, listed, office_user):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_office_staff_see_all_targets(client, office_user, listed):
    client.force_login(office_user)
    response = client.get(URL)
    assert response.status_code == 200
    assert len(texts(response)) == 3
    assert "高新技术企业总数达到300家" in response.content.decode()


@pytest.mark.parametrize(
    "query,expected",
    [
        ({"year": "2025"}, {"建设科技企业孵化器"}),
        ({"source": "work_report"}, {"建设科技企业孵化器"}),
        ({"category": "重点目标"}, {"高新技术企业总数达到300家"}),
        ({"state": "closed"}, {"完成科技奖励办法修订"}),
        ({"light": "yellow"}, {"建设科技企业孵化器"}),
        ({"light": "done"}, {"完成科技奖励办法修订"}),
        ({"q": "孵化器"}, {"建设科技企业孵化器"}),
        ({"q": "高新技术 300家"}, {"高新技术企业总数达到300家"}),
        ({"q": "财政局"}, {"建设科技企业孵化器"}),
        ({"q": "不存在的词"}, set()),
    ],
)
def test_filters(client, office_user, listed, query, expected):
    client.force_login(office_user)
    response = client.get(URL, query)
    assert response.status_code == 200
    assert texts(response) == expected


def test_unit_and_leader_filters(client, office_user, listed, city, leader):
    client.force_login(office_user)
    by_unit = client.get(URL, {"unit": city["finance"].pk})
    assert texts(by_unit) == {"建设科技企业孵化器"}
    by_leader = client.get(URL, {"leader": leader.pk})
    assert texts(by_leader) == {"高新技术企业总数达到300家"}


def test_units_and_leaders_added_later_are_offered_in_the_filters(
    client, office_user, listed, city
):
    # The drop-downs once read a queryset that kept its first answer for the process's life.
    client.force_login(office_user)
    assert "青溪市新设科创中心" not in client.get(URL).content.decode()
    unit = Organisation.objects.create(name="青溪市新设科创中心", level=3, kind="department")
    Person.objects.create(name="宋新任", role=Person.Role.LEADER, organisation=city["gov"])
    body = client.get(URL).content.decode()
    assert f'value="{unit.pk}"' in body and "青溪市新设科创中心" in body
    assert "宋新任" in body


@pytest.mark.parametrize(
    "query,message",
    [
        ({"year": "abc"}, "没有这个年度的目标"),
        ({"year": "1999"}, "没有这个年度的目标"),
        ({"state": "nonsense"}, "不是有效的选项"),
        ({"light": "purple"}, "不是有效的选项"),
        ({"unit": "999999"}, "所选的单位或人员不存在"),
        ({"unit": "x"}, "所选的单位或人员不存在"),
        ({"q": "长" * 101}, "关键词"),
    ],
)
def test_nonsense_filters_get_a_chinese_message_and_400(
    client, office_user, listed, query, message
):
    client.force_login(office_user)
    response = client.get(URL, query)
    assert response.status_code == 400
    body = response.content.decode()
    assert "筛选条件有误" in body
    assert message in body
    assert texts(response) == set()


def test_light_counts_follow_the_filter(client, office_user, listed):
    client.force_login(office_user)
    counts = {light.value: n for light, n in client.get(URL).context["light_counts"]}
    assert counts == {"green": 1, "yellow": 1, "red": 0, "done": 1}


def test_unit_user_sees_only_its_own_targets(client, finance_user, bureau_user, listed):
    client.force_login(finance_user)
    assert texts(client.get(URL)) == {"建设科技企业孵化器"}
    client.force_login(bureau_user)
    assert texts(client.get(URL)) == {"高新技术企业总数达到300家", "完成科技奖励办法修订"}


def test_pages(client, office_user, make_target, settings):
    settings.DUBAN_PAGE_SIZE = 2
    for _ in range(5):
        make_target()
    client.force_login(office_user)
    assert len(client.get(URL, {"page": "3"}).context["page"].object_list) == 1
    assert client.get(URL, {"page": "abc"}).status_code == 200
    assert "第 1 / 3 页" in client.get(URL).content.decode()


def test_the_pager_keeps_the_filters(client, office_user, make_target, settings):
    settings.DUBAN_PAGE_SIZE = 2
    for _ in range(5):
        make_target(year=2026)
    client.force_login(office_user)
    body = client.get(URL, {"year": "2026", "page": "2"}).content.decode()
    assert '<a href="?year=2026&page=1">上一页</a>' in body
    assert '<a href="?year=2026&page=3">下一页</a>' in body


@pytest.fixture
def tree(make_target, city):
    plan = make_target(number="3", text="加快科技企业孵化器建设", lead_unit=city["bureau"])
    return {
        "plan": plan,
        "first": make_target(parent=plan, number="一是", text="新建孵化器两家"),
        "second": make_target(
            parent=plan,
            number="二是",
            text="培育青溪实验室",
            state=Target.State.APPROVED,
            lead_unit=city["finance"],
        ),
        "alone": make_target(number="4", text="完成科技奖励办法修订"),
    }


def row_pks(response):
    return [row["pk"] for row in response.context["rows"]]


def test_sub_targets_sit_under_their_parent_not_as_rows(client, office_user, tree):
    client.force_login(office_user)
    response = client.get(URL)
    assert row_pks(response) == [tree["plan"].pk, tree["alone"].pk]
    plan_row = response.context["rows"][0]
    assert [c["number"] for c in plan_row["children"]] == ["一是", "二是"]
    assert [c["state"] for c in plan_row["children"]] == ["待审核", "待交办"]
    assert response.context["rows"][1]["children"] == []
    body = response.content.decode()
    assert body.count('class="sub-row') == 2
    assert body.count('name="ids"') == 2  # bulk steps act on the rows, not the sub-rows
    assert f'href="/targets/{tree["second"].pk}/"' in body


def test_total_and_light_counts_count_root_targets(client, office_user, tree):
    client.force_login(office_user)
    response = client.get(URL)
    assert response.context["total"] == 2
    assert "共 2 项" in response.content.decode()
    assert sum(n for _light, n in response.context["light_counts"]) == 2


def test_a_filter_met_only_by_a_sub_target_shows_its_parent_with_it(client, office_user, tree):
    client.force_login(office_user)
    for query in ({"q": "青溪实验室"}, {"state": "approved"}, {"q": "二是"}):
        response = client.get(URL, query)
        assert row_pks(response) == [tree["plan"].pk], query
        assert response.context["total"] == 1
        children = response.context["rows"][0]["children"]
        assert {c["pk"]: c["match"] for c in children} == {
            tree["first"].pk: False,
            tree["second"].pk: True,
        }
    response = client.get(URL, {"q": "孵化器"})  # the parent and its first point
    assert row_pks(response) == [tree["plan"].pk]
    assert client.get(URL, {"q": "奖励办法"}).context["total"] == 1
    assert row_pks(client.get(URL, {"state": "closed"})) == []


def test_a_unit_that_sees_only_a_sub_target_gets_it_as_a_row(client, finance_user, tree):
    client.force_login(finance_user)
    response = client.get(URL)
    assert row_pks(response) == [tree["second"].pk]
    assert response.context["total"] == 1
    assert "加快科技企业孵化器建设" not in response.content.decode()


def test_sub_targets_are_read_in_one_query_whatever_the_number_of_parents(
    client, office_user, make_target
):
    def parent_with_children():
        parent = make_target()
        for number in ("一是", "二是", "三是"):
            make_target(parent=parent, number=number)

    parent_with_children()
    client.force_login(office_user)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for _ in range(4):
        parent_with_children()
    with CaptureQueriesContext(connection) as five:
        response = client.get(URL)
    assert len(response.context["rows"]) == 5
    assert sum(len(r["children"]) for r in response.context["rows"]) == 15
    assert len(five) == len(one)
