"""Group robots (群机器人) of WeCom (企业微信) and DingTalk (钉钉): a unit's work group hears of
its reminders, chases and returned reports, as text messages with a link to the target.

What goes to a unit's enabled channels (model UnitChannel):

  what                                   when                      key (one message)
  the day's reminders of the unit's      the first `duban remind`  digest:<day>
  targets (临期, 逾期, 未签收), in one    run of the day
  message, like the people's 今日待办
  a chase by hand (人工催办)              when it is given          the chase's key
  a report returned (报送退回)            when it is returned       the return's key

Delivery is a durable outbox, as e-mail is: every message to every channel is a row
(ChannelDelivery, unique per channel and key, so the same event never makes two rows), created
in the transaction of the step or reminder it carries. Nothing is posted within the office
user's request: once the step commits, the process's courier thread (`Courier`, started on
demand, ending when it has nothing left) posts the rows just queued, and tries the failed ones
again at their time while the process runs. Every `duban remind` and `duban deliver` run
(cron-safe, e.g. every minute) posts whatever is due as well — rows a restarted server left
queued, or retries — so a single server needs no cron for chases and returns, and several
servers and cron may all deliver at once:

- a run first claims the rows that are due (PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED, then
  one UPDATE marking them 发送中 with the run's token, re-checking their state; SQLite, which
  has no row locks: the same UPDATE, whose check of the state under SQLite's single write lock
  lets only the first of two runs have a row), so two concurrent runs never both post one
  message;
- a post that fails (no connection, a timeout, a status other than 2xx, an answer that is not
  JSON or whose errcode is not 0) is tried again 1, 5 and 30 minutes later; after the fourth
  failure the row is given up (已放弃), with its reason on the row and in the trail;
- a row a run claimed and never finished (the process died while posting) may or may not have
  reached the group: after STALE_MINUTES it is given up, never posted again. At most once.

Addresses (validate_channel): the host must be the kind's configured host
(settings.DUBAN_WEBHOOK_HOSTS: qyapi.weixin.qq.com, oapi.dingtalk.com by default; a private
deployment names its own), with the robot's path and key (/cgi-bin/webhook/send?key=…,
/robot/send?access_token=…), and https, except when the configured host is a loopback address
(tests, a local relay). So a channel cannot be pointed at another server of the office's
network. Redirects are not followed. DingTalk's optional signing secret (加签, SEC…) adds the
timestamp and HMAC-SHA256 sign parameters to each post; WeCom robots have no secret.
"""

import base64
import contextlib
import dataclasses
import datetime
import hashlib
import hmac
import ipaddress
import json
import logging
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from duban.audit.context import Actor, acting_as
from duban.audit.models import AuditEvent
from duban.audit.recorder import record

from .models import ChannelDelivery, Notification, UnitChannel

logger = logging.getLogger(__name__)

# Minutes to wait after the 1st, 2nd, 3rd failed attempt; the 4th failure gives up
# (settings.DUBAN_WEBHOOK_RETRY_MINUTES, when set, replaces them).
RETRY_MINUTES = (1, 5, 30)
# A row claimed longer ago than this was left by a run that died while posting.
STALE_MINUTES = 15
# Rows one run claims at most (robots accept about 20 messages a minute; the rest wait).
BATCH = 100
# What each kind's robot accepts as a text message's content, in UTF-8 bytes.
CONTENT_LIMIT = {UnitChannel.Kind.WECOM: 2048, UnitChannel.Kind.DINGTALK: 4000}

PATHS = {
    UnitChannel.Kind.WECOM: ("/cgi-bin/webhook/send", "key"),
    UnitChannel.Kind.DINGTALK: ("/robot/send", "access_token"),
}
EXAMPLES = {
    UnitChannel.Kind.WECOM: "https://{host}/cgi-bin/webhook/send?key=…",
    UnitChannel.Kind.DINGTALK: "https://{host}/robot/send?access_token=…",
}
# The steps of the loop whose notification also goes to the unit's group.
STEP_KINDS = {Notification.Kind.CHASE, Notification.Kind.RETURNED}


# --- the address -------------------------------------------------------------------------


def _is_loopback(hostname: str) -> bool:
    if hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def configured_host(kind: str) -> str:
    return (settings.DUBAN_WEBHOOK_HOSTS.get(kind) or "").lower()


