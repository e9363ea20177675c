from django.conf import settings
from django.db import models
from django.utils import timezone

from duban.organisations.models import Organisation
from duban.targets.models import Target


class Contribution(models.Model):
    """A co-unit's part of a period's work (协办单位报送), which the lead unit draws on when it
    writes the period report."""

    target = models.ForeignKey(
        Target, verbose_name="目标任务", on_delete=models.CASCADE, related_name="contributions"
    )
    period = models.CharField("期次", max_length=10)
    unit = models.ForeignKey(
        Organisation, verbose_name="协办单位", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("协办情况")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("填报时间", default=timezone.now)

    class Meta:
        verbose_name = "协办情况"
        verbose_name_plural = "协办情况"
        ordering = ["target_id", "period", "created_at"]

    def __str__(self):
        return f"{self.unit}：{self.text[:30]}"

    @property
    def audit_target_id(self):
        return self.target_id


class Digest(models.Model):
    """The day's to-do e-mail to one person (今日待办): every due-soon, overdue and
    not-acknowledged reminder that holds for them that day, in one message. At most one per
    person and day, refused by the database; what was sent is kept, so a failed one is sent
    again as it was written."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="digests",
    )
    day = models.DateField("日期")
    address = models.CharField("邮箱", max_length=254)
    subject = models.CharField("主题", max_length=200)
    body = models.TextField("正文")
    items = models.PositiveIntegerField("事项数", default=0)
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    email_error = models.CharField("邮件发送失败原因", max_length=300, blank=True)

    class Meta:
        verbose_name = "每日待办邮件"
        verbose_name_plural = "每日待办邮件"
        ordering = ["-day", "user_id"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_per_day")]

    def __str__(self):
        return self.subject


class Notification(models.Model):
    """A message to one person about one target: a reminder, a chase, a step of the loop
    (a report submitted, accepted or returned, a target closed). `key` makes each happen
    once: sending the same key to the same user again is refused by the database."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "临期提醒"
        OVERDUE = "overdue", "逾期催办"
        UNACKNOWLEDGED = "unacknowledged", "未签收提醒"
        CHASE = "chase", "人工催办"
        ASSIGNED = "assigned", "新交办"
        RETURNED = "returned", "报送退回"
        SUBMITTED = "submitted", "报送待审核"
        RESUBMITTED = "resubmitted", "重新报送"
        ACCEPTED = "accepted", "报送已通过"
        CLOSED = "closed", "目标已办结"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    target = models.ForeignKey(
        Target, verbose_name="目标任务", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    key = models.CharField("去重键", max_length=120)
    message = models.TextField("内容")
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    email_error = models.CharField("邮件发送失败原因", max_length=300, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")
        ]

    def __str__(self):
        return self.message[:50]
