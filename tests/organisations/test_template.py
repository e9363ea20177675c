"""The roster template offered for download: its columns, and that it imports as it is."""

import io

import openpyxl

from duban.organisations import roster

from .conftest import FULL_HEADER, confirm, upload


def test_xlsx_template_has_the_columns_and_example_rows(staff_client):
    response = staff_client.get("/units/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == FULL_HEADER
    assert rows[1][0] == "青溪市人民政府"
    assert sheet["E3"].number_format == "@"  # phone numbers stay text


def test_csv_template_opens_in_excel_as_utf8(staff_client):
    response = staff_client.get("/units/template.csv")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    first = response.content.decode("utf-8-sig").splitlines()[0]
    assert first.split(",") == FULL_HEADER


def test_the_template_imports_as_downloaded(staff_client):
    for fmt in ("xlsx", "csv"):
        data = staff_client.get(f"/units/template.{fmt}").content
        response = upload(staff_client, f"模板.{fmt}", data)
        assert response.status_code == 200, response.context["plan"].problems
        assert len(response.context["plan"].units) == len({r[0] for r in roster.TEMPLATE_EXAMPLE})
    confirm(staff_client, response)


def test_unknown_format_is_404(staff_client):
    assert staff_client.get("/units/template.pdf").status_code == 404
