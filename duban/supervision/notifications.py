"""In-app notifications, each at most once per user and key, and the e-mail that goes with
them: at once (after the step's transaction commits) for a chase and the steps of the loop,
and for reminders in the day's to-do digest that `duban remind` sends (reminders.py).

The steps of the loop notify the people who take the next step:

  step                          who                               kind         key
  a unit submits a report       every active office staff member  submitted    per report
  a returned report is sent     every active office staff member  resubmitted  per return
  the office accepts a report   the lead unit's active reporters  accepted     per report
  the office returns a report   the lead unit's active reporters  returned     per return
  the office closes a target    the lead unit's active reporters  closed       per closing

All office staff, not one of them: any office staff member may review any report
(permissions.can_supervise), and a target records no staff member of its own, so the report
waits in every office workbench and whoever of them takes it up should know it is there. The
office member who takes a step on a unit's behalf is not told of their own step.

E-mail goes through Django's configured backend (SMTP in production, settings EMAIL_* from
DUBAN_EMAIL_*). A notification (or a day's digest) records `emailed_at` once its e-mail was
accepted by the server, or `email_error` when sending failed; failed e-mails are sent again
by the next `duban remind`, each exactly once (`retry_failed_emails` and
`retry_failed_digests` claim them before sending). Users without an address get the in-app
notification only.
"""

import contextlib
import dataclasses
import datetime
import threading
import uuid

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from duban.organisations.models import Person, person_of
from duban.targets.lights import Light
from duban.targets.models import Target

from .models import Digest, Notification

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


def office_staff() -> list:
    """The accounts of the active office staff (督查员)."""
    people = (
        Person.objects.filter(
            role=Person.Role.OFFICE, is_active=True, user__isnull=False, user__is_active=True
        )
        .select_related("user")
        .order_by("name", "pk")
    )
    return [person.user for person in people]


