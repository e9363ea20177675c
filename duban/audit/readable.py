"""The trail as a person reads it (the target page's timeline, the admin's 留痕记录):

- times in local time (settings.TIME_ZONE, Asia/Shanghai), also the times kept inside the
  recorded values (written there in UTC, ISO 8601): 2026-06-15 10:30;
- people as their name and unit, 张三（云台县科技局）, not their account's user name: the
  actor from their person record, and the people recorded in a field (审核人, 报送人 …) from
  the moment this was written (older values keep what they were recorded as);
- lists (co-units and other many-to-many values) as 「云台县政府、市发展改革委」;
- no arrow without a value on both sides: a change from nothing reads 设为 X, to nothing
  清空（原为 X）, a list's additions and removals 增加「…」 and 移除「…」, and 是/否 for yes/no.

The trail itself is not changed: it keeps the values as recorded; only their reading is.
"""

import datetime
import re

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


def change_rows(event) -> list[tuple[str, str]]:
    """(field label, what happened to it) for each field the event changed; for an event
    that recorded no earlier values (a notice), (label, value) of what it recorded."""
    before = event.before or {}
    after = event.after or {}
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
    return [(k, format_value(v)) for k, v in (event.after or {}).items() if v not in EMPTY]