def validate_channel(kind: str, url: str, secret: str = "") -> None:
    """Raises ValidationError (field → message in Chinese) unless the address is a robot
    address of `kind` on its configured host, and the secret fits the kind."""
    errors = {}
    if kind not in UnitChannel.Kind.values:
        raise ValidationError({"kind": "请选择群机器人类型（企业微信或钉钉）"})
    label = UnitChannel.Kind(kind).label
    host = configured_host(kind)
    example = EXAMPLES[kind].format(host=host)
    url = (url or "").strip()
    if not url:
        errors["url"] = f"请填写{label}的 Webhook 地址，如 {example}"
    else:
        try:
            parts = urllib.parse.urlsplit(url)
            hostname = parts.hostname or ""
            parts.port  # noqa: B018 — raises ValueError on a port that is not a number
        except ValueError:
            parts, hostname = None, ""
        path, key = PATHS[kind]
        query = urllib.parse.parse_qs(parts.query) if parts else {}
        malformed = (
            parts is None
            or parts.scheme not in {"http", "https"}
            or not hostname
            or parts.username is not None
            or parts.password is not None
            or bool(parts.fragment)
        )
        if malformed:
            errors["url"] = f"Webhook 地址格式不正确，应形如 {example}"
        elif parts.netloc.lower() != host:
            errors["url"] = f"{label}的 Webhook 地址应在 {host} 上，形如 {example}"
        elif parts.scheme != "https" and not _is_loopback(hostname):
            errors["url"] = "Webhook 地址必须以 https:// 开头"
        elif parts.path != path or not (query.get(key) or [""])[0].strip():
            errors["url"] = f"{label}的 Webhook 地址应形如 {example}（含 {key}=…）"
    secret = (secret or "").strip()
    if secret and kind == UnitChannel.Kind.WECOM:
        errors["secret"] = "企业微信群机器人没有加签密钥，请留空"
    elif secret and (not secret.startswith("SEC") or any(c.isspace() for c in secret)):
        errors["secret"] = "钉钉加签密钥应以 SEC 开头（机器人安全设置中“加签”一项的内容）"
    if errors:
        raise ValidationError(errors)


def signed_url(channel: UnitChannel, now_ms: int | None = None) -> str:
    """The address to post to: DingTalk's with `timestamp` and `sign` when it has a secret
    (sign = base64(HMAC-SHA256(secret, "<timestamp>\\n<secret>")), URL-encoded)."""
    url = channel.url.strip()
    if channel.kind != UnitChannel.Kind.DINGTALK or not channel.secret.strip():
        return url
    secret = channel.secret.strip()
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}&timestamp={timestamp}&sign={sign}"


# --- posting -----------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the 3xx answer is then an HTTPError: a failure, not a detour


def _opener(hostname: str):
    handlers = [_NoRedirect()]
    if _is_loopback(hostname):
        handlers.append(urllib.request.ProxyHandler({}))  # never through a proxy
    return urllib.request.build_opener(*handlers)


def _one_line(text: str, limit: int = 200) -> str:
    return " ".join(str(text).split())[:limit]


def post(channel: UnitChannel, text: str, *, timeout: float | None = None) -> str | None:
    """Posts `text` to the channel's robot: None when it answered errcode 0, else why not
    (one line, in Chinese where it is ours)."""
    if channel.unreadable:
        return "Webhook 地址或加签密钥无法解密（系统密钥已更换），请重新填写"
    try:
        validate_channel(channel.kind, channel.url, channel.secret)
    except ValidationError as exc:
        return "地址或密钥不合规：" + "；".join(m for ms in exc.message_dict.values() for m in ms)
    url = signed_url(channel)
    body = json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False).encode(
        "utf-8"
    )
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    timeout = timeout or settings.DUBAN_WEBHOOK_TIMEOUT
    hostname = urllib.parse.urlsplit(url).hostname or ""
    try:
        with _opener(hostname).open(request, timeout=timeout) as response:
            status = response.status
            raw = response.read(65536)
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        return _one_line(f"连接失败：{type(reason).__name__}: {reason}")
    if not 200 <= status < 300:
        return f"HTTP {status}"
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _one_line(f"应答不是 JSON：{raw[:100]!r}")
    if not isinstance(answer, dict) or answer.get("errcode") != 0:
        code = answer.get("errcode") if isinstance(answer, dict) else None
        message = answer.get("errmsg", "") if isinstance(answer, dict) else ""
        return _one_line(f"errcode {code}：{message}")
    return None


# --- what is said ------------------------------------------------------------------------


def target_link(target) -> str:
    return settings.DUBAN_BASE_URL.rstrip("/") + reverse("targets:detail", args=[target.pk])


