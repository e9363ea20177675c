"""The three ledgers: exported files read back cell by cell, read back by the extractor into
the same targets, the five seed documents imported and exported, and the download page."""

import datetime
from urllib.parse import unquote

import pytest
from django.utils import timezone

from duban.extraction.extract import extract
from duban.reports.ledgers.export import Contact, LedgerError, export_ledger
from duban.reports.ledgers.layouts import GAP, UNITS_NOTE
from duban.reports.ledgers.selection import default_period, select
from duban.targets.models import Milestone, ProgressReport, SourceCategory, Target
from duban.targets.periods import Period
from tests.conftest import login

from .ledger_checks import (
    canonical_all,
    docx_part,
    docx_parts,
    reimport,
    wipe_targets,
    xlsx_sheet,
)

ACCEPTED = ProgressReport.Review.ACCEPTED
SUBMITTED = ProgressReport.Review.SUBMITTED
CONTACT = Contact("李明", "12345678")
CONTACT_LINE = f"联系人：李明{GAP}联系电话：12345678"
FORMATS = ["xlsx", "docx"]
Q2 = Period.parse("2026-Q2")

PROGRESS_HEADER = [
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
T1 = "实施科技型企业培育行动，年内高新技术企业达到300家。"
T2 = "新增省级以上创新平台5家以上。"
T3 = "支持白沙高新区争创国家级高新区。"
T1_PROGRESS = "印发培育方案，组织首批企业申报，新增高新技术企业36家。"
T2_PROGRESS = "已推荐2家平台参加省级评审。\n评审结果预计三季度公布。"


def _at(day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 6, day, 10, 0))


def _report(target, period, progress, *, state=ACCEPTED, day=1, unit=None, **fields):
    return ProgressReport.objects.create(
        target=target,
        period=period,
        unit=unit or target.lead_unit,
        progress=progress,
        review_state=state,
        submitted_at=_at(day),
        created_at=_at(day),
        **fields,
    )


@pytest.fixture
def units(city):
    # A fixed order for co-units, whatever the database's collation.
    city["finance"].sort_order, city["industry"].sort_order = 10, 20
    city["finance"].save()
    city["industry"].save()
    return city


@pytest.fixture
def progress_targets(units, leader, make_target):
    bureau, finance, industry = units["bureau"], units["finance"], units["industry"]
    source = SourceCategory.WORK_REPORT
    t1 = make_target(
        number="12",
        text=T1,
        source_category=source,
        lead_unit=bureau,
        co_units=[industry, finance],
        leader=leader,
    )
    Milestone.objects.create(target=t1, period="2026-Q2", text="完成培育方案制定并组织首批申报。")
    _report(
        t1,
        "2026-Q2",
        T1_PROGRESS,
        status_text="完成",
        is_complete=True,
        reason="无",
        next_steps="继续做好申报辅导。",
        day=3,
    )
    # Sent later by a co-unit but not yet accepted: the accepted report is the one printed.
    _report(
        t1, "2026-Q2", "补充说明：另有两家企业在辅导中。", state=SUBMITTED, day=20, unit=industry
    )
    _report(t1, "2026-Q2", "尚在起草的进展。", state=ProgressReport.Review.DRAFT, day=25)
    _report(t1, "2026-Q1", "一季度召开政策宣讲会。", day=1)
    t2 = make_target(number="13", text=T2, source_category=source, lead_unit=finance, leader=leader)
    Milestone.objects.create(target=t2, period="2026-Q2", text="推荐平台参加省级评审。")
    _report(
        t2,
        "2026-Q2",
        T2_PROGRESS,
        state=SUBMITTED,
        is_complete=False,
        reason="省级评审尚未启动。",
        next_steps="跟进评审进度。",
    )
    t3 = make_target(number="14", text=T3, source_category=source, lead_unit=bureau)
    # Not in the 2026 work-report ledger: another year, another source.
    make_target(year=2025, number="12", text="上一年度的目标。", source_category=source)
    make_target(number="1", text="工作要点中的目标。", lead_unit=bureau)
    return [t1, t2, t3]


