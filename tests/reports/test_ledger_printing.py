"""How the ledgers and the bulletin print, read back from the files: no column too narrow for
its shortest entry, the text of a merged cell taller than a page on the page where the cell
starts, bulletin tables at their own line spacing."""

import datetime

import pytest
from django.utils import timezone
from lxml import etree

from duban.documents.importing import import_extraction
from duban.extraction.extract import extract
from duban.reports.ledgers import docx
from duban.reports.ledgers.export import export_ledger
from duban.reports.overview import wordml
from duban.targets.models import ProgressReport, SourceCategory, Target
from duban.targets.periods import Period

from .ledger_checks import (
    docx_column_widths,
    docx_part,
    docx_parts,
    docx_vertical_alignment,
    xlsx_sheet,
)

CHAR = 210  # a Chinese character of 五号 (10.5 pt) text, in twips
MARGINS = 2 * 85  # a cell's left and right margins


def _chars(width: int) -> float:
    """How many characters of body text a column of `width` twips holds on a line."""
    return (width - MARGINS) / CHAR


def _report(target, period, progress, **fields):
    when = timezone.make_aware(datetime.datetime(2026, 6, 1, 10, 0))
    return ProgressReport.objects.create(
        target=target,
        period=period,
        unit=target.lead_unit,
        progress=progress,
        review_state=ProgressReport.Review.ACCEPTED,
        submitted_at=when,
        created_at=when,
        **fields,
    )


# --- column widths in Word ------------------------------------------------------------------


@pytest.fixture
def wide_progress(city, leader, make_target):
    """A progress ledger with every optional column: twelve columns on one A4 page."""
    bureau, finance = city["bureau"], city["finance"]
    make_target(
        number="21",
        title="培育创新主体",
        text="全年新认定高新技术企业260家以上，科技型中小企业入库800家。",
        lead_unit=bureau,
        co_units=[finance],
        leader=leader,
        deadline_text="12月底前",
    )
    make_target(
        number="22",
        text="建成中试基地3个。",
        source_category=SourceCategory.MEETING,
        source_label="市政府常务会议议定事项",
        lead_unit=finance,
    )
    return Target.objects.filter(year=2026)


def test_no_word_column_is_narrower_than_its_shortest_entry(wide_progress):
    result = export_ledger(wide_progress, "progress", "docx", period=Period.parse("2026-Q2"))
    header = result.ledger.header
    assert len(header) == 12
    widths = dict(zip(header, docx_column_widths(result.content), strict=True))
    assert sum(widths.values()) == docx.TEXT_WIDTH
    # 序号 holds "21" (and its label) on one line, 是否完成 its whole label, 责任单位 a unit
    # such as 市发展改革委 nearly whole; every other column at least four characters.
    assert _chars(widths["序号"]) >= 2
    assert _chars(widths["是否完成"]) >= 4
    assert _chars(widths["责任单位"]) >= 5
    assert all(_chars(width) >= 4 for label, width in widths.items() if label != "序号")
    # The narrow columns take what they need from the text columns, not the other way round.
    assert widths["具体工作进展"] == max(widths.values())
    assert widths["年度目标"] > widths["第2季度目标"] > widths["市政府分管领导"]


def test_word_columns_of_a_narrow_table_keep_their_proportions(city, make_target):
    make_target(
        number="1",
        text="完成科技体制改革任务。",
        source_category=SourceCategory.BUSINESS_GOAL,
        category="重点目标",
        title="深化改革",
    )
    result = export_ledger(Target.objects.all(), "goals", "docx", year=2026)
    widths = docx_column_widths(result.content)
    assert result.ledger.header == ["类别", "序号", "目标名称", "目标内容"]
    assert sum(widths) == docx.TEXT_WIDTH
    assert _chars(widths[0]) >= 4  # 重点目标 on one line
    # 目标名称 and 目标内容 share what is left in proportion to their widths (18 : 90).
    assert widths[3] / widths[2] == pytest.approx(90 / 18, rel=0.01)


# --- merged cells taller than a page --------------------------------------------------------

LABEL = "市直部门公开承诺事项"
LONG = "组织开展科技成果对接活动，推动高校院所成果在本地转化落地，跟踪服务重点项目建设。" * 8


@pytest.fixture
def long_commitments(city, make_target):
    common = {
        "source_category": SourceCategory.COMMITMENT,
        "source_label": LABEL,
        "lead_unit": city["bureau"],
    }
    short = make_target(number="1", text="举办科技活动周。", deadline_text="5月", **common)
    _report(short, "2026-Q1", "制定活动方案。")
    _report(short, "2026-Q2", "活动周如期举办。", status_text="办结")
    for n in range(2, 8):
        target = make_target(number=str(n), text=f"第{n}项承诺事项。", **common)
        _report(target, "2026", LONG)
    return Target.objects.filter(source_category=SourceCategory.COMMITMENT)


