"""`duban remind`: due-soon reminders and overdue chasing, in the app one per target and
by e-mail one digest per person a day (今日待办).

Safe to run from cron every few minutes (e.g. `*/10 * * * * duban remind`): each reminder is
given once and each person's digest sent once a day, however often the command runs and even
when two runs overlap. Units' group robots (企业微信, 钉钉) get the day's reminders in one
message and whatever of their outbox is due (see duban/supervision/channels.py; `duban
deliver` posts the outbox alone). When e-mail cannot be sent, the notifications are kept, the reason is recorded on each, one line goes to
standard error and the command exits with status 1; the next run sends them again.
"""

import argparse
import datetime

from django.core.management.base import BaseCommand

from duban.audit.context import Actor, acting_as
from duban.supervision.notifications import recipient_name
from duban.supervision.reminders import run


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写作 YYYY-MM-DD：{value}") from None


class Command(BaseCommand):
    help = (
        "发送临期提醒和逾期催办：站内通知每条只发一次，邮件每人每天一封今日待办；"
        "可由 cron 每隔几分钟运行；上次发送失败的邮件会重发。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="只列出将要发送的提醒，不写入、不发邮件"
        )
        parser.add_argument(
            "--today", type=_day, metavar="YYYY-MM-DD", help="按这一天计算（测试、补发时用）"
        )
        parser.add_argument("--no-email", action="store_true", help="只建站内通知，不发邮件")
        parser.add_argument(
            "--no-webhook", action="store_true", help="不向单位的企业微信、钉钉群机器人发消息"
        )

    def handle(self, *args, dry_run, today, no_email, no_webhook, verbosity, **options):
        with acting_as(Actor(name="督办提醒", channel="cli")):
            result = run(today, dry_run=dry_run, email=not no_email, webhook=not no_webhook)
        if dry_run or verbosity >= 2:
            for n in result.notifications:
                self.stdout.write(f"{n.get_kind_display()} → {recipient_name(n.user)}：{n.message}")
            for d in result.digests:
                self.stdout.write(f"今日待办 → {recipient_name(d.user)} <{d.address}>：{d.subject}")
        self.stdout.write(result.summary())
        if result.failed:
            reason = "；".join(result.errors[:3])
            self.stderr.write(
                f"duban remind：{result.failed} 封邮件未能发送（{reason}），"
                "通知已保存，下次运行时重发。"
            )
            raise SystemExit(1)
        if result.posted.failed:
            reason = "；".join(result.posted.errors[:3])
            self.stderr.write(
                f"duban remind：{result.posted.failed} 条群消息未能发送（{reason}），"
                "失败的将按 1、5、30 分钟后重试，之后放弃并记录。"
            )
            raise SystemExit(1)
