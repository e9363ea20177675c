"""Fixtures of the units-and-people pages: the fictional city 青溪市 and its counties, and
rosters written as .csv (UTF-8 or GBK) or .xlsx."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from duban.organisations.models import Organisation, Person

HEADER = ["单位名称", "上级单位", "类别", "联系人", "手机", "邮箱", "角色"]
# What the page writes (template, export): the same, and the optional short name last.
FULL_HEADER = [*HEADER, "简称"]

# A roster of the fictional city 青溪市: its government, two bureaus, a county with a bureau
# of its own, and a county that has nobody yet.
ROSTER = [
    ["青溪市人民政府", "", "市级人民政府", "周明远", "13900000001", "", "分管领导"],
    [
        "青溪市科学技术局",
        "青溪市人民政府",
        "市级政府部门",
        "李晓明",
        "13900000002",
        "lixm@qingxi.example",
        "单位填报员",
    ],
    [
        "青溪市科学技术局",
        "青溪市人民政府",
        "市级政府部门",
        "王芳",
        "13900000003",
        "wangf@qingxi.example",
        "单位填报员",
    ],
    [
        "青溪市财政局",
        "青溪市人民政府",
        "市级政府部门",
        "陈立",
        "13900000004",
        "chenl@qingxi.example",
        "",
    ],
    ["云台县人民政府", "青溪市人民政府", "县级人民政府", "赵云峰", "13900000005", "", "分管领导"],
    [
        "云台县科学技术局",
        "云台县人民政府",
        "县级政府部门",
        "孙海",
        "13900000006",
        "sunh@yuntai.example",
        "单位填报员",
    ],
    ["石湖县人民政府", "青溪市人民政府", "县级人民政府", "", "", "", ""],
]


def csv_bytes(rows, *, header=HEADER, encoding="utf-8"):
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, *, header=HEADER):
    book = openpyxl.Workbook()
    sheet = book.active
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def snapshot():
    """Everything an import may touch, to compare before and after."""
    User = get_user_model()
    return (
        sorted(
            Organisation.objects.values_list("name", "parent__name", "level", "kind", "is_active")
        ),
        sorted(
            Person.objects.values_list(
                "name", "organisation__name", "role", "phone", "email", "is_active", "user_id"
            )
        ),
        sorted(User.objects.values_list("username", "email", "is_active")),
    )


@pytest.fixture
def qingxi(db):
    """The office's own unit and its staff, as first-run setup leaves them."""
    gov = Organisation.objects.create(name="青溪市人民政府", level=2, kind="government")
    bureau = Organisation.objects.create(name="青溪市科学技术局", short_name="市科技局", parent=gov)
    return {"gov": gov, "bureau": bureau}


@pytest.fixture
def staff(qingxi):
    user = get_user_model().objects.create_user("duchayuan", password="x-correct-horse-9")
    Person.objects.create(
        name="吴督查", role=Person.Role.OFFICE, organisation=qingxi["bureau"], user=user
    )
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def reporter(qingxi):
    user = get_user_model().objects.create_user("tianbao", password="x-correct-horse-9")
    Person.objects.create(
        name="刘填报", role=Person.Role.UNIT, organisation=qingxi["bureau"], user=user
    )
    return user


def upload(client, name, data):
    return client.post("/units/import/", {"file": _named(name, data)})


def _named(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def confirm(client, preview_response):
    payload = preview_response.context["payload"]
    assert payload, "the preview offers no confirmation"
    return client.post("/units/import/confirm/", {"payload": payload})