PROGRESS_BODY = [
    [
        "12",
        T1,
        "完成培育方案制定并组织首批申报。",
        "完成",
        T1_PROGRESS,
        "无",
        "继续做好申报辅导。",
        "王副市长",
        "市科技局\n市财政局\n市工业和信息化局",
    ],
    [
        "13",
        T2,
        "推荐平台参加省级评审。",
        "未完成",
        T2_PROGRESS,
        "省级评审尚未启动。",
        "跟进评审进度。",
        "王副市长",
        "市财政局",
    ],
    ["14", T3, "", "", "", "", "", "", "市科技局"],
]
PROGRESS_TITLE = "2026年第二季度政府工作报告目标任务完成情况"


def work_reports():
    return Target.objects.filter(source_category=SourceCategory.WORK_REPORT)


def _padded(value, width):
    return [value] + [""] * (width - 1)


# --- progress -------------------------------------------------------------------------------


def test_progress_xlsx_cell_by_cell(progress_targets):
    result = export_ledger(work_reports(), "progress", "xlsx", period=Q2, contact=CONTACT)
    rows, merges, sheet = xlsx_sheet(result.content)
    assert rows == [
        _padded(PROGRESS_TITLE, 9),
        _padded(CONTACT_LINE, 9),
        PROGRESS_HEADER,
        *PROGRESS_BODY,
        _padded(UNITS_NOTE, 9),
    ]
    assert merges == {"A1:I1", "A2:I2", "A7:I7"}
    assert result.filename == f"{PROGRESS_TITLE}.xlsx"


def test_progress_xlsx_prints_as_an_office_does(progress_targets):
    result = export_ledger(work_reports(), "progress", "xlsx", period=Q2, contact=CONTACT)
    _rows, _merges, sheet = xlsx_sheet(result.content)
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == "9"  # A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$3:$3"  # the header row on every printed page
    assert sheet["A1"].font.name == "宋体" and sheet["A1"].font.bold
    assert sheet["A3"].font.name == "宋体" and sheet["A3"].font.bold
    body = sheet["E4"]
    assert body.font.name == "仿宋"
    assert body.alignment.wrap_text
    assert body.border.left.style == "thin" and body.border.bottom.style == "thin"
    assert sheet["A4"].alignment.horizontal == "center"
    assert sheet.column_dimensions["E"].width > sheet.column_dimensions["A"].width
    # Rows are as tall as their text: the three-unit row is taller than the one-unit row.
    assert sheet.row_dimensions[4].height > sheet.row_dimensions[6].height


def test_progress_docx_cell_by_cell(progress_targets):
    result = export_ledger(work_reports(), "progress", "docx", period=Q2, contact=CONTACT)
    before, grid, merges, after, raw = docx_parts(result.content)
    assert before == [PROGRESS_TITLE, CONTACT_LINE]
    assert grid == [PROGRESS_HEADER, *PROGRESS_BODY]
    assert merges == set()
    assert after == [UNITS_NOTE]
    assert all(span == 1 and vmerge is None for row in raw for _t, span, vmerge in row)
    document = docx_part(result.content, "word/document.xml").decode()
    # The header row repeats on each page; the section is A4 landscape.
    assert document.count("<w:tblHeader/>") == 1
    assert '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>' in document
    styles = docx_part(result.content, "word/styles.xml").decode()
    assert 'w:eastAsia="仿宋"' in styles and 'w:eastAsia="宋体"' in styles


def test_the_printed_report_is_the_accepted_one_of_the_period(progress_targets):
    t1 = progress_targets[0]
    selection = select(work_reports(), "progress", period=Q2)
    row = next(r for r in selection.rows if r.target == t1)
    assert row.report.progress == T1_PROGRESS
    # Once nothing is accepted, the latest sent report is printed; drafts never are.
    t1.reports.filter(review_state=ACCEPTED).delete()
    selection = select(work_reports(), "progress", period=Q2)
    row = next(r for r in selection.rows if r.target == t1)
    assert row.report.progress == "补充说明：另有两家企业在辅导中。"


