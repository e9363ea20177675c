"""Due-soon reminders and overdue chasing (临近提醒, 到期催办), given by `duban remind`.

The rules, with N = settings.DUBAN_DUE_SOON_DAYS, for targets assigned (待签收) or in progress
(办理中) that have a lead unit. Each reminder goes to the lead unit's active unit reporters
who have an account as an in-app notification, and is recorded (action "notice") on the
target's timeline:

  rule                 when                                              key (one reminder)
  due_soon             the deadline is within N days (today included)    per deadline
  overdue              the deadline has passed                           per N days late
  milestone_due_soon   a milestone is due within N days and its period   per due date
                       has no submitted or accepted report
  milestone_overdue    such a milestone's due date has passed            per N days late
  unacknowledged       assigned more than 3 days ago, not acknowledged   per assignment

A target's children (the points of a plan item, which go through the loop with it) are
reminded of nothing of their own: the reminders about the item cover them.

The key of a reminder names its rule, its object, the date it is about and, for overdue ones,
how many N-day spans late it is (days 1..N late: 0, N+1..2N: 1, …). The database refuses a
second notification with the same (user, key), so a reminder is given once however often cron
runs the command, and whether or not two runs overlap: each batch is inserted in its own
transaction, and a batch that meets another run's rows is given again row by row, skipping
those. A changed deadline or due date is a new reminder.

E-mail comes as one digest a day per person (今日待办, model Digest): the first run of a day
e-mails each reporter with an address everything of theirs that any rule holds that day
(whether its in-app reminder is new or was given before), under 临期, 逾期 and 未签收, each
item with its target, date and link. The database refuses a second digest for the same
person and day, so later runs of the day (or one running at the same moment) send none; the
next day's first run sends that day's. A digest that failed is sent again, as it was
written, by the runs of its own day; after that the next day's digest says what still holds.

A run reads everything it needs in a few queries (targets, milestones without a report,
reporters, the notifications already given) and writes in batches.
"""

import collections
import dataclasses
import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from duban.audit.models import AuditEvent
from duban.audit.recorder import buffered, record
from duban.organisations.models import Person
from duban.targets.models import Milestone, ProgressReport, Target

from . import channels
from .models import Digest, Notification
from .notifications import (
    Delivery,
    Mailer,
    failed_digests,
    failed_emails,
    recipient_address,
    recipient_name,
    retry_failed_digests,
    retry_failed_emails,
    send_digests,
)

ACTIVE_STATES = (Target.State.ASSIGNED, Target.State.IN_PROGRESS)
REPORTED_STATES = (ProgressReport.Review.SUBMITTED, ProgressReport.Review.ACCEPTED)
ACKNOWLEDGE_WITHIN_DAYS = 3
BATCH_ROWS = 500

RULES = {
    # rule: (notification kind, audit summary, label in the run's summary line)
    "due_soon": (Notification.Kind.DUE_SOON, "临期提醒", "临期"),
    "overdue": (Notification.Kind.OVERDUE, "逾期催办", "逾期"),
    "milestone_due_soon": (Notification.Kind.DUE_SOON, "临期提醒", "阶段目标临期"),
    "milestone_overdue": (Notification.Kind.OVERDUE, "逾期催办", "阶段目标逾期"),
    "unacknowledged": (Notification.Kind.UNACKNOWLEDGED, "未签收提醒", "未签收"),
}

# The headings of the day's digest, in the order it lists them, and the rules under each.
DIGEST_GROUPS = {
    "临期": ("due_soon", "milestone_due_soon"),
    "逾期": ("overdue", "milestone_overdue"),
    "未签收": ("unacknowledged",),
}


@dataclasses.dataclass
class Reminder:
    rule: str
    key: str
    target: Target
    about: models.Model  # the target, or the milestone, whose timeline event this is
    message: str
    detail: str = ""  # its line in the day's digest, under the target's name
    when: datetime.date | None = None  # the date it is about, to order the digest by

    @property
    def kind(self) -> str:
        return RULES[self.rule][0]

    @property
    def summary(self) -> str:
        return RULES[self.rule][1]


