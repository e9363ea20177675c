"""`duban export OUT.xlsx|OUT.docx --layout progress|commitments|goals [--year Y]
[--period 2022-Q1] [--source …] [--unit …]`: a ledger of the targets, as offices send it.

Every option is checked before anything is written; a mistake is one line in Chinese on
standard error and exit status 1, with no file. The file is written beside its final name and
renamed into place, so OUT is either the whole ledger or untouched.
"""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand

from duban.organisations.models import Organisation
from duban.reports.ledgers.export import (
    FORMATS,
    Contact,
    LedgerError,
    check_layout,
    export_ledger,
    parse_period,
)
from duban.targets.forms import TargetFilterForm
from duban.targets.models import SourceCategory, Target


def _source(value: str) -> str:
    value = value.strip()
    for code, label in SourceCategory.choices:
        if value in (code, label):
            return code
    choices = "、".join(f"{label}（{code}）" for code, label in SourceCategory.choices)
    raise LedgerError(f"没有“{value}”这种任务来源，可选：{choices}")


def _year(value: str) -> int:
    value = value.strip()
    if not (value.isdigit() and len(value) == 4):
        raise LedgerError(f"年度应写作四位数字，如 2022：{value}")
    return int(value)


def _output(value: str | None) -> tuple[Path, str]:
    if not value:
        raise LedgerError("请指定输出文件，如 台账.xlsx 或 台账.docx")
    path = Path(value)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise LedgerError(f"输出文件须以 .xlsx 或 .docx 结尾：{value}")
    if path.is_dir():
        raise LedgerError(f"这是一个目录，不是文件：{value}")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise LedgerError(f"目录不存在：{parent}")
    return path, fmt


def write_atomically(path: Path, content: bytes) -> None:
    """Write beside the final name, then rename: never a half-written ledger at `path`."""
    handle, temporary = tempfile.mkstemp(dir=path.parent or ".", prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


class Command(BaseCommand):
    help = (
        "导出台账：季度完成情况表（progress）、公开承诺事项进展表（commitments）或"
        "业务目标表（goals），文件格式由扩展名 .xlsx 或 .docx 决定。"
    )

    def add_arguments(self, parser):
        parser.add_argument("out", nargs="?", metavar="OUT.xlsx|OUT.docx", help="输出文件")
        parser.add_argument("--layout", default="", help="progress、commitments 或 goals")
        parser.add_argument("--year", help="年度，如 2022（默认：最近的年度）")
        parser.add_argument(
            "--period", help="期次，如 2022-Q1、2022-H1、2022（默认：有报送的最近一期）"
        )
        parser.add_argument("--source", help="任务来源，如 政府工作报告 或 work_report")
        parser.add_argument("--unit", help="责任单位（全称、简称或其他写法均可）")
        parser.add_argument("--contact", default="", help="联系人（印在表头下方）")
        parser.add_argument("--phone", default="", help="联系电话")

    def handle(self, *args, out, layout, year, period, source, unit, contact, phone, **options):
        try:
            message = self.export(out, layout, year, period, source, unit, contact, phone)
        except LedgerError as exc:
            self.stderr.write(f"duban export：{exc}")
            raise SystemExit(1) from None
        except OSError as exc:
            self.stderr.write(f"duban export：无法写入文件（{exc.strerror or exc}）")
            raise SystemExit(1) from None
        self.stdout.write(message)

    def export(self, out, layout, year, period, source, unit, contact, phone) -> str:
        path, fmt = _output(out)
        layout = check_layout(layout)
        data = {}
        if year:
            data["year"] = _year(year)
        parsed_period = parse_period(period.strip()) if period else None
        if source:
            data["source"] = _source(source)
        if unit:
            found = Organisation.find_by_name(unit)
            if found is None:
                raise LedgerError(f"没有找到单位“{unit.strip()}”")
            data["unit"] = found.pk
        targets = Target.objects.all()
        filters = TargetFilterForm(data, targets=targets)
        if not filters.is_valid():
            field, errors = next(iter(filters.errors.items()))
            raise LedgerError(f"{filters.fields[field].label}：{errors[0]}")
        result = export_ledger(
            filters.apply(targets),
            layout,
            fmt,
            year=filters.cleaned_data.get("year"),
            period=parsed_period,
            contact=Contact(contact.strip(), phone.strip()),
        )
        write_atomically(path, result.content)
        ledger = result.ledger
        return f"已导出 {ledger.count} 项目标任务：{path}（{ledger.title}）"