def test_the_period_defaults_to_the_latest_with_milestones_or_reports(progress_targets):
    today = datetime.date(2026, 8, 1)
    targets = work_reports().filter(year=2026)
    assert default_period(targets, "progress", 2026, today) == Q2
    # A draft does not make a period; a milestone does.
    _report(progress_targets[2], "2026-Q3", "草稿", state=ProgressReport.Review.DRAFT)
    assert default_period(targets, "progress", 2026, today) == Q2
    Milestone.objects.create(target=progress_targets[2], period="2026-Q3", text="完成考察。")
    assert default_period(targets, "progress", 2026, today) == Period.parse("2026-Q3")
    # Nothing at all: the current quarter this year, the year itself for a past year.
    empty = Target.objects.none()
    assert default_period(empty, "progress", 2026, today) == Period.parse("2026-Q3")
    assert default_period(empty, "progress", 2024, today) == Period.parse("2024")
    assert default_period(targets, "goals", 2026, today) == Period.parse("2026")
    selection = select(work_reports(), "progress", today=today)
    assert selection.year == 2026 and selection.period == Period.parse("2026-Q3")


def test_a_period_outside_the_year_is_refused(progress_targets):
    with pytest.raises(LedgerError, match="不在所选年度"):
        export_ledger(work_reports(), "progress", "xlsx", year=2025, period=Q2)


def test_progress_half_year_and_year_columns(progress_targets):
    for period, label in (("2026-H1", "上半年目标"), ("2026", "本期目标")):
        result = export_ledger(work_reports(), "progress", "xlsx", period=Period.parse(period))
        rows, _merges, _sheet = xlsx_sheet(result.content)
        assert rows[2][2] == label
        assert rows[0][0].startswith(Period.parse(period).label)


@pytest.mark.parametrize("fmt", FORMATS)
def test_progress_round_trip(progress_targets, fmt):
    result = export_ledger(work_reports(), "progress", fmt, period=Q2, contact=CONTACT)
    before = canonical_all(work_reports().filter(year=2026), "2026-Q2", numbers=False)
    # The ledger prints no deadline column here; its 年度目标 are the year's tasks, so reading
    # it again gives them the year's end, or the deadline their text states (年内).
    before = as_a_goal_table_is_read(before)
    wipe_targets()
    imported = reimport(result.content, result.filename)
    assert imported.document.period == "2026-Q2"
    after = canonical_all(Target.objects.all(), "2026-Q2", numbers=False)
    assert after == before
    # The numbers are read again from the texts: the target and the reported figure.
    t1 = Target.objects.get(number="12")
    values = {(i.kind, i.value, i.unit) for i in t1.indicators.all()}
    assert ("target", 300, "家") in values and ("actual", 36, "家") in values


# --- sections and the columns added only when needed ---------------------------------------


@pytest.fixture
def mixed_targets(units, leader, make_target):
    bureau = units["bureau"]
    make_target(
        number="1",
        title="壮大科技企业",
        text="高新技术企业总数达到320家。",
        lead_unit=bureau,
        deadline_text="12月底前",
    )
    make_target(
        number="2",
        text="新增科技型中小企业150家以上。",
        category="创新主体",
        lead_unit=bureau,
        leader=leader,
    )
    make_target(
        number="3",
        text="引进领军人才30人左右。",
        category="创新人才",
        lead_unit=units["finance"],
        deadline_text="持续推进",
    )
    make_target(
        number="4",
        text="培育省级专精特新企业20家。",
        category="创新主体",
        source_category=SourceCategory.MEETING,
        source_label="市政府常务会议议定事项",
        lead_unit=bureau,
    )
    return Target.objects.filter(year=2026)


