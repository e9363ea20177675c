"""Targets as table rows: every cell worked out in Python, once.

The list, the home pages and a target's sub-targets show the same kind of ledger row. Letting
the template engine resolve a dozen model lookups, URL reversals and filters per cell was most
of a list page's time; a row of plain strings renders several times faster.
"""

from django.urls import reverse

from duban.web.templatetags.duban import light_badge

from .lights import Light
from .models import SourceCategory, Target

TEXT_CHARS = 90

_BADGES = {light.value: light_badge(light.value) for light in Light}
_SOURCES = dict(SourceCategory.choices)
_STATES = dict(Target.State.choices)


def _truncated(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def target_rows(targets, *, co_units: bool = False) -> list[dict]:
    """One dict per target, for targets annotated `with_lights()` and fetched with their lead
    unit and leader (and co-units, prefetched, when `co_units`)."""
    prefix = reverse("targets:detail", args=[0])[: -len("0/")]
    rows = []
    for t in targets:
        light = t.light if isinstance(t.light, str) else t.light()
        rows.append(
            {
                "pk": t.pk,
                "light": light,
                "badge": _BADGES.get(light, ""),
                "url": f"{prefix}{t.pk}/",
                "name": str(t),
                "year": t.year,
                "number": t.number,
                "title": t.title,
                "text": _truncated(t.text, TEXT_CHARS),
                "source": _SOURCES.get(t.source_category, ""),
                "category": t.category,
                "lead_unit": str(t.lead_unit) if t.lead_unit_id else "",
                "co_units": "、".join(str(u) for u in t.co_units.all()) if co_units else "",
                "leader": t.leader.name if t.leader_id else "",
                "deadline": t.deadline_label,
                "state": _STATES.get(t.state, t.state),
                "target": t,
            }
        )
    return rows
