"""A unit's fill-in form (填报表) for a reporting round: the progress ledger with the answers
left empty, read cell by cell in both formats, then filled in the way a unit fills it and read
back by the extraction."""

import datetime
import io

import openpyxl
import pytest

from duban.extraction.extract import extract
from duban.reports.ledgers.layouts import GAP, UNITS_NOTE
from duban.supervision import rounds
from duban.targets.periods import Period

from ..supervision.round_city import M7, M8, T7, T8, T9, build_city
from .ledger_checks import docx_part, docx_parts, xlsx_sheet

Q2 = Period.parse("2022-Q2")
DEADLINE = datetime.date(2022, 7, 10)
TITLE = "市科技局2022年第二季度政府工作报告目标任务完成情况填报表"
CONTACT_LINE = f"单位名称：市科技局{GAP}联系人：{GAP}{GAP}联系电话："
DEADLINE_NOTE = "请于2022年7月10日前填写本表并报送。"
HEADER = [
    "序号",
    "年度目标",
    "第2季度目标",
    "是否完成",
    "具体工作进展",
    "未完成原因",
    "下步工作打算",
    "市政府分管领导",
    "责任单位",
]
# The office's columns printed, the unit's answers left empty: target 8 has a report already
# and target 9 a returned one, and neither is printed on the form.
BODY = [
    ["7", T7, M7, "", "", "", "", "周副市长", "市科技局\n市工业和信息化局"],
    ["8", T8, M8, "", "", "", "", "", "市科技局"],
    ["9", T9, "", "", "", "", "", "", "市科技局"],
]


@pytest.fixture
def city(db):
    return build_city()


def _form(city, fmt):
    return rounds.unit_form(Q2, city.bureau, fmt, deadline=DEADLINE)


def _padded(value):
    return [value] + [""] * 8


def test_xlsx_form_cell_by_cell(city):
    result = _form(city, "xlsx")
    rows, merges, sheet = xlsx_sheet(result.content)
    assert rows == [
        _padded(TITLE),
        _padded(CONTACT_LINE),
        HEADER,
        *BODY,
        _padded(UNITS_NOTE),
        _padded(DEADLINE_NOTE),
    ]
    assert merges == {"A1:I1", "A2:I2", "A7:I7", "A8:I8"}
    assert result.filename == f"{TITLE}.xlsx"
    # Room to write in, in rows that grow as the unit types (openpyxl reads any height as
    # custom, so the sheet's own XML is asked).
    for r in (4, 5, 6):
        assert sheet.row_dimensions[r].height >= 60
    xml = docx_part(result.content, "xl/worksheets/sheet1.xml").decode()
    assert '<row r="3" ht="34" customHeight="1">' in xml  # the header keeps its height
    assert all(f'<row r="{r}" ht="63">' in xml for r in (4, 5, 6))


def test_docx_form_cell_by_cell(city):
    result = _form(city, "docx")
    before, grid, merges, after, _raw = docx_parts(result.content)
    assert before == [TITLE, CONTACT_LINE]
    assert grid == [HEADER, *BODY]
    assert merges == set()
    assert after == [UNITS_NOTE, DEADLINE_NOTE]


def test_the_round_deadline_is_printed_when_none_is_given(city):
    found, _ = rounds.open_round(Q2, deadline=datetime.date(2022, 7, 15))
    rows, _merges, _sheet = xlsx_sheet(rounds.unit_form(Q2, city.bureau, "xlsx").content)
    assert rows[-1][0] == "请于2022年7月15日前填写本表并报送。"


def test_a_unit_with_nothing_due_has_no_form(city):
    assert rounds.unit_form(Q2, city.industry, "xlsx") is None
    assert rounds.unit_form(Period.parse("2023-Q1"), city.bureau, "xlsx") is None


ANSWERS = {
    "7": (
        "未完成",
        "已推荐第一批企业85家，正在组织专家评审。",
        "评审工作推迟。",
        "7月底前完成评审。",
    ),
    "8": ("完成", "创新港一期主体工程已通过验收，入驻研发机构2家。", "无", "推进二期建设。"),
    "9": ("未完成", "技术合同成交额同比增长9.6%。", "部分合同尚未登记。", "加强登记服务。"),
}


def _fill_xlsx(content: bytes) -> bytes:
    """As a unit fills it in Excel: the four answer cells of each row typed in."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(min_row=4):
        number = row[0].value
        if number in ANSWERS:
            for cell, value in zip(row[3:7], ANSWERS[number], strict=True):
                cell.value = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_filled_form_reads_back_through_the_extraction(city):
    result = _form(city, "xlsx")
    filled = _fill_xlsx(result.content)
    extraction = extract(filled, name=result.filename)
    document = extraction["document"]
    assert document["period"] == "2022-Q2"
    assert document["year"] == 2022
    assert document["genre"] == "progress"
    assert document["issuer"] == "市科技局"
    items = {item["number"]: item["fields"] for item in extraction["items"]}
    assert set(items) == {"7", "8", "9"}
    expected_targets = {"7": (T7, M7), "8": (T8, M8), "9": (T9, None)}
    for number, (annual, milestone) in expected_targets.items():
        fields = items[number]
        assert fields["annual_target"] == annual
        assert fields.get("period_target") == milestone
        status, progress, reason, next_steps = ANSWERS[number]
        assert fields["status"] == status
        assert fields["progress"] == progress
        assert fields["reason"] == reason
        assert fields["next_steps"] == next_steps
        assert fields["lead_unit"] == "市科技局"
    assert items["7"]["co_units"] == ["市工业和信息化局"]
    assert items["7"]["leaders"] == ["周副市长"]


def test_an_unfilled_form_reads_back_with_no_answers(city):
    result = _form(city, "docx")
    extraction = extract(result.content, name=result.filename)
    assert extraction["document"]["period"] == "2022-Q2"
    for item in extraction["items"]:
        assert not {"status", "progress", "reason", "next_steps"} & set(item["fields"])
