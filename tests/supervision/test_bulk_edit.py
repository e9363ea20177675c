"""批量修改 from the target list: the form page, and each field set on every ticked target."""

import datetime

import pytest
from django.contrib.messages import get_messages

from duban.audit.models import AuditEvent
from duban.organisations.models import Person
from duban.supervision.bulk import MAX_TARGETS
from duban.supervision.models import Notification
from duban.targets.models import SourceCategory, Target

URL = "/targets/bulk/edit/"


@pytest.fixture
def office(client, office_user):
    client.force_login(office_user)
    return client


def edit(client, targets, **fields):
    return client.post(URL, {"ids": [t.pk for t in targets], "co_units_mode": "add", **fields})


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def last_event() -> int:
    """The trail so far: setting up a target's co-units is itself an update on it."""
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def updates(target, since=0) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            target_id=target.pk, action=AuditEvent.Action.UPDATE, id__gt=since
        ).order_by("id")
    )


def snapshot(targets) -> list[tuple]:
    return [
        (
            t.lead_unit_id,
            t.leader_id,
            t.deadline,
            t.deadline_text,
            t.source_category,
            t.category,
            sorted(t.co_units.values_list("pk", flat=True)),
        )
        for t in Target.objects.filter(pk__in=[t.pk for t in targets]).order_by("pk")
    ]


def test_the_list_goes_on_to_the_form_with_the_ticked_targets(office, make_target):
    ticked = [make_target(number="5"), make_target(number="6")]
    response = office.post(
        "/targets/bulk/",
        {"step": "edit", "ids": [t.pk for t in ticked], "next": "/targets/?year=2026"},
    )
    assert response.status_code == 302
    page = office.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "批量修改 <small>2 项目标</small>" in body
    for t in ticked:
        assert f'<input type="hidden" name="ids" value="{t.pk}"' in body
    assert 'name="next" value="/targets/?year=2026"' in body
    assert str(ticked[0]) in body
    assert 'value="edit"' in office.get("/targets/").content.decode()


def test_sets_lead_unit_leader_and_category_with_one_record_per_target(
    office, make_target, city, leader
):
    targets = [make_target(), make_target(lead_unit=city["industry"])]
    untouched = make_target()
    response = edit(
        office,
        targets,
        lead_unit=city["bureau"].pk,
        leader=leader.pk,
        category=" 重点目标 ",
        next="/targets/?state=registered",
    )
    assert response.status_code == 302 and response["Location"] == "/targets/?state=registered"
    assert said(response) == ["已批量修改 2 项。"]
    for t in targets:
        t.refresh_from_db()
        assert (t.lead_unit, t.leader, t.category) == (city["bureau"], leader, "重点目标")
        [event] = updates(t)
        assert event.after == {
            "牵头单位": str(city["bureau"]),
            "分管领导": str(leader),
            "目标类别": "重点目标",
        }
        assert event.actor is not None
    assert updates(targets[1])[0].before["牵头单位"] == str(city["industry"])
    untouched.refresh_from_db()
    assert untouched.lead_unit is None and updates(untouched) == []
    assert Target.objects.filter(search_text__contains="王副市长").count() == 2


def test_fields_not_chosen_are_left_as_they_were(office, make_target, city, leader):
    recorded = dict(
        lead_unit=city["industry"],
        leader=leader,
        deadline=datetime.date(2026, 9, 30),
        deadline_text="9月底前",
        category="创优目标",
        source_category=SourceCategory.WORK_REPORT,
        co_units=[city["finance"]],
    )
    targets = [make_target(**recorded), make_target(**recorded)]
    before, since = snapshot(targets), last_event()
    response = edit(office, targets, source_category=SourceCategory.COMMITMENT)
    assert said(response) == ["已批量修改 2 项。"]
    after = snapshot(targets)
    assert [row[:4] + row[5:] for row in after] == [row[:4] + row[5:] for row in before]
    assert {row[4] for row in after} == {SourceCategory.COMMITMENT}
    for t in targets:
        [event] = updates(t, since)
        assert event.before == {"任务来源": "政府工作报告"}
        assert event.after == {"任务来源": "公开承诺事项"}


def test_a_ticked_change_box_with_nothing_filled_clears_the_field(
    office, make_target, city, leader
):
    t = make_target(leader=leader, category="重点目标", lead_unit=city["bureau"])
    response = edit(office, [t], change_leader="on", change_category="on")
    assert said(response) == ["已批量修改 1 项。"]
    t.refresh_from_db()
    assert t.leader is None and t.category == "" and t.lead_unit == city["bureau"]
    [event] = updates(t)
    assert event.before == {"分管领导": str(leader), "目标类别": "重点目标"}


