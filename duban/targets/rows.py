"""Targets as table rows: every cell worked out in Python, once.

The list, the home pages and a target's sub-targets show the same kind of ledger row. Rows are
read as plain values (no model instances: building three objects per row cost more than the
query) and each cell is a finished string, because the template engine resolving a dozen
lookups, URL reversals and filters per cell was most of a list page's time.
"""

from django.urls import reverse

from duban.web.templatetags.duban import BADGES

from .models import SourceCategory, Target, format_deadline, target_label

TEXT_CHARS = 90
SUB_TEXT_CHARS = 60

_FIELDS = (
    "pk",
    "light",
    "year",
    "number",
    "title",
    "text",
    "source_category",
    "category",
    "deadline",
    "deadline_text",
    "state",
    "lead_unit__short_name",
    "lead_unit__name",
    "leader__name",
    "extension_count",
)
_SOURCES = dict(SourceCategory.choices)
_STATES = dict(Target.State.choices)


def _truncated(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def co_unit_names(target_ids) -> dict[int, str]:
    """The co-units of each target, joined with 、 in the units' own order."""
    through = Target.co_units.through
    names: dict[int, list[str]] = {}
    rows = (
        through.objects.filter(target_id__in=target_ids)
        .order_by("organisation__level", "organisation__sort_order", "organisation__name")
        .values_list("target_id", "organisation__short_name", "organisation__name")
    )
    for target_id, short_name, name in rows:
        names.setdefault(target_id, []).append(short_name or name)
    return {target_id: "、".join(units) for target_id, units in names.items()}


def target_rows(targets, *, co_units: bool = False) -> list[dict]:
    """One dict per target of `targets`, a queryset annotated `with_lights()` (and sliced to
    what the page shows)."""
    prefix = reverse("targets:detail", args=[0])[: -len("0/")]
    values = list(targets.values(*_FIELDS))
    co = co_unit_names([v["pk"] for v in values]) if co_units and values else {}
    return [
        {
            "pk": v["pk"],
            "light": v["light"],
            "badge": BADGES.get(v["light"], ""),
            "url": f"{prefix}{v['pk']}/",
            "name": target_label(v["number"], v["title"], v["text"]),
            "year": v["year"],
            "number": v["number"],
            "title": v["title"],
            "text": _truncated(v["text"], TEXT_CHARS),
            "source": _SOURCES.get(v["source_category"], ""),
            "category": v["category"],
            "lead_unit": v["lead_unit__short_name"] or v["lead_unit__name"] or "",
            "co_units": co.get(v["pk"], ""),
            "leader": v["leader__name"] or "",
            "deadline": format_deadline(v["deadline"], v["deadline_text"]),
            "state": _STATES.get(v["state"], v["state"]),
            "extensions": v["extension_count"],
        }
        for v in values
    ]


_SUB_FIELDS = ("pk", "parent_id", "light", "number", "title", "text", "state")


def sub_rows(children, *, matching=()) -> dict[int, list[dict]]:
    """The sub-targets (一是、二是…) under each parent row, keyed by the parent's id: `children`
    is a queryset annotated `with_lights()` and narrowed to the page's parents, read in one
    query. Those whose id is in `matching` met the list's filter and are marked so."""
    prefix = reverse("targets:detail", args=[0])[: -len("0/")]
    matching = set(matching)
    by_parent: dict[int, list[dict]] = {}
    for v in children.order_by("parent_id", "pk").values(*_SUB_FIELDS):
        by_parent.setdefault(v["parent_id"], []).append(
            {
                "pk": v["pk"],
                "badge": BADGES.get(v["light"], ""),
                "url": f"{prefix}{v['pk']}/",
                "number": v["number"],
                "text": _truncated(v["title"] or v["text"], SUB_TEXT_CHARS),
                "state": _STATES.get(v["state"], v["state"]),
                "match": v["pk"] in matching,
            }
        )
    return by_parent
