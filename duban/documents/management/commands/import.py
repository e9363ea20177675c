from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from duban.audit.context import Actor, acting_as
from duban.documents.importing import ImportError_, import_extraction
from duban.extraction.containers import MAX_FILE_SIZE, ReadError
from duban.extraction.extract import extract


class Command(BaseCommand):
    help = "读取文件并导入目标任务。每个文件单独成事务：一个文件失败，只回退这一个文件。"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help=".txt .md .html .docx .xlsx .pdf 文件")

    def handle(self, *args, files, **options):
        failed = 0
        with acting_as(Actor(name="命令行导入", channel="cli")):
            for name in files:
                try:
                    message = self._import(Path(name))
                except (ReadError, ImportError_, OSError) as exc:
                    failed += 1
                    self.stderr.write(f"{name}: {_reason(exc)}")
                    continue
                self.stdout.write(f"{name}: {message}")
        if failed:
            raise CommandError(f"{failed} 个文件未能导入")

    def _import(self, path: Path) -> str:
        if not path.is_file():
            raise ImportError_("文件不存在" if not path.exists() else "这不是一个文件")
        if path.stat().st_size > MAX_FILE_SIZE:
            raise ImportError_(f"文件过大（超过 {MAX_FILE_SIZE // 1024 // 1024} MB）")
        data = path.read_bytes()
        result = extract(data, name=path.name)
        return import_extraction(result, file_bytes=data).summary


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and not isinstance(exc, ReadError):
        return f"无法读取文件（{exc.strerror or exc}）"
    return str(exc)