@pytest.mark.parametrize(
    "fields,deadline,text",
    [
        ({"deadline_text": "年底前"}, datetime.date(2026, 12, 31), "年底前"),
        ({"deadline_text": "持续推进"}, None, "持续推进"),
        ({"deadline": "2026-10-15"}, datetime.date(2026, 10, 15), ""),
        (
            {"deadline": "2026-10-15", "deadline_text": "10月中旬"},
            datetime.date(2026, 10, 15),
            "10月中旬",
        ),
    ],
)
def test_deadline_from_a_date_or_the_printed_text(office, make_target, fields, deadline, text):
    t = make_target(deadline=datetime.date(2026, 6, 30), deadline_text="6月底前")
    edit(office, [t], **fields)
    t.refresh_from_db()
    assert (t.deadline, t.deadline_text) == (deadline, text)
    [event] = updates(t)
    assert event.after.get("完成时限（原文）", text) == text


def test_text_alone_gives_each_target_the_date_of_its_own_year(office, make_target):
    this_year, next_year = make_target(year=2026), make_target(year=2027)
    edit(office, [this_year, next_year], deadline_text="年底前")
    this_year.refresh_from_db()
    next_year.refresh_from_db()
    assert this_year.deadline == datetime.date(2026, 12, 31)
    assert next_year.deadline == datetime.date(2027, 12, 31)


def test_co_units_are_added_to_or_replace_those_recorded(office, make_target, city):
    a = make_target(lead_unit=city["bureau"], co_units=[city["finance"]])
    b = make_target(lead_unit=city["bureau"])
    since = last_event()
    edit(office, [a, b], co_units=[city["industry"].pk, city["bureau"].pk])
    assert set(a.co_units.all()) == {city["finance"], city["industry"]}
    assert set(b.co_units.all()) == {city["industry"]}  # the lead unit is not its own co-unit
    added = AuditEvent.objects.filter(target_id=a.pk, summary="增加协办单位", id__gt=since)
    assert [e.after for e in added] == [{"协办单位": [str(city["industry"])]}]
    assert not AuditEvent.objects.filter(target_id=a.pk, summary="移除协办单位").exists()

    edit(office, [a, b], co_units=[city["finance"].pk], co_units_mode="replace")
    assert list(a.co_units.all()) == [city["finance"]] and list(b.co_units.all()) == [
        city["finance"]
    ]
    removed = AuditEvent.objects.filter(target_id=a.pk, summary="移除协办单位")
    assert [e.before for e in removed] == [{"协办单位": [str(city["industry"])]}]
    assert Target.objects.filter(pk=b.pk, search_text__contains="白沙市财政局").exists()

    edit(office, [a], change_co_units="on", co_units_mode="replace")
    assert not a.co_units.exists()


def test_a_new_lead_unit_leaves_the_co_units(office, make_target, city):
    t = make_target(lead_unit=city["bureau"], co_units=[city["finance"], city["industry"]])
    edit(office, [t], lead_unit=city["finance"].pk)
    t.refresh_from_db()
    assert t.lead_unit == city["finance"] and list(t.co_units.all()) == [city["industry"]]


def test_an_assigned_target_moved_to_another_unit_is_announced_to_it(
    office, make_target, city, finance_user
):
    t = make_target(
        state=Target.State.ASSIGNED, lead_unit=city["bureau"], deadline=datetime.date(2026, 12, 31)
    )
    edit(office, [t], lead_unit=city["finance"].pk)
    assert Notification.objects.filter(user=finance_user, kind="assigned", target=t).count() == 1


