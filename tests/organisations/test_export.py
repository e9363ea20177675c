"""Export of units and people, and its round trip: export then import changes nothing."""

import csv
import io

import openpyxl

from duban.audit.models import AuditEvent

from .conftest import FULL_HEADER, ROSTER, confirm, csv_bytes, snapshot, upload


def test_export_lists_every_unit_and_person(staff_client):
    confirm(staff_client, upload(staff_client, "名单.csv", csv_bytes(ROSTER)))
    response = staff_client.get("/units/export.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == FULL_HEADER
    assert ["石湖县人民政府", "青溪市人民政府", "县级人民政府", "", "", "", "", ""] in rows
    assert [
        "云台县科学技术局",
        "云台县人民政府",
        "县级政府部门",
        "孙海",
        "13900000006",
        "sunh@yuntai.example",
        "单位填报员",
        "",
    ] in rows
    # parents before children
    names = [r[0] for r in rows[1:]]
    assert names.index("云台县人民政府") < names.index("云台县科学技术局")


def test_export_then_import_changes_nothing(staff_client):
    confirm(staff_client, upload(staff_client, "名单.csv", csv_bytes(ROSTER)))
    for fmt in ("xlsx", "csv"):
        exported = staff_client.get(f"/units/export.{fmt}").content
        before, events = snapshot(), AuditEvent.objects.count()
        response = upload(staff_client, f"导出.{fmt}", exported)
        assert response.status_code == 200, response.context["plan"].problems
        assert response.context["plan"].changes_nothing
        confirm(staff_client, response)
        assert snapshot() == before
        assert AuditEvent.objects.count() == events


def test_csv_export_is_utf8_with_a_bom(staff_client):
    response = staff_client.get("/units/export.csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == FULL_HEADER
    assert any(r[0] == "青溪市科学技术局" and r[3] == "吴督查" and r[6] == "督查员" for r in rows)
