import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from duban.audit.mixins import OnTargetTimeline
from duban.documents.models import UploadedDraft, validate_period
from duban.organisations.models import Organisation
from duban.targets.models import Target
from duban.targets.periods import Period, period_label
from duban.web.encrypted import EncryptedTextField, Unreadable


class Contribution(OnTargetTimeline, models.Model):
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


def default_round_deadline(period: Period) -> datetime.date:
    """报送截止日期 when none is given: the period's end plus the reporting grace days."""
    return period.end_date + datetime.timedelta(days=settings.DUBAN_REPORT_GRACE_DAYS)


class ReportingRound(models.Model):
    """A period's reporting round (报送轮次): the office asks the units for their progress on
    the targets due in the period, by a deadline. One round per period."""

    period = models.CharField(
        "期次", max_length=10, unique=True, validators=[validate_period], help_text="如 2022-Q2"
    )
    deadline = models.DateField("报送截止日期", blank=True)
    note = models.TextField("说明", blank=True, help_text="印在报送通知中")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("发起时间", default=timezone.now)

    class Meta:
        verbose_name = "报送轮次"
        verbose_name_plural = "报送轮次"
        ordering = ["-period"]

    def __str__(self):
        return f"{self.period_label}报送"

    def save(self, *args, **kwargs):
        if self.deadline is None:
            self.deadline = default_round_deadline(self.parsed_period)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("supervision:round", args=[self.period])

    @property
    def period_label(self) -> str:
        return period_label(self.period)

    @property
    def parsed_period(self) -> Period:
        return Period.parse(self.period)


class RoundDispatch(models.Model):
    """What a round sent to one unit: when, by whom, how many targets, notices and e-mails.
    Sending the round again skips the units it has a dispatch for, unless forced."""

    round = models.ForeignKey(
        ReportingRound, verbose_name="报送轮次", on_delete=models.CASCADE, related_name="dispatches"
    )
    unit = models.ForeignKey(
        Organisation, verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField("发送时间", default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发送人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    times = models.PositiveIntegerField("发送次数", default=1)
    targets = models.PositiveIntegerField("目标任务数", default=0)
    notices = models.PositiveIntegerField("站内通知数", default=0)
    emails = models.PositiveIntegerField("邮件数", default=0)
    email_error = models.CharField("邮件发送失败原因", max_length=300, blank=True)

    class Meta:
        verbose_name = "报送通知发送记录"
        verbose_name_plural = "报送通知发送记录"
        ordering = ["round", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="round_dispatch_once_per_unit")
        ]

    def __str__(self):
        return f"{self.round}：{self.unit}"


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
    """A message to one person about one target (a reminder, a chase, a step of the loop: a
    report submitted, accepted or returned, a target closed), or about a reporting round
    (`round`, without a target: the unit's notice of the round). `key` makes each happen once:
    sending the same key to the same user again is refused by the database."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "临期提醒"
        OVERDUE = "overdue", "逾期催办"
        UNACKNOWLEDGED = "unacknowledged", "未签收提醒"
        CHASE = "chase", "人工催办"
        ASSIGNED = "assigned", "新交办"
        RETURNED = "returned", "报送退回"
        ROUND = "round", "报送通知"
        SUBMITTED = "submitted", "报送待审核"
        RESUBMITTED = "resubmitted", "重新报送"
        ACCEPTED = "accepted", "报送已通过"
        CLOSED = "closed", "目标已办结"
        EXTENSION = "extension", "延期申请"
        EXTENSION_DECIDED = "extension_decided", "延期审批结果"
        INSTRUCTION = "instruction", "领导批示"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    target = models.ForeignKey(
        Target,
        verbose_name="目标任务",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    round = models.ForeignKey(
        ReportingRound,
        verbose_name="报送轮次",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
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


class ReplyDraft(UploadedDraft, models.Model):
    """A unit's filled-in form uploaded for a period, as read and matched to targets, waiting
    for the person who uploaded it to confirm (see ``duban.supervision.replies``)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待确认"
        CONFIRMED = "confirmed", "已保存"
        DISCARDED = "discarded", "已放弃"

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.CASCADE,
        related_name="reply_drafts",
    )
    unit = models.ForeignKey(
        Organisation, verbose_name="报送单位", on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField("期次", max_length=10)
    name = models.CharField("文件名", max_length=255)
    file = models.FileField("上传的文件", upload_to="replies/", max_length=255, blank=True)
    result = models.JSONField("读取结果")
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "报送表草稿"
        verbose_name_plural = "报送表草稿"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.unit} {self.name}"


