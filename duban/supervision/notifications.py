"""In-app notifications, each at most once per user and key, and the e-mail that goes with
them (sent by `duban remind`, or at once for a chase).

E-mail goes through Django's configured backend (SMTP in production, settings EMAIL_* from
DUBAN_EMAIL_*). A notification records `emailed_at` once its e-mail was accepted by the
server, or `email_error` when sending failed; failed e-mails are sent again by the next
`duban remind`, each exactly once (`retry_failed_emails` claims them before sending).
Users without an address get the in-app notification only.
"""

import contextlib
import dataclasses
import datetime
import uuid

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from duban.organisations.models import person_of
from duban.targets.lights import Light
from duban.targets.models import Target

from .models import Notification

# Without a timeout a silent SMTP server would hold a cron run forever.
DEFAULT_EMAIL_TIMEOUT = 30


def notify_users(users, target, kind, message, key) -> list[Notification]:
    created = []
    for user in users:
        if user is None:
            continue
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        user=user, target=target, kind=kind, key=key[:120], message=message
                    )
                )
        except IntegrityError:
            continue  # this reminder was already given to this user
    return created


# --- the e-mail ---------------------------------------------------------------------------

# What a reminder's key starts with decides its subject; the key names the rule that gave it.
SUBJECTS = {
    "due_soon": "【督办提醒】{target}即将到期",
    "overdue": "【督办催办】{target}已逾期",
    "milestone_due_soon": "【督办提醒】{target}阶段目标即将到期",
    "milestone_overdue": "【督办催办】{target}阶段目标已逾期，进展尚未报送",
    "unacknowledged": "【督办催办】{target}交办后尚未签收",
    "chase": "【督办催办】{target}请抓紧办理",
    "assigned": "【督办提醒】{target}已交办",
    "returned": "【督办提醒】{target}报送被退回",
}


def recipient_address(user) -> str:
    """The person's own address if they have one, else the account's."""
    person = person_of(user)
    if person is not None and person.email:
        return person.email.strip()
    return (getattr(user, "email", "") or "").strip()


def recipient_name(user) -> str:
    person = person_of(user)
    if person is not None:
        return person.name
    return user.get_full_name() or user.get_username()


def target_link(target) -> str:
    return settings.DUBAN_BASE_URL.rstrip("/") + reverse("targets:detail", args=[target.pk])


def _short(target, limit=30) -> str:
    text = str(target)
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


def build_email(notification: Notification, address: str, today=None) -> EmailMessage:
    target = notification.target
    rule = notification.key.split(":", 1)[0]
    subject = SUBJECTS.get(rule, "【督办提醒】{target}").format(target=_short(target))
    light = Light(target.light(today or timezone.localdate())).label
    lines = [
        f"{recipient_name(notification.user)}：",
        "",
        notification.message,
        "",
        f"目标任务：{target}",
        f"牵头单位：{target.lead_unit or '（未定）'}",
        f"完成时限：{target.deadline_label or '（未设定）'}",
        f"办理状态：{target.get_state_display()}（{light}）",
        f"查看详情：{target_link(target)}",
        "",
        "—— 督查督办系统（本邮件由系统自动发送，请勿直接回复）",
    ]
    return EmailMessage(
        subject=subject,
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )


def describe_error(exc: Exception) -> str:
    text = " ".join(str(exc).split())  # one line, whatever the server answered
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class Mailer:
    """One connection for a whole batch of e-mails. When the server cannot be reached, every
    remaining e-mail of the batch fails at once with that reason instead of each waiting for
    its own connection to time out."""

    def __init__(self):
        timeout = getattr(settings, "EMAIL_TIMEOUT", None) or DEFAULT_EMAIL_TIMEOUT
        self.connection = get_connection(fail_silently=False, timeout=timeout)
        self.opened = False
        self.down: str | None = None

    def send(self, message: EmailMessage) -> str | None:
        """None when the server accepted the message, else why not."""
        if self.down:
            return self.down
        if not self.opened:
            try:
                self.connection.open()
            except Exception as exc:  # refused, timed out, TLS or login failed
                self.down = describe_error(exc)
                return self.down
            self.opened = True
        try:
            sent = self.connection.send_messages([message])
        except Exception as exc:
            # The connection may be broken: open a new one for the next message.
            self.close()
            return describe_error(exc)
        return None if sent else "邮件未被接受"

    def close(self):
        if self.opened:
            # Closing a broken connection: there is nothing left to keep.
            with contextlib.suppress(Exception):
                self.connection.close()
        self.opened = False


