from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from duban.audit.context import Actor, acting_as
from duban.documents.importing import ImportError_, import_extraction
from duban.documents.planning import LEVEL_CHOICES
from duban.extraction.containers import MAX_FILE_SIZE, ReadError
from duban.extraction.containers.errors import one_line
from duban.extraction.isolated import extract_isolated
from duban.targets.models import SourceCategory


class Command(BaseCommand):
    help = "读取文件并导入目标任务。每个文件单独成事务：一个文件失败，只回退这一个文件。"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help=".txt .md .html .docx .xlsx .pdf 文件")
        parser.add_argument(
            "--lead-unit", help="文件未写牵头单位的目标，以此单位牵头（单位名称或简称）"
        )
        parser.add_argument("--leader", help="文件未写分管领导的目标，以此人为分管领导")
        parser.add_argument(
            "--deadline", help="文件未写完成时限的目标，以此为时限，如 年底前、2022-12-31"
        )
        parser.add_argument(
            "--source",
            choices=SourceCategory.values,
            help="文件未写任务来源时的来源类别",
        )
        parser.add_argument(
            "--year",
            type=int,
            help="文件未写年度时（如只有一张完成情况表）使用的年度，如 2025",
        )
        parser.add_argument(
            "--level",
            choices=[value for value, _label in LEVEL_CHOICES],
            default="item",
            help="哪一级作为目标：item 编号条目（默认，要点为子目标）、point 要点、heading 大标题",
        )
        parser.add_argument(
            "--review",
            action="store_true",
            help="文件中的进展作为待审核的报送导入（默认按已通过记录）",
        )

    def handle(self, *args, files, **options):
        failed = 0
        self.default_year = options.get("year")
        self.options = {
            "lead_unit": options.get("lead_unit") or "",
            "leader": options.get("leader") or "",
            "deadline": options.get("deadline") or "",
            "source_category": options.get("source") or "",
            "level": options.get("level") or "item",
            "answers": "submitted" if options.get("review") else "accepted",
        }
        with acting_as(Actor(name="命令行导入", channel="cli")):
            for name in files:
                try:
                    message = self._import(Path(name))
                except (ReadError, ImportError_, OSError) as exc:
                    failed += 1
                    self.stderr.write(one_line(f"{one_line(name)}: {_reason(exc)}"))
                    continue
                self.stdout.write(one_line(f"{one_line(name)}: {message}"))
        if failed:
            raise CommandError(f"{failed} 个文件未能导入")

    def _import(self, path: Path) -> str:
        if not path.is_file():
            raise ImportError_("文件不存在" if not path.exists() else "这不是一个文件")
        if path.stat().st_size > MAX_FILE_SIZE:
            raise ImportError_(f"文件过大（超过 {MAX_FILE_SIZE // 1024 // 1024} MB）")
        data = path.read_bytes()
        result = extract_isolated(  # memory and CPU limited
            data, name=path.name, default_year=self.default_year
        )
        result["options"] = self.options
        return import_extraction(result, file_bytes=data).summary


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and not isinstance(exc, ReadError):
        return f"无法读取文件（{exc.strerror or exc}）"
    return str(exc)