class UnitChannel(models.Model):
    """A unit's work-group robot (群机器人) of WeCom (企业微信) or DingTalk (钉钉): the unit's
    reminders, chases and returned reports are posted to the group as text messages with a
    link (see ``duban.supervision.channels``). Configured by office staff, a unit may have
    several; a disabled one is kept and gets nothing."""

    class Kind(models.TextChoices):
        WECOM = "wecom", "企业微信群机器人"
        DINGTALK = "dingtalk", "钉钉群机器人"

    unit = models.ForeignKey(
        Organisation, verbose_name="单位", on_delete=models.CASCADE, related_name="channels"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    name = models.CharField("群名称", max_length=50, blank=True, help_text="如 市科技局督办工作群")
    # The address holds the robot's key (key=…, access_token=…): whoever has it can post to
    # the group. Both are stored encrypted (duban.web.encrypted) and shown masked.
    url = EncryptedTextField(
        "Webhook 地址",
        max_length=500,
        help_text="群机器人设置中复制的地址，如 "
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… 或 "
        "https://oapi.dingtalk.com/robot/send?access_token=…",
    )
    secret = EncryptedTextField(
        "加签密钥",
        max_length=200,
        blank=True,
        help_text="仅钉钉：机器人安全设置选择“加签”时填写（以 SEC 开头）",
    )
    enabled = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    # The signing secret is a credential: the trail never records its value; the address
    # only masked (its key's first and last characters, so that a change shows).
    audit_exclude = ("secret",)
    audit_masks = {"url": lambda url: mask_url(url)}

    class Meta:
        verbose_name = "单位群机器人"
        verbose_name_plural = "单位群机器人"
        ordering = ["unit", "kind", "pk"]

    def __str__(self):
        label = self.name or self.get_kind_display()
        return f"{self.unit}·{label}"

    def clean(self):
        from .channels import validate_channel

        validate_channel(self.kind, self.url, self.secret)

    @property
    def unreadable(self) -> bool:
        """The stored address or secret cannot be decrypted with the current secret key."""
        return isinstance(self.url, Unreadable) or isinstance(self.secret, Unreadable)

    @property
    def masked_url(self) -> str:
        return Unreadable.reason if isinstance(self.url, Unreadable) else mask_url(self.url)

    @property
    def masked_secret(self) -> str:
        if isinstance(self.secret, Unreadable):
            return Unreadable.reason
        return mask(self.secret, keep_start=3)


def mask(value: str, keep_start: int = 4, keep_end: int = 4) -> str:
    """SEC****9f3a: the first and last characters of a credential, enough to tell two apart,
    never enough to use one. A short value is all stars."""
    value = value or ""
    if not value:
        return ""
    if len(value) < keep_start + keep_end + 6:
        return "****"
    return value[:keep_start] + "****" + value[-keep_end:]


def mask_url(url: str) -> str:
    """The robot's address with its key masked: …/cgi-bin/webhook/send?key=693a****7f2c."""
    url = url or ""
    base, sep, query = url.partition("?")
    if not sep:
        return url
    parts = []
    for pair in query.split("&"):
        name, eq, value = pair.partition("=")
        parts.append(f"{name}{eq}{mask(value)}" if eq else pair)
    return base + "?" + "&".join(parts)


class ChannelDelivery(OnTargetTimeline, models.Model):
    """One message to one unit channel: the outbox row it is sent from. Created with the step
    or reminder it carries, sent outside the request by the courier thread the step's commit
    wakes, or by `duban deliver` / `duban remind`; each row is claimed by one run before it is
    sent so it is posted at most once; a failed post is tried again after 1, 5 and 30 minutes
    (DUBAN_WEBHOOK_RETRY_MINUTES), then given up."""

    class State(models.TextChoices):
        PENDING = "pending", "待发送"
        SENDING = "sending", "发送中"
        SENT = "sent", "已发送"
        FAILED = "failed", "已放弃"

    channel = models.ForeignKey(
        UnitChannel, verbose_name="群机器人", on_delete=models.CASCADE, related_name="deliveries"
    )
    target = models.ForeignKey(
        Target,
        verbose_name="目标任务",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField("类型", max_length=20)
    key = models.CharField("去重键", max_length=120)
    text = models.TextField("消息内容")
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次发送时间", default=timezone.now)
    claim = models.CharField("发送批次", max_length=32, blank=True, db_index=True)
    claimed_at = models.DateTimeField("开始发送时间", null=True, blank=True)
    sent_at = models.DateTimeField("发送成功时间", null=True, blank=True)
    last_error = models.CharField("失败原因", max_length=300, blank=True)
    created_at = models.DateTimeField("生成时间", default=timezone.now)

    class Meta:
        verbose_name = "群消息发送记录"
        verbose_name_plural = "群消息发送记录"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "key"], name="delivery_once_per_channel")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]

    def __str__(self):
        return f"{self.channel}：{self.text[:30]}"