@pytest.mark.parametrize("fmt", FORMATS)
def test_categories_print_as_rows_across_and_optional_columns_appear(mixed_targets, fmt):
    result = export_ledger(mixed_targets, "progress", fmt, period=Q2)
    header = ["序号", "目标名称", *PROGRESS_HEADER[1:], "完成时限", "任务来源"]
    empty = [""] * 6
    body = [
        [
            "1",
            "壮大科技企业",
            "高新技术企业总数达到320家。",
            *empty,
            "市科技局",
            "12月底前",
            "工作要点",
        ],
        _padded("创新主体", 12),
        [
            "2",
            "",
            "新增科技型中小企业150家以上。",
            *empty[:5],
            "王副市长",
            "市科技局",
            "",
            "工作要点",
        ],
        ["4", "", "培育省级专精特新企业20家。", *empty, "市科技局", "", "市政府常务会议议定事项"],
        _padded("创新人才", 12),
        ["3", "", "引进领军人才30人左右。", *empty, "市财政局", "持续推进", "工作要点"],
    ]
    if fmt == "xlsx":
        rows, merges, _sheet = xlsx_sheet(result.content)
        assert rows[2:-1] == [header, *body]
        assert merges == {"A1:L1", "A2:L2", "A5:L5", "A8:L8", "A10:L10"}
    else:
        _before, grid, merges, _after, raw = docx_parts(result.content, first_row=2)
        assert grid == [header, *body]
        assert merges == {"A5:L5", "A8:L8"}
        assert raw[2] == [("创新主体", 12, None)]
    before = as_a_goal_table_is_read(canonical_all(mixed_targets, numbers=False))
    wipe_targets()
    reimport(result.content, result.filename)
    assert canonical_all(Target.objects.all(), numbers=False) == before


# --- commitments ----------------------------------------------------------------------------

C1 = "推动科技成果转化，全年技术合同成交额达到50亿元。"
C2 = "开展科技特派员服务行动，选派科技特派员200人。"
C3 = "优化科研项目管理，压减申报材料30%以上。"
LABEL = "市直部门公开承诺事项"


@pytest.fixture
def commitments(units, leader, make_target):
    bureau = units["bureau"]
    common = {"source_category": SourceCategory.COMMITMENT, "lead_unit": bureau}
    c1 = make_target(number="1", text=C1, source_label=LABEL, deadline_text="12月", **common)
    _report(c1, "2026-Q1", "一季度技术合同成交额12亿元。", next_steps="继续组织技术对接活动。")
    _report(
        c1,
        "2026-Q2",
        "上半年累计成交额27亿元。",
        state=SUBMITTED,
        status_text="完成",
        is_complete=True,
        day=2,
    )
    c2 = make_target(
        number="2", text=C2, source_label=LABEL, deadline_text="持续推进", leader=leader, **common
    )
    _report(c2, "2026", "已选派科技特派员215名，服务企业600余家。", status_text="办结")
    _report(c2, "2026-Q1", "一季度选派科技特派员80名。")  # the year's own report wins
    make_target(number="3", text=C3, deadline_text="6月底前", **common)
    return Target.objects.filter(source_category=SourceCategory.COMMITMENT)


COMMITMENTS_TITLE = "2026年公开承诺事项进展情况"
COMMITMENTS_LINE = f"单位名称：市科技局{GAP}{CONTACT_LINE}"
COMMITMENTS_HEADER = [
    "任务来源",
    "具体事项",
    "工作进展和取得成效",
    "完成时限",
    "后续举措和落实情况",
    "分管领导",
]
COMMITMENTS_BODY = [
    [LABEL, f"1.{C1}", "一季度技术合同成交额12亿元。", "12月", "继续组织技术对接活动。", ""],
    ["", "", "上半年累计成交额27亿元。", "", "完成", ""],
    ["", f"2.{C2}", "已选派科技特派员215名，服务企业600余家。", "持续推进", "办结", "王副市长"],
    ["公开承诺事项", f"3.{C3}", "", "6月底前", "", ""],
]