def test_a_merged_cell_taller_than_a_page_prints_at_its_top_in_excel(long_commitments):
    result = export_ledger(long_commitments, "commitments", "xlsx", year=2026)
    rows, merges, sheet = xlsx_sheet(result.content)
    assert rows[2][:2] == ["任务来源", "具体事项"]
    # 任务来源 over all eight rows: its text on the first page it covers, not mid-way.
    assert "A4:A11" in merges and rows[3][0] == LABEL
    assert sheet["A4"].alignment.vertical == "top"
    # The first task's two short progress blocks: its cells stay centred.
    assert "B4:B5" in merges
    assert sheet["B4"].alignment.vertical == "center"
    assert sheet["C6"].alignment.vertical == "center"


def test_a_merged_cell_taller_than_a_page_prints_at_its_top_in_word(long_commitments):
    result = export_ledger(long_commitments, "commitments", "docx", year=2026)
    _before, grid, merges, _after, raw = docx_parts(result.content, first_row=2)
    assert "A4:A11" in merges and grid[1][0] == LABEL
    alignment = docx_vertical_alignment(result.content)
    assert raw[1][0][2] == "restart" and alignment[1][0] == "top"
    assert all(row[0] == "top" for row in alignment[2:9])  # the cells it covers alike
    assert raw[1][1][2] == "restart" and alignment[1][1] == "center"


def test_the_seed_commitments_print_their_source_on_the_first_page(db, seeds_dir):
    (path,) = seeds_dir.glob("000_*.txt")
    import_extraction(extract(path.read_bytes(), name=path.name))
    targets = Target.objects.filter(source_category=SourceCategory.COMMITMENT)
    xlsx = export_ledger(targets, "commitments", "xlsx")
    rows, merges, sheet = xlsx_sheet(xlsx.content)
    assert "A4:A14" in merges and rows[3][0] == "省直重点任务公开承诺事项"
    assert sheet["A4"].alignment.vertical == "top"
    word = export_ledger(targets, "commitments", "docx")
    assert docx_vertical_alignment(word.content)[1][0] == "top"


# --- the bulletin's tables ------------------------------------------------------------------


def test_bulletin_tables_keep_their_own_line_spacing_and_a_readable_number_column():
    doc = wordml.WordDocument("通报")
    doc.table(
        ["序号", "目标任务", "牵头单位", "未完成原因", "下步工作打算"],
        [[1, "完成中试基地建设。", "市科技局", "设备尚未到货。", "督促供货单位加快进度。"]],
        [2, 9, 5, 8, 8],
    )
    content = doc.to_bytes()
    widths = docx_column_widths(content)
    assert sum(widths) == wordml.TEXT_WIDTH
    assert _chars(widths[0]) >= 2  # 序号 on one line
    # Table text does not snap to the body's 28.95 pt line grid (one line of 五号 each).
    styles = etree.fromstring(docx_part(content, "word/styles.xml"))
    w = f"{{{wordml.W}}}"
    table_text = styles.find(f"{w}style[@{w}styleId='TableText']")
    snap = table_text.find(f"{w}pPr/{w}snapToGrid")
    assert snap is not None and snap.get(f"{w}val") == "0"


# --- Excel widths ---------------------------------------------------------------------------

# A4 landscape less the sheet's half-inch margins, in Excel width units of about 7 pixels
# (96 per inch): what fits before fit-to-width starts shrinking the text.
A4_LANDSCAPE_UNITS = (11.69 - 1) * 96 / 7


def test_the_nine_column_progress_sheet_prints_nearly_at_full_size(city, make_target):
    make_target(
        number="5", text="建设科技企业孵化器2家。", source_category=SourceCategory.WORK_REPORT
    )
    result = export_ledger(Target.objects.all(), "progress", "xlsx", period=Period.parse("2026-Q2"))
    _rows, _merges, sheet = xlsx_sheet(result.content)
    assert sheet.max_column == 9
    widths = [sheet.column_dimensions[chr(65 + i)].width for i in range(9)]
    # Fitted to the page width, 五号 body text prints at 9 pt or more, not at 8.
    assert A4_LANDSCAPE_UNITS / sum(widths) > 0.9
    # Every column holds its shortest entry: two units a Chinese character, one to spare.
    minimum = {"序号": 2, "是否完成": 4, "市政府分管领导": 4, "责任单位": 6}
    header = [sheet.cell(3, i + 1).value for i in range(9)]
    for label, width in zip(header, widths, strict=True):
        assert width >= 2 * minimum.get(label, 4) + 1, label
