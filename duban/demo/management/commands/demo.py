from django.core.management import call_command
from django.core.management.base import BaseCommand

from duban.demo.load import load_demo


class Command(BaseCommand):
    help = "建立演示数据（虚构的青溪市）和演示账号，并打印账号密码。可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep-passwords", action="store_true", help="已有演示账号时不重置其密码"
        )

    def handle(self, *args, keep_passwords=False, **options):
        call_command("migrate", interactive=False, verbosity=0)
        accounts, targets = load_demo(reset_passwords=not keep_passwords)
        self.stdout.write(f"演示数据已就绪：新建目标任务 {len(targets)} 项。")
        self.stdout.write("演示账号（用户名 / 密码 / 身份）：")
        for username, password, label in accounts:
            shown = password or "（未改变）"
            self.stdout.write(f"  {username:<10} {shown:<14} {label}")
