"""`duban setup`: the first-run setup from the console, asked in Chinese or given by flags.

    duban setup                       # asks each item in turn
    duban setup --office-name 青溪市科学技术局 --short-name 市科技局 --level 市级 \\
        --username zhangwei --name 张伟 --phone 0533-1234567 --email zhangwei@example.cn \\
        --no-input                    # the password from DUBAN_SETUP_PASSWORD

The same form as the setup page checks everything; nothing is stored unless all is valid.
Refused once any account exists."""

import getpass
import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from duban.audit.context import Actor, acting_as

from ...setup import SetupForm, SetupRefused, needs_setup, parse_level

PASSWORD_ENV = "DUBAN_SETUP_PASSWORD"

# (form field, option, prompt), in the order asked.
QUESTIONS = [
    ("office_name", "office_name", "本单位名称（全称，如 青溪市科学技术局）"),
    ("short_name", "short_name", "简称（如 市科技局，可不填）"),
    ("level", "level", "层级（省级/市级/县级）"),
    ("name", "name", "督查员姓名"),
    ("title", "title", "职务（可不填）"),
    ("phone", "phone", "联系电话"),
    ("email", "email", "电子邮箱"),
    ("username", "username", "登录用户名"),
]
OPTIONAL = {"short_name", "title"}


class Command(BaseCommand):
    help = "初始设置：本单位名称和层级，第一位督查员账号（仅在还没有任何账号时可用）"
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--office-name", dest="office_name", help="本单位名称（全称）")
        parser.add_argument("--short-name", dest="short_name", help="本单位简称")
        parser.add_argument("--level", help="层级：省级、市级或县级")
        parser.add_argument("--username", help="督查员的登录用户名")
        parser.add_argument("--name", help="督查员姓名")
        parser.add_argument("--title", help="督查员职务")
        parser.add_argument("--phone", help="督查员联系电话（印在台账联系人一栏）")
        parser.add_argument("--email", help="督查员电子邮箱")
        parser.add_argument(
            "--superuser", action="store_true", help="同时设为系统管理员（可进入管理后台）"
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            dest="interactive",
            action="store_false",
            help=f"不提问：缺项即报错，密码取自环境变量 {PASSWORD_ENV}",
        )

    def handle(self, *args, **options):
        self.stdin = options.get("stdin") or sys.stdin
        with translation.override(settings.LANGUAGE_CODE):
            if not needs_setup():
                raise CommandError(SetupRefused.message)
            values = {field: (options.get(opt) or "").strip() for field, opt, _ in QUESTIONS}
            values["is_superuser"] = options["superuser"]
            password = os.environ.get(PASSWORD_ENV, "")
            interactive = options["interactive"]
            if interactive:
                self.stdout.write("初始设置：请填写本单位和第一位督查员的信息（Ctrl+C 取消）。")
            asked = set()
            while True:
                if interactive:
                    for field, _, prompt in QUESTIONS:
                        if not values[field] and field not in asked:
                            values[field] = self.ask(prompt)
                            asked.add(field)
                    if not password:
                        password = self.ask_password()
                form = SetupForm(self.form_data(values, password))
                if form.is_valid():
                    break
                errors = [
                    (field, form.fields[field].label if field in form.fields else "", message)
                    for field, messages in form.errors.items()
                    for message in messages
                ]
                if not interactive:
                    if not password:
                        errors = [e for e in errors if e[0] not in ("password1", "password2")]
                        errors.append(("", "", f"未提供密码：请设置环境变量 {PASSWORD_ENV}"))
                    raise CommandError(
                        "；".join(
                            (f"{label}：{message}" if label else message).rstrip("。")
                            for _, label, message in errors
                        )
                        + "。"
                    )
                for field, label, message in errors:
                    self.stderr.write(f"  {label}：{message}" if label else f"  {message}")
                    if field in ("password1", "password2"):
                        if os.environ.get(PASSWORD_ENV):
                            raise CommandError(f"环境变量 {PASSWORD_ENV} 中的密码不合要求。")
                        password = ""
                    elif field in values:
                        values[field] = ""
                        asked.discard(field)
            try:
                with acting_as(Actor(name="初始设置", channel="cli")):
                    office, person, user = form.save()
            except SetupRefused as refused:
                raise CommandError(SetupRefused.message) from refused
        base = settings.DUBAN_BASE_URL.rstrip("/")
        self.stdout.write(
            f"初始设置完成：本单位 {office.name}（{office.organisation.get_level_display()}），"
            f"督查员 {person.name}，登录用户名 {user.get_username()}。\n"
            f"登录后即可导入文件：{base}/documents/import/"
        )

    @staticmethod
    def form_data(values, password):
        data = {k: v for k, v in values.items() if k != "is_superuser"}
        level = parse_level(values["level"])
        data["level"] = str(level) if level else values["level"]
        data["password1"] = data["password2"] = password
        if values["is_superuser"]:
            data["is_superuser"] = "on"
        return data

    def ask(self, prompt):
        self.stdout.write(f"{prompt}：", ending="")
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            raise CommandError("输入已结束，初始设置已取消，未作任何更改。")
        return line.strip()

    def ask_password(self):
        while True:
            if self.stdin is sys.stdin and sys.stdin.isatty():
                first = getpass.getpass("登录密码：")
                second = getpass.getpass("再次输入密码：")
            else:
                first = self.ask("登录密码")
                second = self.ask("再次输入密码")
            if first and first == second:
                return first
            self.stderr.write("  两次输入的密码不一致或为空，请重新输入。")
