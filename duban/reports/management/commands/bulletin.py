from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from duban.reports.overview import bulletin, exports
from duban.reports.overview.common import FilterError, last_ended_quarter, parse_period
from duban.targets.models import Target


class Command(BaseCommand):
    help = "生成一期情况通报（Word .docx），统计全部目标任务。"

    def add_arguments(self, parser):
        parser.add_argument("out", help="输出文件，如 通报.docx")
        parser.add_argument("--period", default="", help="期次，如 2026-Q3；默认为最近结束的季度")

    def handle(self, *args, out, period, **options):
        today = timezone.localdate()
        try:
            chosen = parse_period(period, default=last_ended_quarter(today))
        except FilterError as exc:
            raise CommandError(str(exc)) from exc
        path = Path(out)
        if path.suffix.lower() != ".docx":
            raise CommandError("输出文件应以 .docx 结尾")
        report = bulletin.build(None, chosen, today, targets=Target.objects.all())
        try:
            path.write_bytes(exports.bulletin_docx(report))
        except OSError as exc:
            raise CommandError(f"无法写入 {path}：{exc.strerror or exc}") from exc
        self.stdout.write(
            f"已生成{chosen.label}情况通报：{path}（目标任务{report.total}项，"
            f"应报送{report.totals.owing}项，按时报送{report.totals.on_time}项）"
        )