def test_commitments_xlsx_cell_by_cell(commitments):
    result = export_ledger(commitments, "commitments", "xlsx", contact=CONTACT)
    rows, merges, _sheet = xlsx_sheet(result.content)
    assert rows == [
        _padded(COMMITMENTS_TITLE, 6),
        _padded(COMMITMENTS_LINE, 6),
        COMMITMENTS_HEADER,
        *COMMITMENTS_BODY,
    ]
    # 任务来源 down the column while it repeats; a task's own cells over its progress blocks.
    assert merges == {"A1:F1", "A2:F2", "A4:A6", "B4:B5", "D4:D5"}


def test_commitments_docx_cell_by_cell(commitments):
    result = export_ledger(commitments, "commitments", "docx", contact=CONTACT)
    before, grid, merges, after, raw = docx_parts(result.content, first_row=2)
    assert before == [COMMITMENTS_TITLE, COMMITMENTS_LINE]
    assert grid == [COMMITMENTS_HEADER, *COMMITMENTS_BODY]
    assert merges == {"A4:A6", "B4:B5", "D4:D5"}
    assert after == []
    # As Word marks them: the region's first cell restarts, the cells under it continue.
    assert [(span, vmerge) for _t, span, vmerge in raw[1]] == [
        (1, "restart"),
        (1, "restart"),
        (1, None),
        (1, "restart"),
        (1, None),
        (1, None),
    ]
    assert [(text, vmerge) for text, _s, vmerge in raw[2]][:2] == [
        ("", "continue"),
        ("", "continue"),
    ]
    assert [vmerge for _t, _s, vmerge in raw[3]][:2] == ["continue", None]


@pytest.mark.parametrize("fmt", FORMATS)
def test_commitments_round_trip(commitments, fmt):
    result = export_ledger(commitments, "commitments", fmt, contact=CONTACT)
    before = canonical_all(commitments, numbers=False)
    wipe_targets()
    imported = reimport(result.content, result.filename)
    assert imported.document.period == "2026"
    targets = Target.objects.all()
    assert canonical_all(targets, numbers=False) == before
    assert all(t.is_public for t in targets)
    # The progress blocks come back as the task's report for the year, least advanced status.
    c1 = targets.get(number="1").reports.get()
    assert c1.progress == "一季度技术合同成交额12亿元。\n上半年累计成交额27亿元。"
    assert (c1.status_text, c1.next_steps) == ("完成", "继续组织技术对接活动。")
    c2 = targets.get(number="2").reports.get()
    assert (c2.status_text, c2.is_complete) == ("办结", True)
    assert not targets.get(number="3").reports.exists()


def test_commitments_of_a_quarter_show_that_quarters_report(commitments):
    result = export_ledger(commitments, "commitments", "xlsx", period=Period.parse("2026-Q1"))
    rows, merges, _sheet = xlsx_sheet(result.content)
    assert rows[0][0] == "2026年第一季度公开承诺事项进展情况"
    assert [r[2] for r in rows[3:]] == [
        "一季度技术合同成交额12亿元。",
        "一季度选派科技特派员80名。",
        "",
    ]
    assert "B4:B5" not in merges


# --- goals ----------------------------------------------------------------------------------

G1 = "实施高新技术企业倍增计划，年内净增高新技术企业80家。"
G2 = "新增省级重点实验室3家，建设概念验证中心1家。"
G3 = "扩大科技信贷规模，科技型企业贷款余额增长20%。"
BENCHMARK = "在全省设区市中率先开展科技金融改革试点。"


def as_a_goal_table_is_read(expected: dict) -> dict:
    """A goal table, or a table of 年度目标, holds the year's work: reading one gives each task
    without a deadline the year's end, or the deadline its text states (年内)."""
    for found in expected.values():
        if found["deadline_label"]:
            continue
        found["deadline"] = datetime.date(found["year"], 12, 31)
        found["deadline_label"] = (
            "年内" if "年内" in found["text"] else f"{found['year']}年12月31日"
        )
    return expected


