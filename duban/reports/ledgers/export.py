"""One call from a queryset of targets to the bytes of a ledger file, for the command and the
download view alike."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from duban.targets.periods import Period

from . import docx, xlsx
from .layouts import Contact, FillIn, Ledger, build
from .selection import LAYOUTS, PROGRESS, LedgerError, parse_period, select

FORMATS = {
    "xlsx": (xlsx.write_xlsx, xlsx.CONTENT_TYPE, "Excel 表格"),
    "docx": (docx.write_docx, docx.CONTENT_TYPE, "Word 文档"),
}

__all__ = [
    "FORMATS",
    "LAYOUTS",
    "Contact",
    "Export",
    "LedgerError",
    "check_format",
    "check_layout",
    "export_form",
    "export_ledger",
    "parse_period",
]


@dataclass
class Export:
    ledger: Ledger
    format: str
    content: bytes

    @property
    def filename(self) -> str:
        return self.ledger.filename(self.format)

    @property
    def content_type(self) -> str:
        return FORMATS[self.format][1]


def check_layout(value: str) -> str:
    value = (value or "").strip()
    if value not in LAYOUTS:
        choices = "、".join(f"{key}（{label}）" for key, label in LAYOUTS.items())
        if not value:
            raise LedgerError(f"请选择台账格式：{choices}")
        raise LedgerError(f"没有“{value}”这种台账格式，可选：{choices}")
    return value


def check_format(value: str) -> str:
    value = (value or "").strip().lower().lstrip(".")
    if value not in FORMATS:
        raise LedgerError("文件格式只能是 xlsx（Excel 表格）或 docx（Word 文档）")
    return value


def export_ledger(
    targets,
    layout: str,
    fmt: str,
    *,
    year: int | None = None,
    period: Period | None = None,
    contact: Contact | None = None,
    today: datetime.date | None = None,
) -> Export:
    """The ledger of `targets` (filtered, and limited to what the user may see) as a file."""
    layout, fmt = check_layout(layout), check_format(fmt)
    selection = select(targets, layout, year=year, period=period, today=today)
    ledger = build(selection, contact)
    writer = FORMATS[fmt][0]
    return Export(ledger, fmt, writer(ledger))


def export_form(
    targets,
    period: Period,
    unit: str,
    fmt: str,
    *,
    deadline: datetime.date | None = None,
    contact: Contact | None = None,
    today: datetime.date | None = None,
) -> Export:
    """A unit's fill-in form (填报表) for `period`: the progress ledger of `targets` (the
    unit's targets due) with the answer columns empty, the unit named in the title and the
    contact line, and the deadline under the table. Filled in, it reads back through the
    extraction like any completion table."""
    fmt = check_format(fmt)
    selection = select(targets, PROGRESS, period=period, today=today)
    ledger = build(selection, contact, fill_in=FillIn(unit, deadline))
    writer = FORMATS[fmt][0]
    return Export(ledger, fmt, writer(ledger))
