"""Records an AuditEvent for every save, deletion and many-to-many change of the models
registered with `track`, and for the state transitions those models perform.

A model opts in with `track(Model)`. It may define `audit_target_id` (the target whose
timeline the event belongs on; `mixins.OnTargetTimeline` gives it from a `target` field), `audit_exclude` (field names not worth recording, such
as denormalised search text) and `audit_masks` (field name → function giving the value to
record, for credentials recorded masked). A transition sets `instance._audit_transition = "summary"`
before saving, so the save is recorded once, as a transition with that summary.
"""

import contextlib
import datetime
import decimal
import functools
from contextvars import ContextVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from .changes import note_change
from .context import current_actor
from .models import AuditEvent
from .readable import person_label

_ALWAYS_EXCLUDED = {"updated_at", "version", "search_text"}


def _display(instance, field, choices):
    value = getattr(instance, field.attname)
    if value is None:
        return None
    if field.is_relation:
        try:
            related = getattr(instance, field.name, None)
        except ObjectDoesNotExist:
            return value  # deleted in the same cascade: its id is all that is left
        if related is None:
            return value
        if isinstance(related, AbstractBaseUser) and not field.one_to_one:
            return person_label(related)  # 张三（云台县科技局）, not the account's user name
        return str(related)
    if choices:
        return str(choices.get(value, value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


@functools.cache
def _recorded_fields(model) -> list[tuple]:
    """(field, label, choices) for the fields of `model` worth recording, worked out once."""
    excluded = _ALWAYS_EXCLUDED | set(getattr(model, "audit_exclude", ()))
    return [
        (field, str(field.verbose_name), dict(field.flatchoices) if field.choices else None)
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in excluded
    ]


def snapshot(instance) -> dict:
    """Field values as a person reads them, keyed by the field's Chinese label; a field the
    model masks (`audit_masks`, name → function, for a credential such as a webhook key) is
    recorded masked."""
    masks = getattr(type(instance), "audit_masks", {})
    return {
        label: (
            masks[field.name](getattr(instance, field.attname))
            if field.name in masks
            else _display(instance, field, choices)
        )
        for field, label, choices in _recorded_fields(type(instance))
    }


_buffer: ContextVar[list | None] = ContextVar("duban_audit_buffer", default=None)


@contextlib.contextmanager
def buffered():
    """Collects the events recorded inside the block and writes them in one statement at its
    end: for bulk work such as importing a document, where one INSERT per change would be the
    slowest part. Use it inside the transaction of that work, so the trail commits with it."""
    if _buffer.get() is not None:
        yield
        return
    events: list[AuditEvent] = []
    token = _buffer.set(events)
    try:
        yield
    finally:
        _buffer.reset(token)
    if events:
        AuditEvent.objects.bulk_create(events, batch_size=500)
        note_change()


@contextlib.contextmanager
def not_recorded():
    """Records nothing inside the block: for loading a backup (`duban restore`), whose rows
    bring their own trail; Django's loaddata sets many-to-many fields through signals that
    would otherwise record each as a new change."""
    token = _buffer.set([])  # collected here and dropped
    try:
        yield
    finally:
        _buffer.reset(token)


def record(instance, action, *, before=None, after=None, summary=""):
    actor = current_actor()
    user = actor.user if getattr(actor.user, "pk", None) else None
    event = AuditEvent(
        actor=user,
        actor_name=actor.name[:150],
        remote_addr=actor.remote_addr,
        channel=actor.channel,
        action=action,
        summary=summary[:200],
        object_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        target_id=getattr(instance, "audit_target_id", None),
        before=before,
        after=after,
    )
    events = _buffer.get()
    if events is None:
        event.save()
        note_change()
    else:
        events.append(event)
    return event


def record_creation(instance, summary=""):
    """A creation, with the fields the new object was given (empty ones say nothing)."""
    after = {k: v for k, v in snapshot(instance).items() if v not in (None, "", False)}
    return record(instance, AuditEvent.Action.CREATE, after=after, summary=summary)


def _pre_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or instance._state.adding:
        instance._audit_before = None
        return
    previous = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(previous) if previous is not None else None


def _post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    transition = getattr(instance, "_audit_transition", None)
    instance._audit_transition = None
    if created:
        record_creation(instance, summary=transition or "")
        return
    after = snapshot(instance)
    before = getattr(instance, "_audit_before", None)
    changed_before = {k: v for k, v in (before or {}).items() if after.get(k) != v}
    changed_after = {k: after.get(k) for k in changed_before}
    if transition:
        record(
            instance,
            AuditEvent.Action.TRANSITION,
            before=changed_before,
            after=changed_after,
            summary=transition,
        )
    elif changed_before:
        record(instance, AuditEvent.Action.UPDATE, before=changed_before, after=changed_after)


def _post_delete(sender, instance, **kwargs):
    record(instance, AuditEvent.Action.DELETE, before=snapshot(instance))


def _m2m_changed(sender, instance, action, model, pk_set, reverse=False, **kwargs):
    if reverse:
        # From the other side (group.user_set.add(user)): recorded on each tracked object
        # whose field changed, as if changed from its side.
        if action in {"post_add", "post_remove"} and pk_set and model in _tracked:
            for obj in model._default_manager.filter(pk__in=pk_set):
                _m2m_changed(sender, obj, action, type(instance), {instance.pk})
        return
    if action not in {"post_add", "post_remove", "post_clear"} or not isinstance(
        instance, tuple(_tracked)
    ):
        return
    if action != "post_clear" and not pk_set:
        return  # adding what is already there, or removing what is not: no change
    field = next(f for f in type(instance)._meta.many_to_many if f.remote_field.through is sender)
    label = str(field.verbose_name)
    names = sorted(str(o) for o in model._default_manager.filter(pk__in=pk_set or ()))
    if action == "post_add":
        record(
            instance,
            AuditEvent.Action.UPDATE,
            before={label: None},
            after={label: names},
            summary=f"增加{label}",
        )
    else:
        record(
            instance,
            AuditEvent.Action.UPDATE,
            before={label: names or "全部"},
            after={label: None},
            summary=f"移除{label}",
        )


_tracked: set[type] = set()


def track(model):
    """Record every change of `model` in the audit trail."""
    if model in _tracked:
        return model
    _tracked.add(model)
    uid = f"duban-audit-{model._meta.label_lower}"
    pre_save.connect(_pre_save, sender=model, dispatch_uid=uid + "-pre")
    post_save.connect(_post_save, sender=model, dispatch_uid=uid + "-post")
    post_delete.connect(_post_delete, sender=model, dispatch_uid=uid + "-del")
    for field in model._meta.many_to_many:
        m2m_changed.connect(
            _m2m_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}"
        )
    return model
