"""`duban deliver`: posts what is due in the group robots' outbox (企业微信, 钉钉): chases and
returned reports that could not be posted at once, retries after 1, 5 and 30 minutes, and
gives up what a dead run left half-sent. Safe to run from cron every minute, also beside
`duban remind`: each message is claimed by one run before it is posted."""

from django.core.management.base import BaseCommand

from duban.audit.context import Actor, acting_as
from duban.supervision.channels import deliver


class Command(BaseCommand):
    help = "发送单位企业微信、钉钉群机器人的待发消息（失败的按 1、5、30 分钟后重试，之后放弃）；可由 cron 每分钟运行。"

    def handle(self, *args, **options):
        with acting_as(Actor(name="群消息发送", channel="cli")):
            outcome = deliver()
        self.stdout.write(outcome.summary() + "。")
        if outcome.failed:
            reason = "；".join(outcome.errors[:3]) or "见发送记录"
            self.stderr.write(f"duban deliver：{outcome.failed} 条群消息未能发送（{reason}）。")
            raise SystemExit(1)