@dataclasses.dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    no_address: int = 0
    errors: list[str] = dataclasses.field(default_factory=list)

    def add(self, other: "Delivery") -> "Delivery":
        self.sent += other.sent
        self.failed += other.failed
        self.no_address += other.no_address
        self.errors += [e for e in other.errors if e not in self.errors]
        return self


def send_emails(notifications, *, today=None, mailer: Mailer | None = None) -> Delivery:
    """E-mails each notification to its user and records the outcome on it: `emailed_at`,
    or `email_error` (kept for the next `duban remind` to retry). The caller owns these
    notifications: nobody else is sending them. Users without an address are skipped."""
    own_mailer = mailer is None
    mailer = mailer or Mailer()
    delivery = Delivery()
    sent_ids: list[int] = []
    unsent_ids: list[int] = []
    failed_ids: dict[str, list[int]] = {}
    try:
        for notification in notifications:
            address = recipient_address(notification.user)
            if not address:
                delivery.no_address += 1
                if notification.emailed_at or notification.email_error:
                    unsent_ids.append(notification.pk)  # claimed for a retry: release it
                continue
            error = mailer.send(build_email(notification, address, today))
            if error is None:
                sent_ids.append(notification.pk)
                delivery.sent += 1
            else:
                failed_ids.setdefault(error[:300], []).append(notification.pk)
                delivery.failed += 1
                if error not in delivery.errors:
                    delivery.errors.append(error)
    finally:
        if own_mailer:
            mailer.close()
        # Record whatever was sent, even if something unexpected stopped the batch.
        now = timezone.now()
        for batch in _chunks(sent_ids):
            Notification.objects.filter(pk__in=batch).update(emailed_at=now, email_error="")
        for batch in _chunks(unsent_ids):
            Notification.objects.filter(pk__in=batch).update(emailed_at=None, email_error="")
        for error, ids in failed_ids.items():
            for batch in _chunks(ids):
                Notification.objects.filter(pk__in=batch).update(emailed_at=None, email_error=error)
        outcome = {pk: (now, "") for pk in sent_ids}
        outcome.update({pk: (None, "") for pk in unsent_ids})
        outcome.update({pk: (None, e) for e, ids in failed_ids.items() for pk in ids})
        for notification in notifications:
            if notification.pk in outcome:
                notification.emailed_at, notification.email_error = outcome[notification.pk]
    return delivery


def failed_emails(within_days: int):
    """Notifications of the last `within_days` days whose e-mail failed, about targets not
    yet closed (a reminder about a closed target is no longer worth an e-mail)."""
    since = timezone.now() - datetime.timedelta(days=within_days)
    return (
        Notification.objects.filter(emailed_at__isnull=True, created_at__gte=since)
        .exclude(email_error="")
        .exclude(target__state=Target.State.CLOSED)
    )


def retry_failed_emails(*, within_days: int, today=None, mailer: Mailer | None = None) -> Delivery:
    """Sends again the e-mails that failed during the last `within_days` days, each exactly
    once even when two runs retry at the same moment: one UPDATE claims the failed
    notifications for this run (marking them sent), and only what it claimed is sent. A run
    that dies after claiming leaves them marked sent: a reminder is never given twice."""
    since = timezone.now() - datetime.timedelta(days=within_days)
    token = f"正在发送（{uuid.uuid4().hex}）"
    claimed = failed_emails(within_days).update(emailed_at=timezone.now(), email_error=token)
    if not claimed:
        return Delivery()
    notifications = list(
        Notification.objects.filter(email_error=token, created_at__gte=since)
        .select_related("user__person", "target__lead_unit")
        .order_by("pk")
    )
    return send_emails(notifications, today=today, mailer=mailer)


def email_after_commit(notifications) -> None:
    """E-mails the notifications once the transaction that created them commits (at once
    outside a transaction), so a rolled-back step sends nothing."""
    notifications = [n for n in notifications if n.pk is not None]
    if notifications:
        transaction.on_commit(lambda: send_emails(notifications))


def _chunks(items, size=500):
    for i in range(0, len(items), size):
        yield items[i : i + size]