class DeadlineExtension(OnTargetTimeline, models.Model):
    """A lead unit's request for a later deadline (延期申请), with its reason, and the
    decisions on it: office staff review it, then, where the office's rule asks for it (see
    `duban.supervision.extensions`), the leader in charge approves. Only an approved request
    moves the target's deadline; a refused one leaves the target as it was, and so does one
    the unit withdraws (已撤回) while it is undecided. At most one request per target is open
    (待审核 or 待领导审批) at a time, refused by the database."""

    class State(models.TextChoices):
        PENDING = "pending", "待审核"
        AWAITING_LEADER = "awaiting_leader", "待领导审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "未批准"
        WITHDRAWN = "withdrawn", "已撤回"

    OPEN_STATES = (State.PENDING, State.AWAITING_LEADER)

    target = models.ForeignKey(
        Target, verbose_name="目标任务", on_delete=models.CASCADE, related_name="extensions"
    )
    unit = models.ForeignKey(
        Organisation,
        verbose_name="申请单位",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    old_deadline = models.DateField("原完成时限")
    old_deadline_text = models.CharField("原完成时限（原文）", max_length=100, blank=True)
    requested_deadline = models.DateField("申请延至")
    reason = models.TextField("延期理由")
    state = models.CharField(
        "审批状态", max_length=20, choices=State.choices, default=State.PENDING, db_index=True
    )
    needs_leader = models.BooleanField("须分管领导审批", default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    office_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    office_at = models.DateTimeField("审核时间", null=True, blank=True)
    office_comment = models.TextField("审核意见", blank=True)
    leader_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="领导审批人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    leader_at = models.DateTimeField("领导审批时间", null=True, blank=True)
    leader_comment = models.TextField("领导意见", blank=True)
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["target_id", "-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["target"],
                condition=Q(state__in=["pending", "awaiting_leader"]),
                name="one_open_extension_per_target",
                violation_error_message="该目标已有待审批的延期申请",
            )
        ]

    def __str__(self):
        return (
            f"延期申请：原{self.old_deadline:%Y-%m-%d}，申请延至{self.requested_deadline:%Y-%m-%d}"
        )

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class Instruction(OnTargetTimeline, models.Model):
    """A leader's instruction (领导批示) on a target: written online by the leader in charge,
    or registered by office staff with the target it gave rise to (a 批示件)."""

    class Origin(models.TextChoices):
        ONLINE = "online", "在线批示"
        DOCUMENT = "document", "批示件登记"

    target = models.ForeignKey(
        Target, verbose_name="目标任务", on_delete=models.CASCADE, related_name="instructions"
    )
    leader = models.ForeignKey(
        "organisations.Person",
        verbose_name="批示领导",
        on_delete=models.PROTECT,
        related_name="instructions",
    )
    text = models.TextField("批示内容")
    origin = models.CharField("方式", max_length=10, choices=Origin.choices, default=Origin.ONLINE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("批示时间", default=timezone.now)

    class Meta:
        verbose_name = "领导批示"
        verbose_name_plural = "领导批示"
        ordering = ["target_id", "-created_at", "-id"]

    def __str__(self):
        return f"{self.leader.name}批示：{self.text[:30]}"