@pytest.fixture
def goals(units, make_target):
    bureau = units["bureau"]
    common = {"source_category": SourceCategory.BUSINESS_GOAL}
    make_target(
        number="1",
        title="强化企业创新主体",
        text=G1,
        category="重点目标",
        lead_unit=bureau,
        **common,
    )
    # Registered before the second key goal: the table still groups each category.
    make_target(
        number="1",
        title="深化科技金融改革",
        text=G3,
        category="创优目标",
        benchmark=BENCHMARK,
        lead_unit=units["finance"],
        **common,
    )
    make_target(
        number="2",
        title="提升创新平台能级",
        text=G2,
        category="重点目标",
        lead_unit=bureau,
        co_units=[units["industry"]],
        **common,
    )
    return Target.objects.filter(source_category=SourceCategory.BUSINESS_GOAL)


GOALS_HEADER = ["类别", "序号", "目标名称", "目标内容", "责任单位"]
GOALS_BODY = [
    ["重点目标", "1", "强化企业创新主体", G1, "市科技局"],
    ["", "2", "提升创新平台能级", G2, "市科技局\n市工业和信息化局"],
    ["创优目标", "1", "深化科技金融改革", f"{G3}\n标杆城市及标杆值：{BENCHMARK}", "市财政局"],
]


def test_goals_xlsx_cell_by_cell(goals):
    result = export_ledger(goals, "goals", "xlsx", contact=CONTACT)
    rows, merges, _sheet = xlsx_sheet(result.content)
    assert rows == [
        _padded("2026年度业务目标", 5),
        _padded(CONTACT_LINE, 5),
        GOALS_HEADER,
        *GOALS_BODY,
        _padded(UNITS_NOTE, 5),
    ]
    assert merges == {"A1:E1", "A2:E2", "A4:A5", "A7:E7"}


def test_goals_docx_cell_by_cell(goals):
    result = export_ledger(goals, "goals", "docx", contact=CONTACT)
    before, grid, merges, after, raw = docx_parts(result.content, first_row=2)
    assert before == ["2026年度业务目标", CONTACT_LINE]
    assert grid == [GOALS_HEADER, *GOALS_BODY]
    assert merges == {"A4:A5"}
    assert after == [UNITS_NOTE]
    assert raw[1][0] == ("重点目标", 1, "restart") and raw[2][0] == ("", 1, "continue")


def test_goals_of_one_unit_name_it_above_the_table(goals, units):
    goals.update(lead_unit=units["bureau"])
    Target.co_units.through.objects.all().delete()
    result = export_ledger(goals, "goals", "xlsx", contact=CONTACT)
    rows, _merges, _sheet = xlsx_sheet(result.content)
    assert rows[1][0] == f"单位名称：市科技局{GAP}{CONTACT_LINE}"
    assert rows[2] == GOALS_HEADER[:4]
    wipe_before = as_a_goal_table_is_read(canonical_all(goals, numbers=False))
    wipe_targets()
    reimport(result.content, result.filename)
    assert canonical_all(Target.objects.all(), numbers=False) == wipe_before


@pytest.mark.parametrize("fmt", FORMATS)
def test_goals_round_trip(goals, fmt):
    result = export_ledger(goals, "goals", fmt)
    before = as_a_goal_table_is_read(canonical_all(goals, numbers=False))
    wipe_targets()
    imported = reimport(result.content, result.filename)
    assert imported.document.genre == "goals"
    assert canonical_all(Target.objects.all(), numbers=False) == before


# --- what a cell can hold ------------------------------------------------------------------


def test_text_that_looks_like_a_formula_stays_text_and_control_characters_go(units, make_target):
    make_target(text="=SUM(A1:A9) 不是公式。\x07", lead_unit=units["bureau"])
    result = export_ledger(Target.objects.all(), "progress", "xlsx", period=Q2)
    _rows, _merges, sheet = xlsx_sheet(result.content)
    assert sheet["B4"].value == "=SUM(A1:A9) 不是公式。"
    assert sheet["B4"].data_type == "s"
    docx = export_ledger(Target.objects.all(), "progress", "docx", period=Q2)
    assert docx_parts(docx.content)[1][1][1] == "=SUM(A1:A9) 不是公式。"


