"""`duban round send 2022-Q2 [--deadline 2022-07-10] [--unit 市科技局 …] [--resend]`: open the
period's reporting round if it is not open yet, and send each unit with targets due (or each
unit named) its notice in the app and by e-mail with its fill-in form. One line per unit.

Units already sent to are skipped unless --resend. A mistake is one line in Chinese on
standard error and exit status 1, with nothing sent; e-mails that could not be sent are kept
as notices, named on standard error, and also exit with status 1 (send again with --resend).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from duban.audit.context import Actor, acting_as
from duban.organisations.models import Organisation
from duban.supervision import rounds


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(f"报送截止日期应写作 YYYY-MM-DD：{value}") from None


class Command(BaseCommand):
    help = "报送轮次：duban round send 2022-Q2 向各单位发送本期报送通知和填报表（站内通知和邮件）。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", metavar="send", required=True)
        send = actions.add_parser("send", help="发送报送通知（已发送过的单位不重复发送）")
        send.add_argument("period", help="期次，如 2022-Q2")
        send.add_argument("--deadline", help="报送截止日期 YYYY-MM-DD（默认：期末后加宽限天数）")
        send.add_argument(
            "--unit", action="append", default=[], help="只发给这个单位（可重复；全称、简称均可）"
        )
        send.add_argument("--resend", action="store_true", help="已发送过的单位也重新发送")

    def handle(self, *args, action, **options):
        try:
            with acting_as(Actor(name="报送通知", channel="cli")):
                failed = self.send(**options)
        except (CommandError, rounds.RoundError) as exc:
            self.stderr.write(f"duban round：{exc}")
            raise SystemExit(1) from None
        if failed:
            self.stderr.write(
                f"duban round：{'、'.join(failed)}的邮件未能发送，站内通知已保存；"
                "可稍后加 --resend 重新发送。"
            )
            raise SystemExit(1)

    def send(self, *, period, deadline, unit, resend, **options) -> list[str]:
        period = rounds.parse_round_period(period)
        deadline = _day(deadline) if deadline else None
        if deadline and deadline < period.end_date:
            raise CommandError(f"报送截止日期不能早于期末（{period.end_date:%Y-%m-%d}）")
        units = []
        for name in unit:
            found = Organisation.find_by_name(name)
            if found is None:
                raise CommandError(f"没有找到单位“{name.strip()}”")
            units.append(found)
        found, created = rounds.open_round(period, deadline=deadline)
        word = "已发起" if created else "继续"
        self.stdout.write(f"{word}{found}，报送截止日期 {rounds.date_text(found.deadline)}")
        results = rounds.send_round(found, units or None, force=resend)
        for result in results:
            self.stdout.write(result.line())
        if not results:
            self.stdout.write("本期没有应报送的目标任务，未发送")
        return [str(r.unit) for r in results if r.error]
