"""Reading exported ledgers back for comparison, independently of the writers: an .xlsx as a
grid of values and merged ranges, a .docx table as the same grid (gridSpan and vMerge turned
into ranges), and a target as the fields a round trip must keep."""

import io
import zipfile

import openpyxl
from lxml import etree
from openpyxl.utils import get_column_letter

from duban.documents.importing import import_extraction
from duban.documents.models import SourceDocument
from duban.extraction.extract import extract
from duban.organisations.models import Person
from duban.reports.ledgers.selection import PRINTED_STATES as PRINTED
from duban.reports.ledgers.selection import printed_report
from duban.supervision.models import Contribution
from duban.targets.models import Indicator, Milestone, ProgressReport, Target

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def xlsx_sheet(content: bytes):
    """(rows of values as text, merged ranges as 'A1:I1', the worksheet)."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    rows = [
        ["" if value is None else str(value) for value in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    merges = {str(r) for r in sheet.merged_cells.ranges}
    return rows, merges, sheet


def _ref(row: int, col: int) -> str:
    return f"{get_column_letter(col + 1)}{row + 1}"


def _range(row: int, col: int, rows: int, cols: int) -> str:
    return f"{_ref(row, col)}:{_ref(row + rows - 1, col + cols - 1)}"


def docx_parts(content: bytes, first_row: int = 0):
    """What a .docx holds: paragraphs before the table, the table as a grid of values with
    its merges as ranges (the table's first row counted as `first_row`), paragraphs after the
    table, and the raw cells of each row as (text, gridSpan, vMerge)."""
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        body = etree.fromstring(package.read("word/document.xml")).find(f"{W}body")
    before, after, table = [], [], None
    for element in body:
        if element.tag == f"{W}tbl":
            table = element
        elif element.tag == f"{W}p":
            text = "".join(element.itertext())
            if text:
                (after if table is not None else before).append(text)
    raw, grid, merges = [], [], set()
    open_down: dict[int, list] = {}  # column -> [start row, rows, cols]
    for r, tr in enumerate(table.findall(f"{W}tr")):
        cells, values, col = [], [], 0
        for tc in tr.findall(f"{W}tc"):
            props = tc.find(f"{W}tcPr")
            span_el = props.find(f"{W}gridSpan") if props is not None else None
            span = int(span_el.get(f"{W}val")) if span_el is not None else 1
            vmerge_el = props.find(f"{W}vMerge") if props is not None else None
            vmerge = None
            if vmerge_el is not None:
                vmerge = vmerge_el.get(f"{W}val") or "continue"
            text = "\n".join("".join(p.itertext()) for p in tc.findall(f"{W}p"))
            cells.append((text, span, vmerge))
            if vmerge == "continue":
                open_down[col][1] += 1
                values += [""] * span
            else:
                if col in open_down:
                    start, rows, cols = open_down.pop(col)
                    if rows > 1 or cols > 1:
                        merges.add(_range(start + first_row, col, rows, cols))
                if vmerge == "restart":
                    open_down[col] = [r, 1, span]
                elif span > 1:
                    merges.add(_range(r + first_row, col, 1, span))
                values += [text] + [""] * (span - 1)
            col += span
        raw.append(cells)
        grid.append(values)
    for col, (start, rows, cols) in open_down.items():
        if rows > 1 or cols > 1:
            merges.add(_range(start + first_row, col, rows, cols))
    return before, grid, merges, after, raw


def docx_part(content: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return package.read(name)


def reimport(content: bytes, name: str):
    return import_extraction(extract(content, name=name))


def wipe_targets():
    """Back to an office that has its units but no documents, targets or leaders yet."""
    Contribution.objects.all().delete()
    Indicator.objects.all().delete()
    ProgressReport.objects.all().delete()
    Milestone.objects.all().delete()
    # Unlink first: the audit trail's snapshot of a child deleted with its parent would look
    # the parent up after it is gone.
    Target.objects.update(parent=None, carried_from=None)
    Target.objects.all().delete()
    SourceDocument.objects.all().delete()
    Person.objects.filter(role=Person.Role.LEADER, user__isnull=True).delete()


def report_for(target: Target, period: str):
    """The report a ledger prints for the period (sent or accepted; accepted first)."""
    return printed_report(
        [r for r in target.reports.all() if r.period == period and r.review_state in PRINTED]
    )


def status_of(report) -> str:
    if report is None:
        return ""
    return report.status_text or {True: "完成", False: "未完成"}.get(report.is_complete, "")


def canonical(target: Target, period: str | None = None, numbers: bool = True) -> dict:
    """The fields a round trip keeps, by name rather than by database id."""
    units = target.units
    found = {
        "year": target.year,
        "number": target.number,
        "title": target.title,
        "text": target.text,
        "source_category": target.source_category,
        "category": target.category,
        "deadline": target.deadline,
        "deadline_label": target.deadline_label,
        "benchmark": target.benchmark,
        "lead_unit": str(units[0]) if target.lead_unit_id else None,
        "co_units": sorted(str(u) for u in units[1 if target.lead_unit_id else 0 :]),
        "leader": target.leader.name if target.leader_id else None,
    }
    if numbers:
        found["indicators"] = sorted(
            (i.subject, i.kind, i.measure, i.comparator, i.value, i.value_max, i.unit, i.year)
            for i in target.indicators.all()
        )
    if period:
        milestone = target.milestones.filter(period=period).first()
        report = report_for(target, period)
        found["milestone"] = milestone.text if milestone else ""
        found["report"] = (
            None
            if report is None
            else {
                "progress": report.progress,
                "status": status_of(report),
                "is_complete": report.is_complete,
                "reason": report.reason,
                "next_steps": report.next_steps,
            }
        )
    return found


def canonical_all(targets, period=None, numbers=True) -> dict:
    """Targets keyed by (source, number, text), as two imports of one ledger can be matched."""
    return {
        (t.source_category, t.number, t.text): canonical(t, period, numbers)
        for t in targets.select_related("lead_unit", "leader").prefetch_related("co_units")
    }


def _first_table(content: bytes):
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        body = etree.fromstring(package.read("word/document.xml")).find(f"{W}body")
    return body.find(f".//{W}tbl")


def docx_column_widths(content: bytes) -> list[int]:
    """The table's grid: each column's width in twentieths of a point."""
    return [int(col.get(f"{W}w")) for col in _first_table(content).iter(f"{W}gridCol")]


def docx_vertical_alignment(content: bytes) -> list[list[str | None]]:
    """Per table row, each cell's w:vAlign (None when the cell does not set one)."""
    rows = []
    for tr in _first_table(content).findall(f"{W}tr"):
        cells = []
        for tc in tr.findall(f"{W}tc"):
            valign = tc.find(f"{W}tcPr/{W}vAlign")
            cells.append(None if valign is None else valign.get(f"{W}val"))
        rows.append(cells)
    return rows
