from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone


class ImmutableError(Exception):
    """Raised when code tries to change or remove an audit record."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError("留痕记录不可修改")

    def delete(self):
        raise ImmutableError("留痕记录不可删除")

    def for_target(self, target_id):
        return self.filter(target_id=target_id).order_by("created_at", "id")

    def field_history(self, model, objects, labels):
        """The creations of `objects` (a queryset of `model`) and the events that changed
        any of the fields `labels` (their Chinese labels, as the trail keys them), oldest
        first: what `value_at` reads to tell a field's value at a past moment."""
        keys = objects.order_by().annotate(_audit_key=Cast("pk", CharField())).values("_audit_key")
        changed = Q(action=AuditEvent.Action.CREATE)
        for label in labels:
            changed |= Q(after__has_key=label)
        return (
            self.filter(object_type=ContentType.objects.get_for_model(model), object_id__in=keys)
            .filter(changed)
            .order_by("created_at", "id")
        )


def value_at(events, label: str, moment, current):
    """A field's value (as the trail writes it) just before `moment`, from one object's events
    oldest first (each with action, created_at, before and after): the value the last event
    before the moment left; else, when the field changed only later, the value the first
    later change found (or the object was created with); else `current`, the value now."""
    last = None
    for event in events:
        creation = event.action == AuditEvent.Action.CREATE
        if not creation and label not in (event.after or {}):
            continue
        if event.created_at < moment:
            last = event
            continue
        if last is not None:
            break
        return (event.after or {}).get(label) if creation else (event.before or {}).get(label)
    if last is not None:
        return (last.after or {}).get(label)
    return current


class TrailJSONField(models.JSONField):
    """A JSONField that PostgreSQL bulk inserts as ordinary rows. Django would otherwise send
    a batch as arrays (UNNEST), and escaping JSON text inside array literals is slow in
    Python: for audit events, written in batches on every import, it was the largest cost."""

    def get_placeholder(self, value, compiler, connection):
        return "%s"


class AuditEvent(models.Model):
    """One create, change, deletion or state transition, with who, when, from where,
    and the object's fields before and after."""

    class Action(models.TextChoices):
        CREATE = "create", "创建"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        TRANSITION = "transition", "流转"
        NOTICE = "notice", "通知"
        SIGN_IN = "sign_in", "登录"

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text so the record still says who acted after an account is removed.
    actor_name = models.CharField("操作人名称", max_length=150, blank=True)
    remote_addr = models.GenericIPAddressField("来源地址", null=True, blank=True)
    channel = models.CharField("渠道", max_length=20, blank=True)
    action = models.CharField("动作", max_length=20, choices=Action.choices)
    summary = models.CharField("摘要", max_length=200, blank=True)
    object_type = models.ForeignKey(
        ContentType, verbose_name="对象类型", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField("对象编号", max_length=64)
    object_repr = models.CharField("对象", max_length=200)
    # A plain id, not a foreign key: the trail must outlive the target it describes.
    target_id = models.BigIntegerField("所属目标", null=True, blank=True, db_index=True)
    before = TrailJSONField("变更前", null=True, blank=True)
    after = TrailJSONField("变更后", null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "留痕记录"
        verbose_name_plural = "留痕记录"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("留痕记录不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("留痕记录不可删除")

    @property
    def actor_label(self) -> str:
        """Who acted, as a person reads it: 张三（云台县科技局）."""
        from .readable import actor_label

        return actor_label(self)

    def readable_changes(self) -> list[tuple[str, str]]:
        """(field label, what happened) for the timeline: 设为 X, 清空（原为 X）, X → Y."""
        from .readable import change_rows

        return change_rows(self)

    def changes(self):
        """(field label, before, after) for each field that differs, for the timeline."""
        before = self.before or {}
        after = self.after or {}
        rows = []
        for key in list(dict.fromkeys([*before, *after])):
            old, new = before.get(key), after.get(key)
            if old != new:
                rows.append((key, old, new))
        return rows


class ChangeStamp(models.Model):
    """One row whose token changes, inside the writing transaction, whenever the trail records
    a change: caches of figures derived from many rows key on it (see `duban.audit.changes`).
    A fresh random token rather than a counter, so a rolled-back transaction cannot hand a
    later one a token that older cached figures were stored under."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = "数据变更标记"
        verbose_name_plural = "数据变更标记"

    def __str__(self):
        return self.token