def test_closed_targets_and_clearing_what_an_assigned_target_needs_are_refused(
    office, make_target, city
):
    closed = make_target(number="8", state=Target.State.CLOSED)
    assigned = make_target(
        number="9", state=Target.State.ASSIGNED, lead_unit=city["bureau"], deadline_text="年底前"
    )
    fresh = make_target(lead_unit=city["bureau"], deadline_text="年底前")
    before = snapshot([closed, assigned])
    response = edit(office, [closed, assigned, fresh], change_lead_unit="on", category="重点目标")
    messages = said(response)
    assert messages[0] == "已批量修改 1 项。"
    assert messages[1].startswith("2 项未能修改——8. ")
    assert "目标已办结，不能修改" in messages[1]
    assert "9. " in messages[1] and "已交办的目标必须有牵头单位" in messages[1]
    assert snapshot([closed, assigned]) == before
    assert updates(closed) == [] and updates(assigned) == []
    fresh.refresh_from_db()
    assert fresh.lead_unit is None and fresh.category == "重点目标"
    response = edit(office, [assigned], change_deadline="on")
    assert "已交办的目标必须有完成时限" in said(response)[-1]


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"lead_unit": "999999"}, "所选牵头单位不存在"),
        ({"co_units": ["999999"]}, "所选协办单位不存在"),
        ({"leader": "999999"}, "所选领导不存在"),
        ({"deadline": "2026-02-30"}, "请输入有效的日期"),
        ({"source_category": "nonsense"}, "不是有效的任务来源"),
        ({"change_source_category": "on"}, "任务来源不能清空"),
        ({"change_co_units": "on"}, "请选择要增加的协办单位"),
        ({"category": "类" * 51}, "目标类别最多 50 个字"),
        ({}, "请至少填写或勾选一项要修改的内容。"),
    ],
)
def test_invalid_input_gets_a_chinese_message_and_changes_nothing(
    office, make_target, city, fields, message
):
    targets = [make_target(lead_unit=city["bureau"]), make_target()]
    before = snapshot(targets)
    response = edit(office, targets, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot(targets) == before
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).exists()
    # The form comes back with the ticked targets still carried.
    assert f'name="ids" value="{targets[1].pk}"' in response.content.decode()


def test_a_leader_who_is_not_a_leader_is_refused(office, make_target, city):
    reporter = Person.objects.create(
        name="某填报员", role=Person.Role.UNIT, organisation=city["bureau"]
    )
    t = make_target()
    response = edit(office, [t], leader=reporter.pk)
    assert response.status_code == 400 and "所选领导不存在" in response.content.decode()


@pytest.mark.parametrize("ids", [[], ["x"], ["-1"]])
def test_an_empty_or_forged_selection_changes_nothing(office, make_target, city, ids):
    t = make_target()
    response = office.post(
        URL, {"ids": ids, "co_units_mode": "add", "lead_unit": city["bureau"].pk}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "请先勾选要修改的目标" in body or "所选目标无效" in body
    t.refresh_from_db()
    assert t.lead_unit is None


def test_the_form_page_needs_a_ticked_target_and_at_most_the_cap(office, make_target):
    response = office.get(URL, {"next": "/targets/?year=2026"})
    assert response.status_code == 302 and response["Location"] == "/targets/?year=2026"
    assert said(response)[-1] == "请先勾选要修改的目标。"
    response = office.get(URL, {"ids": list(range(1, MAX_TARGETS + 2))})
    assert response.status_code == 302
    assert said(response)[-1] == f"一次最多批量办理 {MAX_TARGETS} 项，请分批操作。"
    response = office.post(
        URL, {"ids": list(range(1, MAX_TARGETS + 2)), "co_units_mode": "add", "category": "甲"}
    )
    assert response.status_code == 400
    assert f"一次最多批量修改 {MAX_TARGETS} 项" in response.content.decode()


def test_ids_that_do_not_exist_are_skipped_and_counted(office, make_target):
    t = make_target()
    response = office.post(
        URL, {"ids": [t.pk, 999_999], "co_units_mode": "add", "category": "重点目标"}
    )
    assert said(response) == ["已批量修改 1 项。", "1 项目标不存在或无权修改，已跳过。"]


def test_only_office_staff_may(client, bureau_user, make_target, city):
    own = make_target(lead_unit=city["bureau"])
    others = make_target(lead_unit=city["finance"])
    client.force_login(bureau_user)
    assert client.get(URL, {"ids": [own.pk]}).status_code == 403
    response = edit(client, [own, others], category="重点目标", lead_unit=city["bureau"].pk)
    assert response.status_code == 403
    assert "您没有权限" in response.content.decode()
    assert snapshot([own, others]) == [
        (city["bureau"].pk, None, None, "", SourceCategory.WORK_PLAN, "", []),
        (city["finance"].pk, None, None, "", SourceCategory.WORK_PLAN, "", []),
    ]


def test_signing_in_is_required(client, make_target, office_user):
    t = make_target()
    response = client.get(URL, {"ids": [t.pk]})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
