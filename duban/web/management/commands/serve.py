from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


class Command(BaseCommand):
    help = "启动网站（waitress，多线程）。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="监听地址，默认 127.0.0.1")
        parser.add_argument("--port", type=int, default=8000, help="端口，默认 8000")
        parser.add_argument("--threads", type=int, default=8, help="处理线程数，默认 8")

    def handle(self, *args, host, port, threads, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception as exc:
            raise CommandError(f"无法连接数据库：{exc}") from exc
        if pending:
            raise CommandError("数据库尚未初始化或需要升级，请先运行：duban migrate")
        connection.close()

        from waitress import serve

        from duban.wsgi import application

        self.stdout.write(f"督查督办系统已启动：http://{host}:{port}/  （按 Ctrl+C 停止）")
        serve(application, host=host, port=port, threads=threads, ident="duban")
