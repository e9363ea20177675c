"""Excel workbooks: title rows, merged ranges, values written as a reader sees them."""

from __future__ import annotations

import datetime as dt

from duban.extraction.containers import read_document
from duban.extraction.containers.xlsx import format_value
from tests.extraction.container_samples import xlsx_bytes
from tests.extraction.span_checks import assert_valid


def ledger(workbook):
    sheet = workbook.active
    sheet.title = "业务目标"
    sheet["A1"] = "青溪市2023年度市直单位业务目标"
    sheet.merge_cells("A1:E1")
    sheet["A2"] = "单位名称：青溪市科学技术局"
    sheet.append([])
    sheet.append(["类别", "序号", "目标名称", "目标值", "完成时限"])
    sheet.append(["重点目标", 1, "高新技术企业", 520, dt.datetime(2023, 12, 31)])
    sheet.append([None, 2.0, "研发投入强度", 0.0285, dt.date(2023, 12, 31)])
    sheet.append([None, 3, "技术合同成交额（亿元）", 30.5, None])
    sheet.merge_cells("A5:A7")
    sheet["D6"].number_format = "0.00%"
    sheet.append(["创优目标", 1, "争创国家创新型城市", None, "持续推进"])
    sheet.merge_cells("C8:D8")
    sheet.append([])
    sheet.append(["注：目标值为年度目标。"])
    # formatting far below the data must not stretch the used range
    sheet["H2000"].number_format = "0.00"


def test_ledger_sheet():
    doc = read_document(xlsx_bytes(ledger), name="目标.xlsx")
    assert doc.format == "xlsx"
    assert_valid(doc)
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Paragraph", "Table", "Paragraph"]
    assert [p.text for p in doc.paragraphs] == [
        "青溪市2023年度市直单位业务目标",
        "单位名称：青溪市科学技术局",
        "注：目标值为年度目标。",
    ]
    table = doc.tables[0]
    assert table.title == "青溪市2023年度市直单位业务目标"
    assert [[c.text for c in row] for row in table.rows] == [
        ["类别", "序号", "目标名称", "目标值", "完成时限"],
        ["重点目标", "1", "高新技术企业", "520", "2023-12-31"],
        ["重点目标", "2", "研发投入强度", "2.85%", "2023-12-31"],
        ["重点目标", "3", "技术合同成交额（亿元）", "30.5", ""],
        ["创优目标", "1", "争创国家创新型城市", "争创国家创新型城市", "持续推进"],
    ]
    assert table.rows[2][0].merged_from == (1, 0)
    assert table.rows[3][0].merged_from == (1, 0)
    assert table.rows[4][3].merged_from == (4, 2)
    assert table.rows[4][0].merged_from is None


def test_several_sheets_are_headed_by_their_names():
    def build(workbook):
        first = workbook.active
        first.title = "一季度"
        first.append(["序号", "任务"])
        first.append([1, "建设中试基地"])
        workbook.create_sheet("空表")
        second = workbook.create_sheet("二季度")
        second.append(["序号", "任务"])
        second.append([1, "举办创新大赛"])

    doc = read_document(xlsx_bytes(build), name="a.xlsx")
    assert_valid(doc)
    assert [(p.heading_level, p.text) for p in doc.paragraphs] == [(1, "一季度"), (1, "二季度")]
    assert len(doc.tables) == 2


def test_single_column_sheet_is_a_table_without_title_rows():
    def build(workbook):
        for text in ("任务", "建设中试基地", "举办创新大赛"):
            workbook.active.append([text])

    doc = read_document(xlsx_bytes(build), name="a.xlsx")
    assert doc.paragraphs == []
    assert [[c.text for c in row] for row in doc.tables[0].rows] == [
        ["任务"],
        ["建设中试基地"],
        ["举办创新大赛"],
    ]


def test_format_value():
    assert format_value(None) == ""
    assert format_value(1260.0) == "1260"
    assert format_value(0.1 + 0.2) == "0.3"
    assert format_value(12.94) == "12.94"
    assert format_value(7) == "7"
    assert format_value(True) == "TRUE"
    assert format_value(0.4713, "0.00%") == "47.13%"
    assert format_value(0.45, "0%") == "45%"
    assert format_value(dt.datetime(2022, 4, 1)) == "2022-04-01"
    assert format_value(dt.datetime(2022, 4, 1, 9, 37)) == "2022-04-01 09:37"
    assert format_value(dt.time(9, 30)) == "09:30"
    assert format_value("第一行\r\n第二行") == "第一行\n第二行"