def test_an_empty_selection_is_a_ledger_with_its_header(db):
    result = export_ledger(Target.objects.all(), "goals", "docx", year=2026)
    _before, grid, _merges, _after, _raw = docx_parts(result.content)
    assert grid == [["类别", "序号", "目标名称", "目标内容"]]
    assert result.ledger.count == 0


# --- the five seed documents ----------------------------------------------------------------


@pytest.fixture
def seeds(db, seeds_dir):
    from duban.documents.importing import import_extraction

    for path in sorted(seeds_dir.glob("*.txt")):
        import_extraction(extract(path.read_bytes(), name=path.name))


SEED_LEDGERS = [
    ("progress", SourceCategory.WORK_REPORT, {"period": Period.parse("2022-Q1")}, 9),
    ("commitments", SourceCategory.COMMITMENT, {"year": 2020}, 11),
    ("goals", SourceCategory.BUSINESS_GOAL, {"year": 2021}, 9),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("layout", "source", "scope", "count"), SEED_LEDGERS)
def test_an_office_downloads_the_three_ledgers_of_the_seeds_without_retyping(
    seeds, layout, source, scope, count, fmt
):
    targets = Target.objects.filter(source_category=source)
    result = export_ledger(targets, layout, fmt, **scope)
    assert result.ledger.count == count
    period = str(result.ledger.period) if layout == "progress" else None
    before = canonical_all(targets, period)
    wipe_targets()
    reimport(result.content, result.filename)
    after = canonical_all(Target.objects.all(), period)
    # Every target, field and number comes back, read from the exported file.
    assert after == before


def test_seed_ledgers_look_like_the_seeds(seeds):
    progress = export_ledger(
        Target.objects.filter(source_category=SourceCategory.WORK_REPORT),
        "progress",
        "xlsx",
        period=Period.parse("2022-Q1"),
    )
    rows, _merges, _sheet = xlsx_sheet(progress.content)
    assert rows[2] == [*PROGRESS_HEADER[:2], "第1季度目标", *PROGRESS_HEADER[3:]]
    by_number = {row[0]: row for row in rows[3:-1]}
    assert list(by_number) == ["43", "45", "46", "48", "49", "50", "52", "53", "54"]
    # Row 54 says 完成 and answers 未完成原因 with 是: printed as the unit wrote it.
    assert (by_number["54"][3], by_number["54"][5]) == ("完成", "是")
    assert by_number["53"][3] == "未完成"
    assert by_number["45"][8].split("\n")[0] == "市科技局"
    assert "市人力资源社会保障局" in by_number["45"][8].split("\n")
    assert rows[-1][0] == UNITS_NOTE

    commitments = export_ledger(
        Target.objects.filter(source_category=SourceCategory.COMMITMENT), "commitments", "xlsx"
    )
    rows, merges, _sheet = xlsx_sheet(commitments.content)
    assert rows[2] == COMMITMENTS_HEADER[:5]
    assert "A4:A14" in merges  # one source down the eleven tasks
    assert rows[3][1].startswith("1.")

    goals = export_ledger(
        Target.objects.filter(source_category=SourceCategory.BUSINESS_GOAL), "goals", "docx"
    )
    before, grid, merges, _after, _raw = docx_parts(goals.content, first_row=2)
    assert before[1].startswith("单位名称：市科技局")
    assert grid[0] == GOALS_HEADER[:4]
    assert merges == {"A4:A10", "A11:A12"}  # 重点目标 over seven rows, 创优目标 over two
    assert all("标杆城市及标杆值：" in row[3] for row in grid[8:])


# --- the download ---------------------------------------------------------------------------

EXPORT_URL = "/reports/ledgers/export/"


def _download(client, **params):
    return client.get(EXPORT_URL, params)


