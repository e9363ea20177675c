"""The roster's optional 简称 column: the short name documents use for a unit, so that a
document import finds the roster's unit instead of creating a second one under its short
name ("without typing any unit twice")."""

from duban.documents.importing import import_extraction
from duban.organisations import roster
from duban.organisations.models import Organisation
from duban.targets.models import Target
from tests.documents.test_importing import extraction

from .conftest import FULL_HEADER, HEADER, confirm, csv_bytes, upload, xlsx_bytes

COMMISSION = [
    "青溪市发展和改革委员会",
    "青溪市人民政府",
    "市级政府部门",
    "郑凯",
    "13900001003",
    "zhengk@qingxi.example",
    "单位填报员",
    "市发展改革委",
]
COUNTY = ["云台县科学技术局", "市科技局", "县级政府部门", "", "", "", "", "云台县科技局"]


def test_a_short_name_is_stored_and_a_document_naming_it_finds_the_same_unit(staff_client):
    response = upload(
        staff_client, "名单.xlsx", xlsx_bytes([COMMISSION, COUNTY], header=FULL_HEADER)
    )
    assert response.status_code == 200, response.context["plan"].problems
    assert "（市发展改革委）" in response.content.decode()
    confirm(staff_client, response)
    commission = Organisation.objects.get(name="青溪市发展和改革委员会")
    assert commission.short_name == "市发展改革委"
    county = Organisation.objects.get(name="云台县科学技术局")
    assert (county.short_name, county.parent.name) == ("云台县科技局", "青溪市科学技术局")

    result = extraction()
    result["items"][0]["fields"]["lead_unit"] = "市发展改革委"
    result["items"][0]["fields"]["co_units"] = ["云台县科技局"]
    import_extraction(result)
    target = Target.objects.get(number="12")
    assert target.lead_unit == commission
    assert list(target.co_units.all()) == [county]
    assert not Organisation.objects.filter(name__in=["市发展改革委", "云台县科技局"]).exists()


def test_without_the_column_a_roster_still_imports(staff_client):
    row = COMMISSION[:7]
    response = upload(staff_client, "名单.csv", csv_bytes([row], header=HEADER))
    assert response.status_code == 200, response.context["plan"].problems
    confirm(staff_client, response)
    assert Organisation.objects.get(name="青溪市发展和改革委员会").short_name == ""


def test_a_new_short_name_keeps_the_old_one_as_a_spelling(staff_client, qingxi):
    row = [*COMMISSION[:7], "市发改委"]
    confirm(staff_client, upload(staff_client, "名单.csv", csv_bytes([row], header=FULL_HEADER)))
    response = upload(staff_client, "名单.csv", csv_bytes([COMMISSION], header=FULL_HEADER))
    (unit,) = [u for u in response.context["plan"].units if u.name == "青溪市发展和改革委员会"]
    assert unit.changes == ["简称：市发改委 → 市发展改革委"]
    confirm(staff_client, response)
    commission = Organisation.objects.get(name="青溪市发展和改革委员会")
    assert commission.short_name == "市发展改革委"
    assert Organisation.find_by_name("市发改委") == commission
    # And the same file again changes nothing.
    again = upload(staff_client, "名单.csv", csv_bytes([COMMISSION], header=FULL_HEADER))
    assert again.context["plan"].changes_nothing


def test_a_short_name_names_one_unit(staff_client):
    taken = [*COUNTY[:7], "市科技局"]  # the office's own unit's short name
    twice = [
        ["云台县人民政府", "", "县级人民政府", "", "", "", "", "云台县"],
        ["云台县财政局", "", "县级政府部门", "", "", "", "", "云台县"],
    ]
    response = upload(staff_client, "名单.csv", csv_bytes([taken, *twice], header=FULL_HEADER))
    assert response.status_code == 400
    messages = [p.message for p in response.context["plan"].problems]
    assert "简称“市科技局”已用于单位“青溪市科学技术局”，一个简称只能指一个单位" in messages
    assert "简称“云台县”已用于单位“云台县人民政府”，一个简称只能指一个单位" in messages
    assert not Organisation.objects.filter(name="云台县科学技术局").exists()


def test_export_writes_the_short_name_and_reads_back_unchanged(staff_client):
    confirm(
        staff_client, upload(staff_client, "名单.csv", csv_bytes([COMMISSION], header=FULL_HEADER))
    )
    rows = roster.export_rows()
    assert [
        *COMMISSION[:3],
        "郑凯",
        "13900001003",
        "zhengk@qingxi.example",
        "单位填报员",
        "市发展改革委",
    ] in rows
    response = upload(staff_client, "导出.xlsx", staff_client.get("/units/export.xlsx").content)
    assert response.context["plan"].changes_nothing