@dataclasses.dataclass
class RunResult:
    today: datetime.date
    dry_run: bool
    email: bool
    given: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    notifications: list = dataclasses.field(default_factory=list)
    nobody: int = 0  # reminders due whose lead unit has no one to receive them
    digests: list = dataclasses.field(default_factory=list)  # the day's digests this run sent
    delivery: Delivery = dataclasses.field(default_factory=Delivery)
    retried: Delivery = dataclasses.field(default_factory=Delivery)
    pending_retries: int = 0
    webhook: bool = True
    group_messages: int = 0  # the day's messages to units' group robots this run queued
    posted: channels.Outcome = dataclasses.field(default_factory=channels.Outcome)

    @property
    def failed(self) -> int:
        return self.delivery.failed + self.retried.failed

    def _groups(self) -> str | None:
        """The group robots' part of the summary, when there was anything to post."""
        if not self.webhook or not (self.group_messages or self.posted.sent or self.posted.failed):
            return None
        if self.dry_run:
            return f"群机器人今日待办 {self.group_messages} 条"
        return f"群机器人今日待办新增 {self.group_messages} 条，{self.posted.summary()}"

    @property
    def errors(self) -> list[str]:
        return Delivery().add(self.delivery).add(self.retried).errors

    def summary(self) -> str:
        counts = "，".join(
            f"{RULES[rule][2]} {self.given[rule]}" for rule in RULES if self.given[rule]
        )
        reminders = f"新提醒 {sum(self.given.values())} 项" + (f"（{counts}）" if counts else "")
        parts = [reminders, f"站内通知 {len(self.notifications)} 条"]
        if self.nobody:
            parts.append(f"牵头单位无人接收 {self.nobody} 项")
        if self.dry_run:
            if self.email:
                parts.append(
                    f"今日待办邮件 {len(self.digests)} 封，无邮箱 {self.delivery.no_address} 人，"
                    f"待重发 {self.pending_retries} 封"
                )
            if self._groups():
                parts.append(self._groups())
            return f"试运行（{self.today:%Y-%m-%d}），未写入、未发信：" + "，".join(parts) + "。"
        if self.email:
            parts.append(
                f"今日待办邮件已发送 {self.delivery.sent} 封、失败 {self.delivery.failed} 封、"
                f"无邮箱 {self.delivery.no_address} 人"
            )
            parts.append(f"重发 {self.retried.sent} 封、失败 {self.retried.failed} 封")
        else:
            parts.append("未发邮件")
        if self._groups():
            parts.append(self._groups())
        return f"督办提醒（{self.today:%Y-%m-%d}）：" + "，".join(parts) + "。"


def run(
    today: datetime.date | None = None,
    *,
    dry_run: bool = False,
    email: bool = True,
    webhook: bool = True,
) -> RunResult:
    """Gives every reminder that is due today and not yet given (in the app, one per target and
    rule), e-mails each person who has anything due today one digest of it all unless they had
    it already today, and sends again the e-mails that failed earlier. With `webhook`, also
    queues each unit's group robots the day's message (once a day) and posts what is due of
    the robots' outbox (channels.py). With `dry_run`, works out the same and writes nothing."""
    today = today or timezone.localdate()
    result = RunResult(today=today, dry_run=dry_run, email=email, webhook=webhook)
    reminders = collect(today)
    reporters = unit_reporters()
    given = already_given(reminders)
    digests = []
    if email:
        digests, result.delivery.no_address = plan_digests(today, reminders, reporters)
    pending = []
    for reminder in reminders:
        users = reporters.get(reminder.target.lead_unit_id, [])
        if not users:
            result.nobody += 1
            continue
        new = [u for u in users if (u.pk, reminder.key) not in given]
        if new:
            pending.append((reminder, new))
    group_messages = channels.plan_digests(today, reminders) if webhook else []
    if dry_run:
        result.group_messages = len(group_messages)
        for reminder, users in pending:
            result.given[reminder.rule] += 1
            result.notifications += [_notification(reminder, u, timezone.now()) for u in users]
        if email:
            result.digests = digests
            result.pending_retries = (
                failed_emails(_retry_days()).count() + failed_digests(today).count()
            )
        return result

    for reminder, created in give(pending):
        result.given[reminder.rule] += 1
        result.notifications += created
    if email:
        mailer = Mailer()
        try:
            result.retried = retry_failed_emails(
                within_days=_retry_days(), today=today, mailer=mailer
            ).add(retry_failed_digests(today, mailer=mailer))
            result.digests = create_digests(digests)
            no_address = result.delivery.no_address
            result.delivery = send_digests(result.digests, mailer=mailer)
            result.delivery.no_address = no_address
        finally:
            mailer.close()
        _mark_emailed(result.notifications, result.digests)
    if webhook:
        result.group_messages = channels.queue_digests(group_messages)
        result.posted = channels.deliver()
    return result