def test_office_downloads_the_filtered_list_as_xlsx(client, office_user, progress_targets):
    login(client, office_user)
    response = _download(
        client,
        layout="progress",
        format="xlsx",
        year="2026",
        source="work_report",
        period="2026-Q2",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert unquote(disposition.split("''", 1)[1]) == f"{PROGRESS_TITLE}.xlsx"
    rows, _merges, _sheet = xlsx_sheet(response.content)
    assert [row[0] for row in rows[3:-1]] == ["12", "13", "14"]
    assert rows[1][0] == f"联系人：督查员甲{GAP}联系电话："


def test_download_as_docx(client, office_user, progress_targets):
    login(client, office_user)
    response = _download(client, layout="goals", format="docx", source="work_report")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    disposition = unquote(response["Content-Disposition"].split("''", 1)[1])
    assert disposition == "2026年度政府工作报告目标任务.docx"
    assert [row[1] for row in docx_parts(response.content)[1][1:]] == ["12", "13", "14"]


def test_a_unit_downloads_only_its_own_targets(client, finance_user, progress_targets):
    login(client, finance_user)
    response = _download(client, layout="progress", format="xlsx", period="2026-Q2")
    assert response.status_code == 200
    rows, _merges, _sheet = xlsx_sheet(response.content)
    # 12 (co-unit) and 13 (lead unit); 14 belongs to the bureau alone.
    assert [row[0] for row in rows[3:-1]] == ["12", "13"]


def test_a_leader_downloads_the_targets_in_their_charge(client, leader_user, progress_targets):
    login(client, leader_user)
    response = _download(client, layout="progress", format="docx", period="2026-Q2")
    assert response.status_code == 200
    assert [row[0] for row in docx_parts(response.content)[1][1:]] == ["12", "13"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"layout": "progress", "format": "xlsx", "unit": "999999"}, "所选的单位或人员不存在"),
        ({"layout": "progress", "format": "xlsx", "year": "1999"}, "没有这个年度的目标"),
        ({"layout": "progress", "format": "xlsx", "state": "nonsense"}, "不是有效的选项"),
        ({"layout": "ledger", "format": "xlsx"}, "没有“ledger”这种台账格式"),
        ({"format": "xlsx"}, "请选择台账格式"),
        ({"layout": "goals", "format": "pdf"}, "文件格式只能是 xlsx"),
        ({"layout": "progress", "period": "2026-Q5"}, "期次“2026-Q5”无法识别"),
        ({"layout": "progress", "year": "2026", "period": "2025-Q1"}, "不在所选年度"),
    ],
)
def test_bad_filters_and_options_are_a_400_in_chinese(
    client, office_user, progress_targets, params, message
):
    login(client, office_user)
    response = _download(client, **params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Content-Disposition" not in response


def test_signing_in_is_required(client, progress_targets, office_user):
    response = _download(client, layout="progress", format="xlsx")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_target_list_offers_the_downloads_with_its_filters(
    client, office_user, progress_targets
):
    login(client, office_user)
    response = client.get("/targets/", {"year": "2026", "source": "work_report"})
    page = response.content.decode()
    assert 'action="/reports/ledgers/export/"' in page
    assert '<input type="hidden" name="year" value="2026">' in page
    assert '<input type="hidden" name="source" value="work_report">' in page
    assert 'name="format" value="xlsx"' in page and 'name="format" value="docx"' in page
    assert '<option value="2026-Q2">2026年第二季度</option>' in page
    # A list with wrong filters offers no download.
    broken = client.get("/targets/", {"unit": "999999"}).content.decode()
    assert "/reports/ledgers/export/" not in broken


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_part_of_the_package_is_well_formed(progress_targets, fmt):
    import io
    import zipfile

    from lxml import etree

    result = export_ledger(work_reports(), "progress", fmt, period=Q2)
    with zipfile.ZipFile(io.BytesIO(result.content)) as package:
        names = package.namelist()
        assert "[Content_Types].xml" in names and "_rels/.rels" in names
        for name in names:
            etree.fromstring(package.read(name))  # raises on malformed XML
    assert extract(result.content, name=result.filename)["document"]["period"] == "2026-Q2"
