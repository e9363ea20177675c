"""The trail as a person reads it: local time, people with their unit, lists in 「」, and no
arrow without a value, on the target page, in the admin and in the API. 青溪市 and 云台县."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from duban.audit.context import acting_as, actor_for_user
from duban.audit.models import AuditEvent
from duban.audit.readable import change_rows, created_rows, format_value, person_label
from duban.organisations.models import Organisation, Person
from duban.supervision import actions
from duban.targets.models import Target

from ..conftest import PASSWORD, make_account


@pytest.fixture
def qingxi(db):
    gov = Organisation.objects.create(
        name="青溪市人民政府", short_name="市政府", level=2, kind="government"
    )
    return {
        "gov": gov,
        "bureau": Organisation.objects.create(
            name="青溪市科学技术局", short_name="市科技局", parent=gov
        ),
        "county": Organisation.objects.create(
            name="云台县人民政府", short_name="云台县政府", level=3, kind="government", parent=gov
        ),
        "ndrc": Organisation.objects.create(
            name="青溪市发展和改革委员会", short_name="市发展改革委", parent=gov
        ),
        "county_bureau": Organisation.objects.create(
            name="云台县科学技术局", short_name="云台县科技局", level=3
        ),
    }


@pytest.fixture
def staff(qingxi):
    return make_account("qx_office", "李督查", Person.Role.OFFICE, qingxi["bureau"], staff=True)


@pytest.fixture
def reporter(qingxi):
    return make_account("yt_zhangsan", "张三", Person.Role.UNIT, qingxi["county_bureau"])


class Event:
    """Just what the reading needs of an event."""

    def __init__(self, before, after, summary="", action="update"):
        self.before, self.after, self.summary, self.action = before, after, summary, action


# --- the reading itself --------------------------------------------------------------------


def test_lists_read_in_corner_brackets_with_the_enumeration_comma():
    assert format_value(["云台县政府", "市发展改革委"]) == "「云台县政府、市发展改革委」"


def test_yes_no_and_plain_values():
    assert format_value(True) == "是" and format_value(False) == "否"
    assert format_value(1200) == "1200"
    assert format_value("2026-06-30") == "2026-06-30"


def test_a_recorded_moment_reads_in_shanghai_time():
    assert format_value("2026-06-15T02:30:00+00:00") == "2026-06-15 10:30"
    assert format_value("2026-06-15T18:05:09.123456+00:00") == "2026-06-16 02:05"


def test_a_long_value_is_shortened():
    assert format_value("推" * 100) == "推" * 59 + "…"


@pytest.mark.parametrize(
    "before, after, summary, row",
    [
        ({"完成时限": None}, {"完成时限": "2026-06-30"}, "", "设为 2026-06-30"),
        ({"完成时限": ""}, {"完成时限": "2026-06-30"}, "", "设为 2026-06-30"),
        ({"完成时限": "2026-06-30"}, {"完成时限": None}, "", "清空（原为 2026-06-30）"),
        ({"完成时限": "2026-06-30"}, {"完成时限": "2026-09-30"}, "", "2026-06-30 → 2026-09-30"),
        (
            {"协办单位": None},
            {"协办单位": ["云台县政府", "市发展改革委"]},
            "增加协办单位",
            "增加「云台县政府、市发展改革委」",
        ),
        ({"协办单位": ["云台县政府"]}, {"协办单位": None}, "移除协办单位", "移除「云台县政府」"),
        ({"协办单位": "全部"}, {"协办单位": None}, "移除协办单位", "清空"),
        (
            {"协办单位": ["云台县政府"]},
            {"协办单位": ["云台县政府", "市发展改革委"]},
            "",
            "「云台县政府」 → 「云台县政府、市发展改革委」",
        ),
        ({"是否公开": False}, {"是否公开": True}, "", "否 → 是"),
    ],
)
def test_every_change_reads_without_an_empty_side(before, after, summary, row):
    [(label, text)] = change_rows(Event(before, after, summary))
    assert label == next(iter(after))
    assert text == row
    assert not re.search(r"(^→|→$|（空）)", text)


def test_nothing_to_nothing_is_no_change():
    assert change_rows(Event({"备注": None}, {"备注": ""})) == []


def test_a_notice_reads_as_what_it_said():
    rows = change_rows(
        Event(None, {"提醒对象": "张三", "提醒内容": "临期提醒：……"}, "临期提醒", "notice")
    )
    assert rows == [("提醒对象", "张三"), ("提醒内容", "临期提醒：……")]


def test_a_person_reads_as_name_and_unit(staff, qingxi):
    assert person_label(staff) == "李督查（市科技局）"
    bare = get_user_model().objects.create_user("root", password=PASSWORD)
    assert person_label(bare) == "root"
    Person.objects.create(name="王市长", role=Person.Role.LEADER, user=bare)
    bare.refresh_from_db()
    assert person_label(bare) == "王市长"


# --- on the target page ----------------------------------------------------------------------


@pytest.fixture
def worked_target(qingxi, staff, reporter):
    """A target assigned to 云台县科技局 with co-units, its deadline changed, cleared and set,
    and a report reviewed: every kind of change a timeline shows."""
    target = Target.objects.create(
        year=2026, number="8", text="新增高新技术企业20家", state=Target.State.REGISTERED
    )
    with acting_as(actor_for_user(staff)):
        target.approve()
        target.assign(
            lead_unit=qingxi["county_bureau"],
            co_units=[qingxi["county"], qingxi["ndrc"]],
            deadline=datetime.date(2026, 6, 30),
        )
        target.deadline = None
        target.deadline_text = "持续推进"
        target.save()
    with acting_as(actor_for_user(reporter)):
        actions.acknowledge(reporter, target)
        report = actions.save_report(
            reporter, target, period="2026-Q2", progress="已认定12家", is_complete=True
        )
    with acting_as(actor_for_user(staff)):
        actions.accept(staff, report, "同意")
    report.refresh_from_db()
    return target, report


def _timeline(html: str) -> str:
    start = html.index("办理留痕")
    return html[start:]


def test_the_timeline_reads_as_a_person_reads_it(client, staff, worked_target):
    target, report = worked_target
    client.force_login(staff)
    html = client.get(f"/targets/{target.pk}/").content.decode()
    timeline = _timeline(html)
    # People with their unit, never an account's user name.
    assert "李督查（市科技局）" in timeline and "张三（云台县科技局）" in timeline
    assert "qx_office" not in timeline and "yt_zhangsan" not in timeline
    # Lists in 「」 and no arrow without a value.
    assert "协办单位：增加「云台县政府、市发展改革委」" in timeline
    assert "完成时限（日期）：清空（原为 2026-06-30）" in timeline
    assert "（空）" not in timeline
    assert not re.search(r"：\s*→|→\s*</li>", timeline)
    # Times in Shanghai time, also those recorded inside a value.
    reviewed = timezone.localtime(report.reviewed_at)
    assert f"审核时间：设为 {reviewed:%Y-%m-%d %H:%M}" in timeline
    assert "+00:00" not in timeline
    event = AuditEvent.objects.for_target(target.pk).last()
    shown = timezone.localtime(event.created_at)
    assert shown.utcoffset() == datetime.timedelta(hours=8)
    assert f"{shown:%Y-%m-%d %H:%M}</time>" in timeline
    # The people recorded in a field read the same way.
    assert "审核人：设为 李督查（市科技局）" in timeline


def test_an_actor_whose_account_is_gone_keeps_the_recorded_name(client, staff, qingxi):
    target = Target.objects.create(year=2026, number="9", text="建设众创空间")
    gone = make_account("yt_lisi", "李四", Person.Role.UNIT, qingxi["county_bureau"])
    with acting_as(actor_for_user(gone)):
        target.deadline = datetime.date(2026, 12, 31)
        target.save()
    Person.objects.filter(user=gone).delete()
    gone.delete()
    client.force_login(staff)
    timeline = _timeline(client.get(f"/targets/{target.pk}/").content.decode())
    assert "yt_lisi" in timeline or "李四" in timeline  # the name recorded at the time
    assert "完成时限（日期）：设为 2026-12-31" in timeline


# --- in the admin and the API ------------------------------------------------------------------


def test_the_admin_reads_the_trail_the_same_way(client, staff, worked_target):
    target, report = worked_target
    client.force_login(staff)
    listing = client.get("/admin/audit/auditevent/").content.decode()
    assert "李督查（市科技局）" in listing and "张三（云台县科技局）" in listing
    event = AuditEvent.objects.get(summary="增加协办单位")
    local = timezone.localtime(event.created_at)
    page = client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "协办单位：增加「云台县政府、市发展改革委」" in html
    assert "李督查（市科技局）" in html
    assert f"{local:%Y年%-m月%-d日}" in html and f"{local:%H:%M}" in html
    accepted = (
        AuditEvent.objects.filter(summary="审核通过").first()
        or AuditEvent.objects.filter(
            object_type__model="progressreport", after__has_key="审核时间"
        ).last()
    )
    html = client.get(f"/admin/audit/auditevent/{accepted.pk}/change/").content.decode()
    assert "+00:00" not in html
    assert f"{timezone.localtime(report.reviewed_at):%Y-%m-%d %H:%M}" in html


def test_the_api_timeline_carries_the_readable_reading(client, staff, worked_target):
    target, _ = worked_target
    client.force_login(staff)
    response = client.get(f"/api/targets/{target.pk}/timeline")
    assert response.status_code == 200
    events = response.json()
    assert {e["actor_label"] for e in events} >= {"李督查（市科技局）", "张三（云台县科技局）"}
    changes = [c for e in events for c in e["changes"]]
    assert "协办单位：增加「云台县政府、市发展改革委」" in changes
    assert not [c for c in changes if "（空）" in c or c.endswith("→") or "：→" in c]


# --- deadline extensions: the people in their fields ------------------------------------------


@pytest.fixture
def zhou(qingxi):
    return make_account("zhou_kj", "周敏", Person.Role.UNIT, qingxi["county_bureau"])


@pytest.fixture
def chen(qingxi):
    return make_account("chen_fsz", "陈明", Person.Role.LEADER, qingxi["gov"])


@pytest.fixture
def extended(qingxi, staff, zhou, chen):
    """云台县科技局's request, reviewed by the office and approved by the leader in charge."""
    from duban.supervision import extensions

    target = Target.objects.create(
        year=2026,
        number="12",
        text="建设科技企业孵化器2家",
        state=Target.State.IN_PROGRESS,
        lead_unit=qingxi["county_bureau"],
        leader=chen.person,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    with acting_as(actor_for_user(zhou)):
        extension = extensions.request_extension(
            zhou,
            target,
            requested_deadline=timezone.localdate() + datetime.timedelta(days=90),
            reason="配套用地手续尚在办理",
        )
    with acting_as(actor_for_user(staff)):
        extensions.decide_extension(staff, extension, approve=True, comment="理由充分")
    extension.refresh_from_db()
    with acting_as(actor_for_user(chen)):
        extensions.decide_extension(chen, extension, approve=True)
    return target, extension


def test_an_extensions_people_read_as_name_and_unit(client, staff, extended):
    target, extension = extended
    events = AuditEvent.objects.for_target(target.pk).filter(object_type__model="deadlineextension")
    created = events.get(action="create")
    assert created.after["申请人"] == "周敏（云台县科技局）"
    reviewed = events.get(summary="督查员审核同意，报分管领导审批")
    assert ("审核人", "设为 李督查（市科技局）") in change_rows(reviewed)
    approved = events.get(summary="分管领导同意延期")
    assert ("领导审批人", "设为 陈明（市政府）") in change_rows(approved)
    client.force_login(staff)
    timeline = _timeline(client.get(f"/targets/{target.pk}/").content.decode())
    assert "审核人：设为 李督查（市科技局）" in timeline
    assert "领导审批人：设为 陈明（市政府）" in timeline
    for username in ("zhou_kj", "qx_office", "chen_fsz"):
        assert username not in timeline
    api = client.get(f"/api/targets/{target.pk}/timeline").json()
    rows = [c for e in api for c in e["changes"]]
    assert "申请人：周敏（云台县科技局）" in rows
    assert "领导审批人：设为 陈明（市政府）" in rows


def test_a_user_name_recorded_by_an_earlier_version_reads_as_the_person(client, staff, extended):
    """Before people were recorded by name and unit, the request's creation said 申请人
    zhou_kj; the reading names the person while the account exists."""
    from django.contrib.contenttypes.models import ContentType

    target, extension = extended
    old = AuditEvent.objects.create(
        actor_name="zhou_kj",
        action="create",
        object_type=ContentType.objects.get_for_model(type(extension)),
        object_id=str(extension.pk),
        object_repr=str(extension),
        target_id=target.pk,
        after={"申请人": "zhou_kj", "审核人": "qx_office", "延期理由": "zhou_kj"},
    )
    rows = dict(created_rows(old))
    assert rows["申请人"] == "周敏（云台县科技局）" and rows["审核人"] == "李督查（市科技局）"
    assert rows["延期理由"] == "zhou_kj"  # not a person's field: kept as written
    update = Event({"审核人": None}, {"审核人": "qx_office"})
    update.object_type = old.object_type
    assert change_rows(update) == [("审核人", "设为 李督查（市科技局）")]
    gone = Event({"审核人": None}, {"审核人": "nobody_left"})
    gone.object_type = old.object_type
    assert change_rows(gone) == [("审核人", "设为 nobody_left")]
    client.force_login(staff)
    html = client.get(f"/admin/audit/auditevent/{old.pk}/change/").content.decode()
    assert "周敏（云台县科技局）" in html
    api = client.get(f"/api/targets/{target.pk}/timeline").json()
    [mine] = [e for e in api if e["id"] == old.pk]
    assert "申请人：周敏（云台县科技局）" in mine["changes"]
