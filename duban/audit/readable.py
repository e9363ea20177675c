"""The trail as a person reads it (the target page's timeline, the admin's 留痕记录):

- times in local time (settings.TIME_ZONE, Asia/Shanghai), also the times kept inside the
  recorded values (written there in UTC, ISO 8601): 2026-06-15 10:30;
- people as their name and unit, 张三（云台县科技局）, not their account's user name: the
  actor from their person record, and the people recorded in a field (申请人, 审核人,
  报送人 …) as recorded, which is name and unit; a user name recorded there by an earlier
  version (申请人 zhou_kj) reads as the person it names while the account exists;
- lists (co-units and other many-to-many values) as 「云台县政府、市发展改革委」;
- no arrow without a value on both sides: a change from nothing reads 设为 X, to nothing
  清空（原为 X）, a list's additions and removals 增加「…」 and 移除「…」, and 是/否 for yes/no.

The trail itself is not changed: it keeps the values as recorded; only their reading is.
"""

import datetime
import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

EMPTY = (None, "", [], {})
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
LIMIT = 60


def person_label(user) -> str:
    """张三（云台县科技局）: a user's person with their unit; else the account's full name or
    user name (an administrator without a person record)."""
    if user is None:
        return ""
    try:
        person = user.person
    except (ObjectDoesNotExist, AttributeError):  # no person record
        person = None
    if person is not None:
        unit = person.organisation if person.organisation_id else None
        return f"{person.name}（{unit}）" if unit else person.name
    return user.get_full_name() or user.get_username()


def actor_label(event) -> str:
    """Who acted, as a person reads it: the account's person and unit when the account still
    exists, else the name recorded with the event (系统, 督办提醒 …)."""
    if event.actor_id is not None and event.actor is not None:
        return person_label(event.actor)
    return event.actor_name or "系统"


def _moment(text: str) -> str | None:
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment:%Y-%m-%d %H:%M}"


def _short(text: str, limit: int = LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_value(value, limit: int = LIMIT) -> str:
    """One recorded value as text: lists in 「」 joined by 、, yes/no, local times."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "「" + _short("、".join(format_value(v, limit) for v in value), limit) + "」"
    if isinstance(value, dict):
        return _short("；".join(f"{k}：{format_value(v, limit)}" for k, v in value.items()), limit)
    text = str(value)
    if _ISO_MOMENT.match(text):
        text = _moment(text) or text
    return _short(text, limit)


def _people_labels(event) -> set[str]:
    """The labels of the event's object's fields that name an account (申请人, 审核人 …)."""
    object_type = getattr(event, "object_type", None)
    model = object_type.model_class() if object_type is not None else None
    if model is None:
        return set()
    user_model = get_user_model()
    return {
        str(field.verbose_name)
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is user_model and not field.one_to_one
    }


def _as_person(value):
    """A user name recorded in a person field (by a version before people were recorded by
    name and unit): the person it names, 张三（云台县科技局）, when the account still exists."""
    if not isinstance(value, str) or not value or "（" in value:
        return value
    user = (
        get_user_model()
        .objects.filter(**{get_user_model().USERNAME_FIELD: value})
        .select_related("person__organisation")
        .first()
    )
    return person_label(user) if user is not None else value


def _with_people(event, values: dict) -> dict:
    labels = _people_labels(event) & set(values)
    if not labels:
        return values
    return {k: (_as_person(v) if k in labels else v) for k, v in values.items()}


def change_rows(event) -> list[tuple[str, str]]:
    """(field label, what happened to it) for each field the event changed; for an event
    that recorded no earlier values (a notice), (label, value) of what it recorded."""
    before = _with_people(event, event.before or {})
    after = _with_people(event, event.after or {})
    if not before:
        # Not a change of fields but what the event said (a reminder's recipients and text,
        # 结转至): its values as they are.
        return created_rows(event)
    summary = event.summary or ""
    rows = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if old in EMPTY and new in EMPTY:
            continue
        if summary == f"增加{key}" and old in EMPTY:
            rows.append((key, "增加" + format_value(_as_list(new))))
        elif summary == f"移除{key}" and new in EMPTY:
            rows.append((key, "清空" if old == "全部" else "移除" + format_value(_as_list(old))))
        elif old in EMPTY:
            rows.append((key, "设为 " + format_value(new)))
        elif new in EMPTY:
            rows.append((key, f"清空（原为 {format_value(old)}）"))
        else:
            rows.append((key, f"{format_value(old)} → {format_value(new)}"))
    return rows


def _as_list(value):
    return value if isinstance(value, list | tuple) else [value]


def created_rows(event) -> list[tuple[str, str]]:
    """(field label, value) of what an object was created with."""
    after = _with_people(event, event.after or {})
    return [(k, format_value(v)) for k, v in after.items() if v not in EMPTY]
