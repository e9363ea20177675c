from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from duban.api.models import ApiToken
from duban.audit.context import Actor, acting_as


class Command(BaseCommand):
    help = "管理 API 令牌：create 创建（令牌只显示一次）、revoke 撤销、list 列出。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{create,revoke,list}"
        )
        create = actions.add_parser("create", help="为一个账号创建 API 令牌")
        create.add_argument("username", help="登录账号")
        create.add_argument("--name", default="", help="令牌用途，如 OA 门户")
        revoke = actions.add_parser("revoke", help="撤销一个 API 令牌")
        revoke.add_argument("id", type=int, help="令牌编号（见 list）")
        listing = actions.add_parser("list", help="列出 API 令牌")
        listing.add_argument("username", nargs="?", help="只列出该账号的令牌")

    def handle(self, *args, action, **options):
        with acting_as(Actor(name="命令行", channel="cli")):
            getattr(self, f"_{action}")(**options)

    def _create(self, *, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有这个账号：{username}")
        if not user.is_active:
            raise CommandError(f"账号 {username} 已停用，不能创建令牌")
        token, secret = ApiToken.issue(user, name=name[:100])
        self.stdout.write(
            f"已为 {username} 创建 API 令牌 #{token.pk}。令牌只显示这一次，请妥善保存："
        )
        self.stdout.write(secret)
        self.stdout.write("调用接口时加上请求头：Authorization: Bearer <令牌>")

    def _revoke(self, *, id, **options):
        token = ApiToken.objects.select_related("user").filter(pk=id).first()
        if token is None:
            raise CommandError(f"没有编号为 {id} 的令牌")
        if token.revoked:
            self.stdout.write(f"令牌 #{id} 已于 {_when(token.revoked_at)} 撤销，无需再次撤销。")
            return
        token.revoke()
        self.stdout.write(f"已撤销 {token.user.get_username()} 的令牌 #{id}（{token}）。")

    def _list(self, *, username=None, **options):
        tokens = ApiToken.objects.select_related("user").order_by("id")
        if username:
            tokens = tokens.filter(user__username=username)
        rows = [
            f"#{t.pk}\t{t.user.get_username()}\t{t.name or '-'}\t{t.key_prefix}…\t"
            f"创建 {_when(t.created_at)}\t最近使用 {_when(t.last_used_at)}\t"
            f"{'已撤销' if t.revoked else '有效'}"
            for t in tokens
        ]
        self.stdout.write("\n".join(rows) if rows else "没有 API 令牌。")


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "从未"
