"""The bulletin as a printable .docx and the ranking as an .xlsx, as offices send them."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .bulletin import Bulletin
from .common import grace_days
from .scoring import RULES, Ranking
from .wordml import WordDocument

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CN_SECTIONS = "一二三四五六七八九十"
ROLLUP_NOTE = "注：分解的上级目标按汇总灯色统计，即其本身与各子目标中最严重者（红灯＞黄灯＞绿灯）。"


def target_label(target, limit: int = 80) -> str:
    text = target.title or " ".join(target.text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"{target.number}. {text}" if target.number else text


def rate_text(rate) -> str:
    return "—" if rate is None else f"{rate}%"


def bulletin_tables(b: Bulletin) -> list[tuple[str, list[str], list[list], list[int]]]:
    """(heading, header, rows, relative widths) of each table, for the .docx and for tests."""
    units = [
        [i, u.name, u.owing, u.on_time, u.late, u.missing, rate_text(u.rate)]
        for i, u in enumerate(b.units, 1)
    ]
    t = b.totals
    if units:
        units.append(["", t.name, t.owing, t.on_time, t.late, t.missing, rate_text(t.rate)])
    return [
        (
            "办理状态",
            ["办理状态", "项数"],
            [[label, n] for _v, label, n in b.by_state] + [["合计", b.total]],
            [3, 1],
        ),
        (
            "红黄绿灯",
            ["红黄绿灯", "项数"],
            [[label, n] for _v, label, n in b.by_light] + [["合计", b.total]],
            [3, 1],
        ),
        (
            "各单位按时报送情况",
            ["序号", "牵头单位", "应报送", "按时报送", "逾期报送", "未报送", "按时报送率"],
            units,
            [2, 8, 3, 3, 3, 3, 4],
        ),
        (
            "未按时报送事项",
            ["序号", "目标任务", "牵头单位", "报送情况"],
            [
                [i, target_label(r.target), str(r.target.lead_unit or ""), r.status]
                for i, r in enumerate(b.late, 1)
            ],
            [2, 14, 6, 6],
        ),
        (
            "超过完成时限未办结事项",
            ["序号", "目标任务", "牵头单位", "分管领导", "完成时限", "逾期天数"],
            [
                [
                    i,
                    target_label(r.target),
                    str(r.target.lead_unit or ""),
                    r.target.leader.name if r.target.leader else "",
                    r.target.deadline_label,
                    r.days,
                ]
                for i, r in enumerate(b.overdue, 1)
            ],
            [2, 12, 5, 3, 4, 3],
        ),
        (
            "退回修改事项",
            ["序号", "目标任务", "报送单位", "退回次数", "退回意见", "当前状态"],
            [
                [
                    i,
                    target_label(r.report.target),
                    str(r.report.unit or r.report.target.lead_unit or ""),
                    r.times,
                    r.comment,
                    r.report.get_review_state_display(),
                ]
                for i, r in enumerate(b.returned, 1)
            ],
            [2, 10, 5, 3, 9, 3],
        ),
        (
            "未完成事项及原因",
            ["序号", "目标任务", "牵头单位", "未完成原因", "下步工作打算"],
            [
                [
                    i,
                    target_label(r.target),
                    str(r.unit or r.target.lead_unit or ""),
                    r.reason or "（未填写）",
                    r.next_steps,
                ]
                for i, r in enumerate(b.incomplete, 1)
            ],
            [2, 9, 5, 8, 8],
        ),
        (
            "延期事项",
            ["序号", "目标任务", "牵头单位", "原完成时限", "延至", "批准日期", "累计延期次数"],
            [
                [
                    i,
                    target_label(r.target),
                    str(r.target.lead_unit or ""),
                    f"{r.old_deadline:%Y年%m月%d日}",
                    f"{r.new_deadline:%Y年%m月%d日}",
                    f"{r.approved_on:%Y-%m-%d}",
                    r.times,
                ]
                for i, r in enumerate(b.extensions, 1)
            ],
            [2, 10, 5, 4, 4, 3, 3],
        ),
        (
            "未完成即办结事项",
            ["序号", "目标任务", "牵头单位", "办结日期", "未完成即办结的理由"],
            [
                [
                    i,
                    target_label(r.target),
                    str(r.target.lead_unit or ""),
                    f"{r.closed_on:%Y-%m-%d}" if r.closed_on else "",
                    r.reason,
                ]
                for i, r in enumerate(b.closed_with_reason, 1)
            ],
            [2, 10, 5, 3, 10],
        ),
    ]


def bulletin_docx(b: Bulletin) -> bytes:
    doc = WordDocument(b.title)
    doc.title(b.title, f"（{b.today.year}年{b.today.month}月{b.today.day}日）")
    doc.paragraph(b.summary())
    tables = bulletin_tables(b)
    doc.heading(f"{CN_SECTIONS[0]}、总体情况")
    for heading, header, rows, widths in tables[:2]:
        doc.note(f"{heading}：")
        doc.table(header, rows, widths)
    doc.note(ROLLUP_NOTE)
    notes = {
        "各单位按时报送情况": (
            f"按时报送：{b.period.label}结束后{grace_days()}日内"
            f"（{b.window.due:%Y年%m月%d日}前，含当日）报送本期进展；"
            "事后导入的本期完成情况表中的进展视为按时报送。"
        ),
        "未完成即办结事项": "最近一次审核通过的报送为“未完成”而办结销号的目标任务，及办结时说明的理由。",
    }
    for number, (heading, header, rows, widths) in enumerate(tables[2:], 1):
        doc.heading(f"{CN_SECTIONS[number]}、{heading}")
        if heading in notes:
            doc.note(notes[heading])
        if rows:
            doc.table(header, rows, widths)
        else:
            doc.paragraph("无。")
    return doc.to_bytes()


THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = "宋体"


def ranking_header() -> list[str]:
    return (
        ["排名", "单位"]
        + [label for _key, label in RULES]
        + ["总分", "应签收", "按时签收", "应报送", "按时报送", "已完成", "退回次数", "逾期天数"]
        + ["延期次数"]
    )


def ranking_rows(ranking: Ranking) -> list[list]:
    rows = []
    for s in ranking.scores:
        m = s.measures
        rows.append(
            [s.rank, str(s.unit)]
            + [float(s.item(key).points) for key, _label in RULES]
            + [float(s.total), m.ack_due, m.ack_on_time, m.owing, m.on_time, m.complete]
            + [m.returns, m.overdue_days, m.extensions]
        )
    return rows


def ranking_xlsx(ranking: Ranking) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "考评排名"
    header = ranking_header()
    rule = ranking.rule
    sheet.append([f"{ranking.period.label}单位考评排名"])
    sheet.append(
        [
            f"规则：{rule.name}（{rule.scope_label}）；按时签收{rule.ack_points}分"
            f"（{rule.ack_days}天内）、按时报送{rule.report_points}分、完成情况"
            f"{rule.completion_points}分；每退回一次扣{rule.return_deduction}分"
            f"（最多{rule.return_cap}分），每逾期一天扣{rule.overdue_deduction}分"
            f"（最多{rule.overdue_cap}分），每次延期扣{rule.extension_deduction}分"
            f"（最多{rule.extension_cap}分）。统计日期：{ranking.today:%Y-%m-%d}"
        ]
    )
    sheet.append(header)
    for row in ranking_rows(ranking):
        sheet.append(row)
    table_end = sheet.max_row
    if ranking.unmeasured:
        names = "、".join(str(u) for u in ranking.unmeasured)
        sheet.append([f"本期无考核事项、不参与排名的单位：{names}"])
        sheet.cell(sheet.max_row, 1).font = Font(name=FONT, size=10)
    last_column = get_column_letter(len(header))
    sheet.merge_cells(f"A1:{last_column}1")
    sheet.merge_cells(f"A2:{last_column}2")
    sheet["A1"].font = Font(name="黑体", size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet["A2"].font = Font(name=FONT, size=10)
    sheet["A2"].alignment = Alignment(wrap_text=True)
    sheet.row_dimensions[2].height = 32
    fill = PatternFill("solid", fgColor="E7ECF2")
    for row in sheet.iter_rows(min_row=3, max_row=table_end, max_col=len(header)):
        for cell in row:
            cell.border = BORDER
            cell.font = Font(name=FONT, size=11, bold=cell.row == 3)
            cell.alignment = Alignment(horizontal="center" if cell.column != 2 else "left")
            if cell.row == 3:
                cell.fill = fill
            elif 3 <= cell.column <= 3 + len(RULES):
                cell.number_format = "0.00"
    widths = [6, 24] + [10] * len(RULES) + [9] + [9] * 8
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C4"
    sheet.print_options.horizontalCentered = True
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = "3:3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
