"""Importing units and people from a roster: preview, confirm, bad rows, encodings, all or
nothing, and the same file twice."""

import pytest
from django.contrib.auth import get_user_model

from duban.audit.models import AuditEvent
from duban.organisations import roster
from duban.organisations.models import Organisation, Person

from .conftest import ROSTER, confirm, csv_bytes, snapshot, upload, xlsx_bytes


def problems(response):
    return [(p.line, p.message) for p in response.context["plan"].problems]


def test_preview_says_what_the_import_will_do_and_stores_nothing(staff_client):
    before = snapshot()
    response = upload(staff_client, "名单.csv", csv_bytes(ROSTER))
    assert response.status_code == 200
    plan = response.context["plan"]
    assert plan.is_valid
    actions = {u.name: u.action for u in plan.units}
    assert actions["青溪市人民政府"] == "unchanged"
    assert actions["云台县人民政府"] == "create"
    page = response.content.decode()
    assert "确认导入" in page and "单位新建4个" in page
    assert snapshot() == before


def test_confirm_stores_the_tree_people_and_accounts_waiting_for_an_invitation(staff_client):
    response = confirm(staff_client, upload(staff_client, "名单.xlsx", xlsx_bytes(ROSTER)))
    assert response.status_code == 302
    yuntai = Organisation.objects.get(name="云台县人民政府")
    assert (yuntai.level, yuntai.kind, yuntai.parent.name) == (3, "government", "青溪市人民政府")
    bureau = Organisation.objects.get(name="云台县科学技术局")
    assert (bureau.level, bureau.kind, bureau.parent) == (3, "department", yuntai)
    shihu = Organisation.objects.get(name="石湖县人民政府")
    assert not shihu.people.exists()
    chen = Person.objects.get(name="陈立")
    assert (chen.role, chen.organisation.name, chen.phone) == (
        "unit",
        "青溪市财政局",
        "13900000004",
    )
    assert chen.user.email == "chenl@qingxi.example"
    assert chen.user.is_active and not chen.user.has_usable_password()
    zhou = Person.objects.get(name="周明远")
    assert zhou.role == "leader" and zhou.user.username == "13900000001"
    # Recorded in the trail, with what did it.
    created = AuditEvent.objects.filter(action="create", summary__contains="名单.xlsx")
    assert created.filter(object_repr="云台县人民政府").exists()
    assert created.filter(object_repr="陈立").exists()
    assert created.filter(object_repr="chenl@qingxi.example").exists()


def test_the_same_file_twice_changes_nothing(staff_client):
    confirm(staff_client, upload(staff_client, "名单.csv", csv_bytes(ROSTER)))
    before, events = snapshot(), AuditEvent.objects.count()
    response = upload(staff_client, "名单.csv", csv_bytes(ROSTER))
    plan = response.context["plan"]
    assert plan.changes_nothing
    assert "导入不会做任何改动" in response.content.decode()
    confirm(staff_client, response)
    assert snapshot() == before
    assert AuditEvent.objects.count() == events


def test_a_changed_row_updates_only_what_it_changes(staff_client):
    confirm(staff_client, upload(staff_client, "名单.csv", csv_bytes(ROSTER)))
    changed = [list(r) for r in ROSTER]
    changed[3][4] = "13900000099"  # 陈立's phone
    changed[3][5] = ""  # a blank cell never clears what is stored
    response = upload(staff_client, "名单.csv", csv_bytes(changed))
    people = {p.name: p for p in response.context["plan"].people}
    assert people["陈立"].action == "update"
    assert people["陈立"].changes == ["手机：13900000004 → 13900000099"]
    assert people["李晓明"].action == "unchanged"
    confirm(staff_client, response)
    chen = Person.objects.get(name="陈立")
    assert (chen.phone, chen.email) == ("13900000099", "chenl@qingxi.example")
    assert AuditEvent.objects.filter(
        object_repr="陈立", action="update", after__电话="13900000099"
    ).exists()


def test_gbk_csv_is_read_correctly(staff_client):
    response = upload(staff_client, "名单.csv", csv_bytes(ROSTER, encoding="gbk"))
    assert response.status_code == 200, problems(response)
    confirm(staff_client, response)
    assert Organisation.objects.filter(name="云台县科学技术局").exists()
    assert Person.objects.filter(name="孙海", organisation__name="云台县科学技术局").exists()


def test_missing_columns_are_named(staff_client):
    rows = [[r[0], r[1], r[3]] for r in ROSTER]
    response = upload(
        staff_client, "名单.csv", csv_bytes(rows, header=["单位名称", "上级单位", "联系人"])
    )
    assert response.status_code == 400
    message = dict(problems(response))[None]
    assert "缺少列：类别、手机、邮箱、角色" in message
    assert not response.context["payload"]


def test_a_file_without_a_unit_column_is_refused_as_a_whole(staff_client):
    response = upload(staff_client, "名单.csv", csv_bytes([["a", "b"]], header=["甲", "乙"]))
    assert response.status_code == 400
    assert "没有找到“单位名称”列" in response.content.decode()


