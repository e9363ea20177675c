"""Tables of figures (statistical yearbooks, score tables): every value cell an achieved figure of
its row, in a workbook, a Word table, a line a web page flattened between pipes, or text aligned
with spaces. The documents are written for these tests (the fictional 青溪市)."""

from __future__ import annotations

from duban.extraction.extract import extract

from .container_samples import cell, docx_bytes, para, table, xlsx_bytes


def _figures(result: dict) -> list[tuple]:
    text = result["text"]
    found = []
    for item in result["items"]:
        for i in item["indicators"]:
            start, end = i["span"]
            assert text[start:end].strip(), i
            found.append((i["subject"], i["value"], i["unit"], i["year"], i["measure"], i["kind"]))
    return found


def test_a_yearbook_sheet_gives_each_cell_with_its_row_year_and_unit():
    def build(workbook):
        sheet = workbook.active
        sheet.append(["青溪市科技统计主要指标"])
        sheet.append(["项目", "Item", "2023", "2024"])
        sheet.append(["专利授权量（件）", "Patents granted (pieces)", 1200, 1350])
        sheet.append(["研发经费占生产总值比重（%）", "R&D expenditure to GDP (%)", 2.1, 2.35])
        sheet.append(["科技人员（万人）", "S&T personnel (10000 persons)", 3.5, 3.8])
        sheet.append(["其中：女性", "Women", 1.2, 1.4])
        sheet.append(["技术合同成交额增长率（%）", "Growth of contract turnover (%)", 12.5, -3.2])
        for row in sheet.iter_rows(min_row=3, min_col=3):
            for c in row:
                c.number_format = "0.00"

    found = _figures(extract(xlsx_bytes(build), name="年鉴.xlsx"))
    assert ("专利授权量", 1200, "件", 2023, "other", "actual") in found
    assert ("专利授权量", 1350, "件", 2024, "other", "actual") in found
    assert ("研发经费占生产总值比重", 2.35, "%", 2024, "share", "actual") in found
    assert ("女性", 1.4, "万人", 2024, "other", "actual") in found  # the 万人 of its whole
    assert ("技术合同成交额增长率", -3.2, "%", 2024, "growth", "actual") in found
    assert len(found) == 10  # nothing from the English column or the years in the header


def test_a_fixed_decimal_format_prints_as_excel_shows_it():
    def build(workbook):
        sheet = workbook.active
        sheet.append(["县区", "得分", "经费"])
        sheet.append(["云台县", 4, 1234567])
        sheet["B2"].number_format = "0.0"
        sheet["C2"].number_format = "#,##0.00"

    text = extract(xlsx_bytes(build), name="得分.xlsx")["text"]
    assert "4.0" in text.split() and "1,234,567.00" in text.split()


def test_a_score_table_in_word_gives_scores_and_ranks_per_county():
    rows = [
        [cell("县区政府"), cell("目标得分"), cell("加分"), cell("综合得分"), cell("排名")],
        [cell("云台县"), cell("96.5"), cell("3.0"), cell("99.5"), cell("1")],
        [cell("青石县"), cell("92.0"), cell("2.5"), cell("94.5"), cell("2")],
        [cell("溪口区"), cell("90.5"), cell("1.0"), cell("91.5"), cell("3")],
    ]
    body = para("青溪市2024年度科技创新考核结果") + table(rows)
    found = _figures(extract(docx_bytes(body), name="考核结果.docx"))
    assert ("云台县", 99.5, "", 2024, "other", "actual") in found
    assert ("青石县", 2, "", 2024, "rank", "actual") in found
    assert len(found) == 12


def test_a_table_flattened_onto_one_line_between_pipes_is_read_as_rows():
    line = (
        "表3 青溪市企业研发项目情况(2024年) | 指标 | 项目数 (项) | 参加人员 (人) | 经费 (万元) | "
        "全市合计 | 820 | 5100 | 91000 | 按规模分 | | | | 大型 | 120 | 2300 | 40100 | "
        "中型 | 300 | 1800 | 30500 | 小型 | 400 | 1000 | 20400 |\n"
    )
    result = extract(line.encode(), name="项目.txt")
    found = _figures(result)
    assert ("全市合计", 820, "项", 2024, "total", "actual") in found
    assert ("中型", 30500, "万元", 2024, "other", "actual") in found
    assert ("小型", 1000, "人", 2024, "other", "actual") in found
    assert not [f for f in found if f[0] == "按规模分"]  # a section row has no figures
    assert len(found) == 12


def test_a_table_of_figures_aligned_with_spaces_is_read_as_rows():
    text = (
        "青溪市科技监测指标\n"
        "项     目          Item                       2023     2024\n"
        "专利授权量  (件)   Patents granted             1200     1350\n"
        "                   (pieces)\n"
        "技术合同成交额  (亿元)  Contract turnover      35.6     41.2\n"
        "科技人员  (万人)   S&T personnel               3.50     3.80\n"
        " 其中:女性          Women                      1.20     1.40\n"
        "\n"
        "返回上级\n"
    )
    found = _figures(extract(text.encode(), name="监测.txt"))
    assert ("专利授权量", 1350, "件", 2024, "other", "actual") in found
    assert ("技术合同成交额", 35.6, "亿元", 2023, "other", "actual") in found
    assert ("女性", 1.2, "万人", 2023, "other", "actual") in found
    assert len(found) == 8


def test_prose_with_pipes_or_trailing_numbers_stays_prose():
    text = (
        "青溪市科技局 | 首页 | 政务公开 | 通知公告 | 工作动态 | 办事服务 | 互动交流 | 专题 | "
        "English | 无障碍 | 长者模式 | 搜索 |\n"
        "2024年全市新增高新技术企业120家，科技型中小企业达到1500家。\n"
        "全市研发投入增长 12 15\n"
    )
    result = extract(text.encode(), name="动态.txt")
    found = _figures(result)
    assert [f[1] for f in found] == [120, 1500]  # the sentence, not the menu or the line
    assert all(item["kind"] != "row" for item in result["items"])