def _fit(lines: list[str], tail: list[str], limit: int) -> str:
    """The lines, then the tail, within `limit` UTF-8 bytes: what does not fit is cut at a
    line and said so (the tail, with the link to sign in, is always kept)."""
    text = "\n".join(lines + tail)
    if len(text.encode()) <= limit:
        return text
    kept = []
    for line in lines:
        candidate = "\n".join([*kept, line, "……（内容较多，请登录系统查看）", *tail])
        if len(candidate.encode()) > limit:
            break
        kept.append(line)
    text = "\n".join([*kept, "……（内容较多，请登录系统查看）", *tail])
    return text.encode()[:limit].decode("utf-8", "ignore")


def step_text(target, kind: str, message: str, limit: int) -> str:
    """A chase or a return, as the group reads it."""
    heading = {
        Notification.Kind.CHASE: "【督办催办】",
        Notification.Kind.RETURNED: "【督办提醒】报送被退回",
    }.get(kind, "【督办提醒】")
    lines = [
        heading,
        message,
        f"目标任务：{target}",
        f"牵头单位：{target.lead_unit or '（未定）'}",
        f"完成时限：{target.deadline_label or '（未设定）'}",
    ]
    return _fit(lines, [f"查看详情：{target_link(target)}"], limit)


def digest_text(unit, today: datetime.date, reminders, limit: int) -> str:
    """The unit's reminders of the day in one message (the people's 今日待办 for a group)."""
    from .reminders import DIGEST_GROUPS, _date, _name

    groups = []
    for label, rules in DIGEST_GROUPS.items():
        mine = sorted(
            (r for r in reminders if r.rule in rules),
            key=lambda r: (r.when or today, r.target.pk, r.key),
        )
        if mine:
            groups.append((label, mine))
    counts = "、".join(f"{label}{len(mine)}项" for label, mine in groups)
    lines = [f"【督办】{unit}今日待办：{counts}", f"截至{_date(today)}，以下督办事项需要办理："]
    for label, mine in groups:
        lines.append(f"【{label}】{len(mine)}项")
        for number, reminder in enumerate(mine, 1):
            lines += [
                f"{number}. {_name(reminder.target)}",
                f"   {reminder.detail}",
                f"   {target_link(reminder.target)}",
            ]
    base = settings.DUBAN_BASE_URL.rstrip("/")
    return _fit(lines, [f"登录系统办理：{base}/"], limit)


# --- the outbox --------------------------------------------------------------------------


def channels_of(unit_id) -> list[UnitChannel]:
    if not unit_id:
        return []
    return list(UnitChannel.objects.filter(unit_id=unit_id, enabled=True).order_by("pk"))


def queue_step(target, kind: str, message: str, key: str) -> list[ChannelDelivery]:
    """The rows of a chase or a return to the lead unit's enabled channels (none for a key
    already queued), posted once the step's transaction commits."""
    if kind not in STEP_KINDS:
        return []
    rows = []
    for channel in channels_of(target.lead_unit_id):
        text = step_text(target, kind, message, CONTENT_LIMIT[channel.kind])
        try:
            with transaction.atomic():
                rows.append(
                    ChannelDelivery.objects.create(
                        channel=channel, target=target, kind=kind, key=key[:120], text=text
                    )
                )
        except IntegrityError:
            continue
    ids = [row.pk for row in rows]
    if ids:
        # Posted by the courier's thread once the step commits: never within the request.
        transaction.on_commit(lambda: courier.send(ids))
    return rows


def plan_digests(today: datetime.date, reminders) -> list[ChannelDelivery]:
    """The day's message (unsaved) to each enabled channel of a unit that has reminders
    today and no message of the day yet."""
    by_unit = {}
    for reminder in reminders:
        by_unit.setdefault(reminder.target.lead_unit_id, []).append(reminder)
    if not by_unit:
        return []
    key = f"digest:{today.isoformat()}"
    channels = list(
        UnitChannel.objects.filter(unit_id__in=by_unit, enabled=True)
        .select_related("unit")
        .order_by("unit_id", "pk")
    )
    if not channels:
        return []
    done = set(
        ChannelDelivery.objects.filter(key=key, channel__in=channels).values_list(
            "channel_id", flat=True
        )
    )
    return [
        ChannelDelivery(
            channel=channel,
            kind="digest",
            key=key,
            text=digest_text(
                channel.unit, today, by_unit[channel.unit_id], CONTENT_LIMIT[channel.kind]
            ),
        )
        for channel in channels
        if channel.pk not in done
    ]