# --- what is due ------------------------------------------------------------------------


def _days() -> int:
    return max(1, settings.DUBAN_DUE_SOON_DAYS)


def _retry_days() -> int:
    """Failed e-mails are retried for as long as an overdue reminder takes to repeat."""
    return _days()


def _span(days_late: int) -> int:
    """Which N-day span of lateness: days 1..N late → 0, N+1..2N → 1, …"""
    return (days_late - 1) // _days()


def _date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _due_in(days: int) -> str:
    return "今天到期" if days == 0 else f"还有{days}天到期"


def collect(today: datetime.date) -> list[Reminder]:
    """Every reminder due on `today`, given or not: three queries."""
    soon = today + datetime.timedelta(days=_days())
    acknowledge_by = today - datetime.timedelta(days=ACKNOWLEDGE_WITHIN_DAYS)
    # Assigned no later than the start of this day → more than 3 days ago by today.
    assigned_before = timezone.make_aware(
        datetime.datetime.combine(acknowledge_by, datetime.time())
    )
    assigned_at = Subquery(
        AuditEvent.objects.filter(
            target_id=OuterRef("pk"),
            object_type=ContentType.objects.get_for_model(Target),
            action__in=[AuditEvent.Action.CREATE, AuditEvent.Action.TRANSITION],
        )
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    targets = (
        Target.objects.filter(state__in=ACTIVE_STATES, lead_unit__isnull=False, parent__isnull=True)
        .filter(
            Q(deadline__lte=soon) | Q(state=Target.State.ASSIGNED, created_at__lt=assigned_before)
        )
        .annotate(
            assigned_at=models.Case(
                models.When(state=Target.State.ASSIGNED, then=assigned_at),
                default=None,
                output_field=models.DateTimeField(),
            )
        )
        .select_related("lead_unit")
        .defer("search_text", "benchmark")
        .order_by("pk")
    )
    reminders = []
    for target in targets:
        deadline = target.deadline
        if deadline is not None and today <= deadline <= soon:
            left = (deadline - today).days
            reminders.append(
                Reminder(
                    "due_soon",
                    f"due_soon:{target.pk}:{deadline.isoformat()}",
                    target,
                    target,
                    f"临期提醒：目标任务“{target}”将于{_date(deadline)}到期（{_due_in(left)}），"
                    "请抓紧办理，按时报送进展。",
                    f"完成时限：{_date(deadline)}（{_due_in(left)}）",
                    deadline,
                )
            )
        elif deadline is not None and deadline < today:
            late = (today - deadline).days
            reminders.append(
                Reminder(
                    "overdue",
                    f"overdue:{target.pk}:{deadline.isoformat()}:{_span(late)}",
                    target,
                    target,
                    f"逾期催办：目标任务“{target}”已于{_date(deadline)}到期，已逾期{late}天，"
                    "请尽快办理并报送进展，说明未完成原因。",
                    f"完成时限：{_date(deadline)}（已逾期{late}天）",
                    deadline,
                )
            )
        if target.state == Target.State.ASSIGNED:
            assigned = timezone.localdate(target.assigned_at or target.created_at)
            if assigned < acknowledge_by:
                waited = (today - assigned).days
                reminders.append(
                    Reminder(
                        "unacknowledged",
                        f"unacknowledged:{target.pk}:{target.lead_unit_id}:{assigned.isoformat()}",
                        target,
                        target,
                        f"签收提醒：目标任务“{target}”已于{_date(assigned)}交办，{waited}天未签收，"
                        "请尽快登录系统签收。",
                        f"{_date(assigned)}交办，{waited}天未签收"
                        + (f"；完成时限：{_date(deadline)}" if deadline else ""),
                        assigned,
                    )
                )

    milestones = list(
        Milestone.objects.filter(
            target__state__in=ACTIVE_STATES,
            target__lead_unit__isnull=False,
            due_date__lte=soon,
        )
        .select_related("target__lead_unit")
        .defer("target__search_text", "target__benchmark")
        .order_by("target_id", "period")
    )
    # The periods already reported, read as a set rather than as a NOT EXISTS per milestone:
    # PostgreSQL tends to probe that through the (period, review_state) index, one period's
    # reports of every target for each milestone, which takes seconds on a large ledger.
    reported = set(
        ProgressReport.objects.filter(
            period__in={m.period for m in milestones},
            review_state__in=REPORTED_STATES,
            target__state__in=ACTIVE_STATES,
        ).values_list("target_id", "period")
    )
    milestones = [m for m in milestones if (m.target_id, m.period) not in reported]
    for milestone in milestones:
        due, target = milestone.due_date, milestone.target
        stage = f"目标任务“{target}”{milestone.period_label}阶段目标（{milestone.text[:40]}）"
        own = f"{milestone.period_label}阶段目标：{milestone.text[:40]}"
        if due >= today:
            reminders.append(
                Reminder(
                    "milestone_due_soon",
                    f"milestone_due_soon:{milestone.pk}:{due.isoformat()}",
                    target,
                    milestone,
                    f"临期提醒：{stage}将于{_date(due)}到期（{_due_in((due - today).days)}），"
                    "本期进展尚未报送，请按时报送。",
                    f"{own}，{_date(due)}到期（{_due_in((due - today).days)}），本期进展尚未报送",
                    due,
                )
            )
        else:
            late = (today - due).days
            reminders.append(
                Reminder(
                    "milestone_overdue",
                    f"milestone_overdue:{milestone.pk}:{due.isoformat()}:{_span(late)}",
                    target,
                    milestone,
                    f"逾期催办：{stage}已于{_date(due)}到期，已逾期{late}天，"
                    "本期进展尚未报送，请尽快报送。",
                    f"{own}，{_date(due)}到期（已逾期{late}天），本期进展尚未报送",
                    due,
                )
            )
    return reminders


def unit_reporters() -> dict[int, list]:
    """unit id → the accounts of its active unit reporters (each with its person cached)."""
    people = (
        Person.objects.filter(
            role=Person.Role.UNIT,
            is_active=True,
            organisation__isnull=False,
            user__isnull=False,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("organisation_id", "name", "pk")
    )
    by_unit = collections.defaultdict(list)
    for person in people:
        by_unit[person.organisation_id].append(person.user)
    return by_unit


def already_given(reminders: list[Reminder]) -> set[tuple[int, str]]:
    """(user id, key) of the reminders' notifications that exist already."""
    keys_by_target = collections.defaultdict(set)
    for reminder in reminders:
        keys_by_target[reminder.target.pk].add(reminder.key)
    target_ids = sorted(keys_by_target)
    given = set()
    for start in range(0, len(target_ids), 250):
        chunk = target_ids[start : start + 250]
        keys = set().union(*(keys_by_target[t] for t in chunk))
        given.update(
            Notification.objects.filter(target_id__in=chunk, key__in=keys).values_list(
                "user_id", "key"
            )
        )
    return given


# --- the day's digest -------------------------------------------------------------------


def plan_digests(today, reminders: list[Reminder], reporters) -> tuple[list[Digest], int]:
    """The day's digest (unsaved) of each person who has anything due today and no digest
    yet for the day, and how many such people have no address to send one to."""
    by_user = {}
    for reminder in reminders:
        for user in reporters.get(reminder.target.lead_unit_id, []):
            by_user.setdefault(user.pk, (user, []))[1].append(reminder)
    done = set(Digest.objects.filter(day=today).values_list("user_id", flat=True))
    digests, no_address, links = [], 0, {}
    for user_id, (user, items) in by_user.items():
        if user_id in done:
            continue
        address = recipient_address(user)
        if not address:
            no_address += 1
            continue
        digests.append(build_digest(user, address, today, items, links))
    return digests, no_address


def _name(target, limit=60) -> str:
    text = str(target)
    return f"{text[:limit]}…" if len(text) > limit else text


def build_digest(user, address: str, today, items: list[Reminder], links=None) -> Digest:
    """今日待办: the person's items of the day under 临期, 逾期 and 未签收, each with its target,
    the date it is about and the link to the target."""
    links = {} if links is None else links
    base = settings.DUBAN_BASE_URL.rstrip("/")
    groups = []
    for label, rules in DIGEST_GROUPS.items():
        mine = [r for r in items if r.rule in rules]
        if mine:
            mine.sort(key=lambda r: (r.when or today, r.target.pk, r.key))
            groups.append((label, mine))
    counts = "、".join(f"{label}{len(mine)}项" for label, mine in groups)
    lines = [
        f"{recipient_name(user)}：",
        "",
        f"截至{_date(today)}，您有以下督办事项需要办理（{counts}）：",
    ]
    for label, mine in groups:
        lines += ["", f"【{label}】{len(mine)}项"]
        for number, reminder in enumerate(mine, 1):
            target = reminder.target
            if target.pk not in links:
                links[target.pk] = base + reverse("targets:detail", args=[target.pk])
            lines += [
                f"{number}. {_name(target)}",
                f"   {reminder.detail}",
                f"   查看详情：{links[target.pk]}",
            ]
    lines += [
        "",
        f"登录系统办理：{base}/",
        "",
        "—— 督查督办系统（本邮件由系统自动发送，每天一封，请勿直接回复）",
    ]
    return Digest(
        user=user,
        day=today,
        address=address,
        subject=f"【督办】今日待办：{counts}",
        body="\n".join(lines),
        items=len(items),
    )


def create_digests(digests: list[Digest]) -> list[Digest]:
    """Saves the digests and returns those this run saved: a person's digest of a day that
    another run saved a moment ago is left to that run, so nobody gets two."""
    if not digests:
        return []
    try:
        with transaction.atomic():
            return Digest.objects.bulk_create(digests, batch_size=BATCH_ROWS)
    except IntegrityError:
        pass
    mine = []
    for digest in digests:
        digest.pk, digest._state.adding = None, True
        try:
            with transaction.atomic():
                digest.save(force_insert=True)
        except IntegrityError:
            continue
        mine.append(digest)
    return mine


def _mark_emailed(notifications, digests) -> None:
    """The run's reminders went out in their people's digests: recorded on each of them."""
    sent = {d.user_id: d.emailed_at for d in digests if d.emailed_at}
    ids = [n.pk for n in notifications if n.user_id in sent]
    if not ids:
        return
    now = max(sent.values())
    for start in range(0, len(ids), BATCH_ROWS):
        Notification.objects.filter(pk__in=ids[start : start + BATCH_ROWS]).update(emailed_at=now)
    for n in notifications:
        if n.user_id in sent:
            n.emailed_at = sent[n.user_id]


# --- giving them ------------------------------------------------------------------------


def _notification(reminder: Reminder, user, now) -> Notification:
    return Notification(
        user=user,
        target=reminder.target,
        kind=reminder.kind,
        key=reminder.key,
        message=reminder.message,
        created_at=now,
    )


def _record(reminder: Reminder, users) -> None:
    record(
        reminder.about,
        AuditEvent.Action.NOTICE,
        after={
            "提醒对象": "、".join(recipient_name(u) for u in users),
            "提醒内容": reminder.message,
        },
        summary=reminder.summary,
    )


def give(pending: list[tuple[Reminder, list]]):
    """Creates the notifications and their audit events, in batches of about BATCH_ROWS rows
    (a reminder is never split between batches). Yields (reminder, notifications created by
    this run) for each reminder this run gave to at least one user."""
    batch, rows = [], 0
    for item in pending:
        batch.append(item)
        rows += len(item[1])
        if rows >= BATCH_ROWS:
            yield from _give_batch(batch)
            batch, rows = [], 0
    if batch:
        yield from _give_batch(batch)


def _give_batch(batch):
    now = timezone.now()
    made = [
        (reminder, [_notification(reminder, u, now) for u in users]) for reminder, users in batch
    ]
    try:
        with transaction.atomic():
            Notification.objects.bulk_create([n for _, notes in made for n in notes])
            with buffered():
                for reminder, notes in made:
                    _record(reminder, [n.user for n in notes])
        return made
    except IntegrityError:
        pass
    # Another run gave some of these a moment ago: give the rest one by one.
    given = []
    for reminder, notes in made:
        mine = []
        for note in notes:
            note.pk, note._state.adding = None, True
            try:
                with transaction.atomic():
                    note.save(force_insert=True)
            except IntegrityError:
                continue
            mine.append(note)
        if mine:
            given.append((reminder, mine))
    with transaction.atomic(), buffered():
        for reminder, notes in given:
            _record(reminder, [n.user for n in notes])
    return given