@pytest.mark.parametrize(
    "rows, line, message",
    [
        # the same person twice
        (
            [ROSTER[1], ROSTER[1][:5] + ["", ""]],
            3,
            "“青溪市科学技术局”的单位填报员“李晓明”重复出现（第2行）",
        ),
        # the same unit twice with different parents
        (
            [
                ["云台县人民政府", "青溪市人民政府", "县级人民政府", "", "", "", ""],
                ["云台县人民政府", "青溪市科学技术局", "", "赵云峰", "", "", "分管领导"],
            ],
            3,
            "单位“云台县人民政府”重复出现，第2行与本行的上级单位不一致",
        ),
        # the same bare unit row twice
        (
            [ROSTER[6], ROSTER[6]],
            3,
            "单位“石湖县人民政府”重复出现（第2行）",
        ),
        (
            [["云台县人民政府", "青溪省人民政府", "县级人民政府", "", "", "", ""]],
            2,
            "上级单位“青溪省人民政府”既不在本文件中，也不是已有单位",
        ),
        (
            [
                ROSTER[1],
                ["青溪市财政局", "青溪市人民政府", "", "陈立", "", "LIXM@qingxi.example", ""],
            ],
            3,
            "邮箱“lixm@qingxi.example”在第2行已用于另一人",
        ),
        ([["", "青溪市人民政府", "", "陈立", "", "", ""]], 2, "单位名称为空"),
        ([["青溪市财政局", "", "", "", "139", "", ""]], 2, "联系人姓名为空"),
        ([["青溪市财政局", "", "", "陈立", "一三九", "", ""]], 2, "不是有效的电话号码"),
        ([["青溪市财政局", "", "", "陈立", "", "chenl@", ""]], 2, "邮箱“chenl@”格式不正确"),
        ([["青溪市财政局", "", "", "陈立", "", "", "局长"]], 2, "角色“局长”无法识别"),
        ([["青溪市财政局", "", "财政", "", "", "", ""]], 2, "类别“财政”无法识别"),
        (
            [["青溪市财政局", "云台县人民政府", "市级政府部门", "", "", "", ""], ROSTER[4]],
            2,
            "上级单位“云台县人民政府”的层级低于“青溪市财政局”",
        ),
        (
            [
                ["甲单位", "乙单位", "", "", "", "", ""],
                ["乙单位", "甲单位", "", "", "", "", ""],
            ],
            2,
            "单位“甲单位”的上级单位形成了循环",
        ),
    ],
)
def test_each_bad_row_gets_its_message_and_nothing_is_stored(staff_client, rows, line, message):
    before = snapshot()
    response = upload(staff_client, "名单.csv", csv_bytes([*rows, *ROSTER[3:4]]))
    assert response.status_code == 400
    found = [m for n, m in problems(response) if n == line and message in m]
    assert found, problems(response)
    page = response.content.decode()
    assert f"第{line}行：" in page and "整份文件未导入" in page
    assert not response.context["payload"]
    assert snapshot() == before


def test_an_email_already_used_by_someone_stored(staff_client, reporter):
    reporter.email = "liutb@qingxi.example"
    reporter.save()
    rows = [["青溪市财政局", "青溪市人民政府", "", "陈立", "", "LiuTB@qingxi.example", ""]]
    response = upload(staff_client, "名单.csv", csv_bytes(rows))
    assert response.status_code == 400
    assert "邮箱“liutb@qingxi.example”已被账号“tianbao”使用" in dict(problems(response))[2]
    person = Person.objects.get(user=reporter)
    person.email = "liutb@qingxi.example"
    person.save()
    response = upload(staff_client, "名单.csv", csv_bytes(rows))
    assert "已被青溪市科学技术局的刘填报使用" in dict(problems(response))[2]


def test_nothing_is_half_stored_when_storing_fails_midway(staff_client, monkeypatch):
    response = upload(staff_client, "名单.csv", csv_bytes(ROSTER))
    before, events = snapshot(), AuditEvent.objects.count()
    real, calls = roster._store_person, []

    def failing(plan, org, summary):
        calls.append(plan.name)
        if len(calls) == 4:
            raise RuntimeError("disk full")
        return real(plan, org, summary)

    monkeypatch.setattr(roster, "_store_person", failing)
    staff_client.raise_request_exception = False
    result = confirm(staff_client, response)
    assert result.status_code == 500
    assert len(calls) == 4
    assert snapshot() == before
    assert AuditEvent.objects.count() == events


def test_a_file_that_became_invalid_since_its_preview_stores_nothing(staff_client):
    response = upload(staff_client, "名单.csv", csv_bytes(ROSTER))
    get_user_model().objects.create_user("other", email="sunh@yuntai.example")
    before = snapshot()
    result = confirm(staff_client, response)
    assert result.status_code == 409
    assert "sunh@yuntai.example" in result.content.decode()
    assert snapshot() == before


def test_a_tampered_payload_is_refused(staff_client):
    response = staff_client.post("/units/import/confirm/", {"payload": "x:y:z"}, follow=True)
    assert "预览已过期或内容被改动" in response.content.decode()


def test_old_excel_and_other_files_are_refused_with_a_reason(staff_client):
    response = upload(staff_client, "名单.xls", b"\xd0\xcf\x11\xe0rest")
    assert response.status_code == 400
    assert "另存为 .xlsx 或 .csv" in response.content.decode()
    response = upload(staff_client, "名单.xlsx", b"PK\x03\x04 not really")
    assert "无法打开这个 Excel 文件" in response.content.decode()


def test_units_and_people_only_office_staff_may_import(client, reporter):
    client.force_login(reporter)
    response = upload(client, "名单.csv", csv_bytes(ROSTER))
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="云台县人民政府").exists()
