from django.core.management.base import BaseCommand, CommandError

from duban.web import backup


class Command(BaseCommand):
    help = (
        "从 duban backup 生成的压缩包恢复数据库和文件。只写入空的数据库和数据目录；"
        "确需覆盖已有数据时加 --force。"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="duban backup 生成的 .tar.gz 文件")
        parser.add_argument(
            "--force",
            action="store_true",
            help="覆盖已有的数据库和文件（SQLite 数据库文件和文件目录改名保留）",
        )

    def handle(self, *args, archive, force, **options):
        try:
            manifest = backup.restore_backup(archive, force=force)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        db, files = manifest["database"], manifest["files"]
        self.stdout.write(
            f"已恢复 {manifest['created_at']} 的备份：数据库 {sum(db['counts'].values())} 行"
            f"（{db['method']}），文件 {files['count']} 个"
        )
        if manifest.get("unreadable_secrets"):
            self.stdout.write(
                f"注意：有 {manifest['unreadable_secrets']} 项群机器人 Webhook 地址或加签密钥"
                "无法用现在的系统密钥解密（备份时使用了另一个 DUBAN_SECRET_KEY）。请使用原来的"
                "密钥运行，或在“单位群机器人”页面重新填写。"
            )
        from django.db import DEFAULT_DB_ALIAS, connections
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("备份来自较早的版本，请运行：duban migrate")
