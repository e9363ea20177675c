from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from duban.web import backup


class Command(BaseCommand):
    help = (
        "备份数据库和数据目录中的文件（佐证材料、上传的文件）到一个 .tar.gz 压缩包，"
        "网站运行时也可备份。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "out",
            nargs="?",
            help="备份文件或目录；默认 数据目录/backups/duban-年月日-时分秒.tar.gz",
        )
        parser.add_argument(
            "--portable",
            action="store_true",
            help="用 Django dumpdata 导出数据库（可恢复到另一种数据库，如 SQLite → PostgreSQL）",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="备份后只保留该目录中最新的 N 个备份（默认全部保留）",
        )
        parser.add_argument("--quiet", action="store_true", help="成功时不输出")

    def handle(self, *args, out, portable, keep, quiet, **options):
        target = Path(out) if out else backup.default_backup_path()
        try:
            result = backup.create_backup(target, portable=portable)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        note = result.manifest["database"].get("note")
        if note:
            self.stderr.write(f"注意：{note}")
        if keep:
            for removed in backup.prune(result.path.parent, keep):
                if not quiet:
                    self.stdout.write(f"已删除旧备份：{removed}")
        if not quiet:
            self.stdout.write(f"已备份：{result.summary()}")