def unit_reporters_of(target) -> list:
    """The accounts of the active reporters of the target's lead unit."""
    if not target.lead_unit_id:
        return []
    people = (
        Person.objects.filter(
            organisation_id=target.lead_unit_id,
            role=Person.Role.UNIT,
            is_active=True,
            user__isnull=False,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("name", "pk")
    )
    return [person.user for person in people]


def notify_and_email(users, target, kind, message, key, *, actor=None) -> list[Notification]:
    """`notify_users`, leaving out the person who took the step, and the e-mails of the
    notifications it created once the step's transaction commits."""
    if actor is not None:
        users = [u for u in users if u.pk != actor.pk]
    created = notify_users(users, target, kind, message, key)
    email_after_commit(created)
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
    "submitted": "【督办审核】{target}进展报送待审核",
    "resubmitted": "【督办审核】{target}进展重新报送待审核",
    "accepted": "【督办提醒】{target}进展报送已通过",
    "closed": "【督办提醒】{target}已办结",
    "extension": "【督办审核】{target}延期申请待审核",
    "extension-leader": "【督办审批】{target}延期申请待您审批",
    "extension-decided": "【督办提醒】{target}延期申请已审批",
    "instruction": "【领导批示】{target}",
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


def build_email(notification: Notification, address: str, today=None, link=None) -> EmailMessage:
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
        f"查看详情：{link or target_link(target)}",
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
    """The SMTP connections of a run, opened once and used for all its e-mails. A large batch
    goes out over a few connections at once (the server's replies, not our work, are what
    takes the time). When the server cannot be reached, every remaining e-mail fails at once
    with that reason instead of each waiting for its own connection to time out."""

    CONNECTIONS = 4
    PER_CONNECTION = 25  # fewer e-mails than this each: not worth another connection

    def __init__(self):
        self.timeout = getattr(settings, "EMAIL_TIMEOUT", None) or DEFAULT_EMAIL_TIMEOUT
        self.lanes: list[_Lane] = []
        self.down: str | None = None

    def _lane(self, index: int) -> "_Lane":
        while len(self.lanes) <= index:
            self.lanes.append(_Lane(self))
        return self.lanes[index]

    def send(self, message: EmailMessage) -> str | None:
        """None when the server accepted the message, else why not."""
        return self._lane(0).send(message)

    def send_many(self, messages: list[EmailMessage]) -> list[str | None]:
        lanes = min(self.CONNECTIONS, len(messages) // self.PER_CONNECTION)
        if lanes <= 1:
            return [self.send(m) for m in messages]
        # What a lane did not get to (it cannot fail, but if it did) counts as not sent.
        outcomes: list[str | None] = ["未发送"] * len(messages)

        def work(index, lane):
            for i in range(index, len(messages), lanes):
                outcomes[i] = lane.send(messages[i])

        threads = [
            threading.Thread(target=work, args=(i, self._lane(i)), daemon=True)
            for i in range(lanes)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return outcomes

    def close(self):
        for lane in self.lanes:
            lane.close()


class _Lane:
    """One connection of a Mailer, used by one thread at a time."""

    def __init__(self, mailer: Mailer):
        self.mailer = mailer
        self.connection = get_connection(fail_silently=False, timeout=mailer.timeout)
        self.opened = False

    def send(self, message: EmailMessage) -> str | None:
        if self.mailer.down:
            return self.mailer.down
        if not self.opened:
            try:
                self.connection.open()
            except Exception as exc:  # refused, timed out, TLS or login failed
                self.mailer.down = describe_error(exc)
                return self.mailer.down
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
    notifications: nobody else is sending them. Users without an address are skipped.
    Every message is built here, before any is sent, so sending touches no database."""
    notifications = list(notifications)
    delivery = Delivery()
    outbox, unsent_ids, links = [], [], {}
    for notification in notifications:
        address = recipient_address(notification.user)
        if not address:
            delivery.no_address += 1
            if notification.emailed_at or notification.email_error:
                unsent_ids.append(notification.pk)  # claimed for a retry: release it
            continue
        target_id = notification.target_id
        if target_id not in links:
            links[target_id] = target_link(notification.target)
        outbox.append((notification, build_email(notification, address, today, links[target_id])))

    own_mailer = mailer is None
    mailer = mailer or Mailer()
    try:
        outcomes = mailer.send_many([message for _, message in outbox])
    finally:
        if own_mailer:
            mailer.close()

    sent_ids: list[int] = []
    failed_ids: dict[str, list[int]] = {}
    for (notification, _), error in zip(outbox, outcomes, strict=True):
        if error is None:
            sent_ids.append(notification.pk)
            delivery.sent += 1
        else:
            failed_ids.setdefault(error[:300], []).append(notification.pk)
            delivery.failed += 1
            if error not in delivery.errors:
                delivery.errors.append(error)
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
    # The row's own conditions are repeated outside the subquery: on PostgreSQL a run that
    # waited for another's claim re-checks them on the claimed row and leaves it alone.
    claimed = (
        Notification.objects.filter(
            pk__in=failed_emails(within_days).values("pk"), emailed_at__isnull=True
        )
        .exclude(email_error="")
        .update(emailed_at=timezone.now(), email_error=token)
    )
    if not claimed:
        return Delivery()
    notifications = list(
        Notification.objects.filter(email_error=token, created_at__gte=since)
        .select_related("user__person", "target__lead_unit")
        .order_by("pk")
    )
    return send_emails(notifications, today=today, mailer=mailer)


# --- the day's digest ---------------------------------------------------------------------


def digest_email(digest: Digest) -> EmailMessage:
    return EmailMessage(
        subject=digest.subject,
        body=digest.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[digest.address],
    )


def send_digests(digests, *, mailer: Mailer | None = None) -> Delivery:
    """E-mails each digest (the caller owns them: nobody else is sending them) and records
    the outcome on it, `emailed_at` or `email_error`, as `send_emails` does."""
    digests = list(digests)
    own_mailer = mailer is None
    mailer = mailer or Mailer()
    try:
        outcomes = mailer.send_many([digest_email(d) for d in digests])
    finally:
        if own_mailer:
            mailer.close()
    delivery = Delivery()
    now = timezone.now()
    sent_ids, failed_ids = [], {}
    for digest, error in zip(digests, outcomes, strict=True):
        if error is None:
            sent_ids.append(digest.pk)
            delivery.sent += 1
            digest.emailed_at, digest.email_error = now, ""
        else:
            failed_ids.setdefault(error[:300], []).append(digest.pk)
            delivery.failed += 1
            digest.emailed_at, digest.email_error = None, error[:300]
            if error not in delivery.errors:
                delivery.errors.append(error)
    for batch in _chunks(sent_ids):
        Digest.objects.filter(pk__in=batch).update(emailed_at=now, email_error="")
    for error, ids in failed_ids.items():
        for batch in _chunks(ids):
            Digest.objects.filter(pk__in=batch).update(emailed_at=None, email_error=error)
    return delivery


def failed_digests(day):
    """The day's digests whose e-mail failed. Only the day's own: a later day's digest lists
    again whatever still holds, so an older one is not worth sending any more."""
    return Digest.objects.filter(day=day, emailed_at__isnull=True).exclude(email_error="")


def retry_failed_digests(day, *, mailer: Mailer | None = None) -> Delivery:
    """Sends again the day's digests that failed, each once even when two runs retry at the
    same moment: claimed by one UPDATE first, as `retry_failed_emails` does."""
    token = f"正在发送（{uuid.uuid4().hex}）"
    claimed = (
        Digest.objects.filter(pk__in=failed_digests(day).values("pk"), emailed_at__isnull=True)
        .exclude(email_error="")
        .update(emailed_at=timezone.now(), email_error=token)
    )
    if not claimed:
        return Delivery()
    return send_digests(
        Digest.objects.filter(email_error=token, day=day).order_by("pk"), mailer=mailer
    )


def email_after_commit(notifications) -> None:
    """E-mails the notifications once the transaction that created them commits (at once
    outside a transaction), so a rolled-back step sends nothing."""
    notifications = [n for n in notifications if n.pk is not None]
    if notifications:
        transaction.on_commit(lambda: send_emails(notifications))


def _chunks(items, size=500):
    for i in range(0, len(items), size):
        yield items[i : i + size]