def queue_digests(rows: list[ChannelDelivery]) -> int:
    """Saves the day's messages; one another run saved a moment ago is left to it."""
    if not rows:
        return 0
    before = ChannelDelivery.objects.filter(key=rows[0].key).count()
    ChannelDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    return ChannelDelivery.objects.filter(key=rows[0].key).count() - before


@dataclasses.dataclass
class Outcome:
    sent: int = 0
    retrying: int = 0  # failed this time, to be tried again
    given_up: int = 0
    errors: list[str] = dataclasses.field(default_factory=list)

    @property
    def failed(self) -> int:
        return self.retrying + self.given_up

    def summary(self) -> str:
        return (
            f"群消息已发送 {self.sent} 条、失败待重试 {self.retrying} 条、放弃 {self.given_up} 条"
        )


def retry_minutes() -> tuple:
    return tuple(getattr(settings, "DUBAN_WEBHOOK_RETRY_MINUTES", None) or RETRY_MINUTES)


def claim(*, now=None, ids=None, limit: int = BATCH) -> list[ChannelDelivery]:
    """Marks the due rows 发送中 for this run and returns them: a row another run claimed (or
    is claiming, on PostgreSQL: locked and skipped) is not among them."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    due = ChannelDelivery.objects.filter(
        state=ChannelDelivery.State.PENDING, next_attempt_at__lte=now
    )
    if ids is not None:
        due = due.filter(pk__in=ids)
    wanted = due.order_by("next_attempt_at", "pk")
    locking = connection.features.has_select_for_update_skip_locked
    # PostgreSQL: rows another run is claiming are locked and skipped. SQLite has no row
    # locks; there the UPDATE's own check of the state decides (it takes the write lock).
    with transaction.atomic() if locking else contextlib.nullcontext():
        if locking:
            wanted = wanted.select_for_update(skip_locked=True)
        pks = list(wanted.values_list("pk", flat=True)[:limit])
        if not pks:
            return []
        # The state is checked again by the UPDATE itself: of two runs that read the same
        # row, only the first to write it gets it.
        claimed = due.filter(pk__in=pks).update(
            state=ChannelDelivery.State.SENDING,
            claim=token,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
    if not claimed:
        return []
    return list(
        ChannelDelivery.objects.filter(claim=token, state=ChannelDelivery.State.SENDING)
        .select_related("channel__unit")
        .order_by("pk")
    )


def give_up_stale(now=None) -> int:
    """Rows left 发送中 by a run that died: given up, since they may have been posted."""
    now = now or timezone.now()
    stale = list(
        ChannelDelivery.objects.filter(
            state=ChannelDelivery.State.SENDING,
            claimed_at__lt=now - datetime.timedelta(minutes=STALE_MINUTES),
        ).select_related("channel__unit")
    )
    for row in stale:
        _finish(row, "发送中断，无法确认是否送达，为免重复不再发送", give_up=True, now=now)
    return len(stale)


def _finish(row: ChannelDelivery, error: str | None, *, give_up: bool = False, now=None):
    """Records a claimed row's outcome (only while it is still this run's)."""
    now = now or timezone.now()
    mine = ChannelDelivery.objects.filter(pk=row.pk, claim=row.claim, state=row.State.SENDING)
    if error is None:
        mine.update(state=row.State.SENT, sent_at=now, last_error="", claim="")
        row.state, row.sent_at, row.last_error = row.State.SENT, now, ""
        return "sent"
    error = error[:300]
    retries = retry_minutes()
    if not give_up and row.attempts <= len(retries):
        later = now + datetime.timedelta(minutes=retries[row.attempts - 1])
        mine.update(state=row.State.PENDING, next_attempt_at=later, last_error=error, claim="")
        row.state, row.next_attempt_at, row.last_error = row.State.PENDING, later, error
        return "retrying"
    with transaction.atomic():
        if mine.update(state=row.State.FAILED, last_error=error, claim=""):
            record(
                row,
                AuditEvent.Action.NOTICE,
                after={
                    "群机器人": str(row.channel),
                    "尝试次数": row.attempts,
                    "失败原因": error,
                },
                summary="群消息发送失败，已放弃",
            )
    row.state, row.last_error = row.State.FAILED, error
    return "given_up"


def _still_mine(row: ChannelDelivery) -> bool:
    """Marks the claimed row as being posted now, if it is still this run's: a row claimed at
    the start of a long batch (slow robots) is not taken for one a dead run left behind."""
    return bool(
        ChannelDelivery.objects.filter(
            pk=row.pk, claim=row.claim, state=ChannelDelivery.State.SENDING
        ).update(claimed_at=timezone.now())
    )


def deliver(*, now=None, ids=None, limit: int = BATCH) -> Outcome:
    """Posts the rows that are due (of `ids` only, when given), each claimed first, and
    records each outcome. Never raises for a robot's failure: that is the row's to keep."""
    outcome = Outcome()
    now = now or timezone.now()
    if ids is None:
        outcome.given_up += give_up_stale(now)
    for row in claim(now=now, ids=ids, limit=limit):
        if not _still_mine(row):
            continue  # a batch that took longer than STALE_MINUTES: another run gave it up
        if not row.channel.enabled:
            result = _finish(row, "群机器人已停用", give_up=True, now=now)
        else:
            error = post(row.channel, row.text)
            result = _finish(row, error, now=now)
            if error and error not in outcome.errors:
                outcome.errors.append(error)
        if result == "sent":
            outcome.sent += 1
        elif result == "retrying":
            outcome.retrying += 1
        else:
            outcome.given_up += 1
    return outcome


# --- the courier: posting outside the request ----------------------------------------------

COURIER_ACTOR = Actor(name="群消息发送", channel="system")
# The shortest wait before looking again at a row that is due but another run holds.
MIN_WAIT_SECONDS = 0.5


class Courier:
    """Posts the rows steps of this process queued, from a thread of its own, so the office
    user's request never waits for a robot. One thread per process, started when a step
    commits rows and ending when none of them is left to post: it posts what is due, waits
    for a failed row's next attempt (1, 5, 30 minutes) or for more rows, and goes on. Each
    row is claimed in the database first (`claim`), so a `duban deliver` run, another server
    or another process posting at the same moment never sends it twice. A row the thread
    leaves behind (the server stopped) stays queued for the next `duban deliver` or
    `duban remind` run, or, if the thread stopped while posting it, is given up after
    STALE_MINUTES: at most once."""

    def __init__(self):
        self._lock = threading.Condition()
        self._ids: set[int] = set()
        self._thread: threading.Thread | None = None

    def send(self, ids) -> None:
        """Has the rows `ids` (committed) posted as soon as the thread gets to them."""
        ids = set(ids)
        if not ids:
            return
        with self._lock:
            self._ids |= ids
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="duban-channel-courier", daemon=True
                )
                self._thread.start()
            else:
                self._lock.notify_all()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Waits until the thread has nothing left (True), or `timeout` seconds (False)."""
        with self._lock:
            return self._lock.wait_for(lambda: self._thread is None, timeout)

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._thread is not None

    def _round(self, ids: list[int]) -> tuple[set[int], float | None, bool]:
        """Posts what is due of `ids`: (those still to post later, seconds until the first of
        them is due, whether this round claimed any)."""
        try:
            outcome = deliver(ids=ids)
            pending = dict(
                ChannelDelivery.objects.filter(
                    pk__in=ids, state=ChannelDelivery.State.PENDING
                ).values_list("pk", "next_attempt_at")
            )
        except Exception:
            # The database is away: what is queued stays queued for `duban deliver`.
            logger.exception("群消息发送线程出错，待发消息留待 duban deliver 发送")
            return set(), None, False
        finally:
            connection.close()  # a thread's own connection, not kept while it waits
        if not pending:
            return set(), None, bool(outcome.sent or outcome.failed)
        first = min(pending.values())
        wait = max((first - timezone.now()).total_seconds(), 0.0)
        return set(pending), wait, bool(outcome.sent or outcome.failed)

    def _run(self) -> None:
        try:
            with acting_as(COURIER_ACTOR):
                while True:
                    with self._lock:
                        ids = sorted(self._ids)
                    later, wait, claimed = self._round(ids)
                    with self._lock:
                        self._ids -= set(ids) - later
                        if not self._ids:
                            # Under the lock: a `send` from now on starts a new thread.
                            self._thread = None
                            self._lock.notify_all()
                            return
                        if self._ids - set(ids):
                            continue  # more rows came while posting: at once
                        if wait is not None and not (wait == 0 and claimed):
                            self._lock.wait(max(wait, MIN_WAIT_SECONDS))
        except BaseException:
            with self._lock:  # what is left stays queued for `duban deliver`
                self._thread = None
                self._lock.notify_all()
            raise

    def _forget(self) -> None:
        """In a child process after fork: the parent's thread is not there."""
        self._lock = threading.Condition()
        self._ids = set()
        self._thread = None


courier = Courier()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=courier._forget)
