"""What the import preview shows: the items as rows, and the source text with every item's and
every number's characters wrapped in <mark>.

The source text is untrusted: it is split at span boundaries and every piece is escaped; only
the <mark> tags built here are markup. Spans may nest (a number inside a point inside an item)
and, should an extractor ever report them so, cross: a mark that would straddle another's end
is closed and reopened, so the HTML stays well formed and every character keeps all its marks.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Genre

KIND_LABELS = {
    "part": "分篇",
    "heading": "标题",
    "item": "条目",
    "point": "要点",
    "row": "表格行",
}
FIELD_LABELS = {
    "source_category": "任务来源",
    "category": "目标类别",
    "annual_target": "年度目标",
    "period_target": "阶段目标",
    "status": "是否完成",
    "progress": "具体工作进展",
    "reason": "未完成原因",
    "next_steps": "下步工作打算",
    "deadline": "完成时限",
    "leaders": "分管领导",
    "lead_unit": "牵头单位",
    "co_units": "协办单位",
    "benchmark": "标杆",
}
LONG_FIELDS = {"progress", "reason", "next_steps", "benchmark", "annual_target", "period_target"}
_COMPARATORS = {">=": "≥", ">": ">", "=": "=", "~": "约", "<=": "≤", "<": "<"}
_MEASURES = {"increase": "新增", "share": "占比", "growth": "增长", "rank": "位次"}
_INDICATOR_KINDS = {"target": "目标", "actual": "实际"}


def number_text(value) -> str:
    if value is None:
        return ""
    try:
        return format(Decimal(str(value)).normalize(), "f")
    except (InvalidOperation, ValueError):
        return str(value)


def indicator_label(found: dict) -> str:
    """A number as a person reads it: 高新技术企业 ≥ 15 家 (2022, 目标)."""
    subject = found.get("subject") or "（未识别指标）"
    measure = _MEASURES.get(found.get("measure") or "")
    unit = found.get("unit") or ""
    if found.get("comparator") == "range":
        amount = f"{number_text(found.get('value'))}–{number_text(found.get('value_max'))}"
    else:
        symbol = _COMPARATORS.get(found.get("comparator") or "=", "=")
        amount = f"{symbol} {number_text(found.get('value'))}"
    words = [subject, measure, amount, unit] if measure else [subject, amount, unit]
    notes = [str(found["year"])] if found.get("year") else []
    notes.append(_INDICATOR_KINDS.get(found.get("kind") or "", found.get("kind") or "目标"))
    if found.get("hedge"):
        notes.append(str(found["hedge"]))
    return f"{' '.join(w for w in words if w)} ({', '.join(notes)})"


@dataclass
class _Mark:
    start: int
    end: int
    rank: tuple
    first_tag: str
    next_tag: str


def _tag(classes: str, item_id: str, ind_id: str | None, dom_id: str | None) -> str:
    attrs = [f'class="{escape(classes)}"', f'data-item="{escape(item_id)}"']
    if ind_id is not None:
        attrs.append(f'data-ind="{escape(ind_id)}"')
    if dom_id is not None:
        attrs.append(f'id="{escape(dom_id)}"')
    return f"<mark {' '.join(attrs)}>"


def mark_up(text: str, marks: list[_Mark]) -> SafeString:
    """The text, escaped, with the marks inserted; outer marks open first."""
    size = len(text)
    marks = sorted(
        (m for m in marks if 0 <= m.start < m.end <= size), key=lambda m: (m.start, -m.end, m.rank)
    )
    cuts = sorted({0, size, *(m.start for m in marks), *(m.end for m in marks)})
    out: list[str] = []
    stack: list[_Mark] = []
    upcoming = 0
    for index, pos in enumerate(cuts):
        ending = [depth for depth, m in enumerate(stack) if m.end == pos]
        if ending:
            lowest = ending[0]
            reopen = [m for m in stack[lowest:] if m.end != pos]
            out.append("</mark>" * (len(stack) - lowest))
            del stack[lowest:]
            for m in reopen:  # a mark crossing the one that ended goes on in a new fragment
                out.append(m.next_tag)
                stack.append(m)
        while upcoming < len(marks) and marks[upcoming].start == pos:
            out.append(marks[upcoming].first_tag)
            stack.append(marks[upcoming])
            upcoming += 1
        if index + 1 < len(cuts):
            out.append(escape(text[pos : cuts[index + 1]]))
    out.append("</mark>" * len(stack))
    # Safe: every piece of text above is escaped, and the tags are built from escaped values.
    return mark_safe("".join(out))


@dataclass
class ItemRow:
    id: str
    parent: str | None
    depth: int
    kind: str
    genre: str
    number: str
    title: str
    text: str
    is_part: bool
    is_achievement: bool
    excluded: bool  # left out, by itself or with a parent
    own_excluded: bool
    excluded_by_parent: bool
    fields: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    form: object = None
    role: str = ""  # target | sub | achievement | skip, as the import plan has it
    plan_text: str = ""  # what the import will do with the item
    match_choices: list = field(default_factory=list)  # (value, label) for the match select
    match_value: str = ""
    conflict: str = ""
    is_continuation: bool = False  # the plan continues an existing target with this item

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, "")

    @property
    def genre_label(self) -> str:
        return Genre(self.genre).label if self.genre in Genre.values else ""

    @property
    def editable(self) -> bool:
        return self.form is not None

    @property
    def indent(self) -> int:
        return min(self.depth, 4)


@dataclass
class Preview:
    rows: list
    marked_text: SafeString
    target_count: int
    achievement_count: int
    number_count: int
    excluded_count: int
    plan_counts: dict = field(default_factory=dict)
    sub_count: int = 0
    skipped_count: int = 0
    conflict_count: int = 0


def _match_choices(plan) -> list[tuple[str, str]]:
    """The choices of the item's 对应目标 select: as proposed, new, or one of the closest."""
    proposed = plan.proposed
    auto = (
        f"自动：与「{proposed.candidate.label}」相同（相似度 {proposed.percent}%）"
        if proposed is not None
        else "自动：作为新目标"
    )
    choices = [("", auto), ("new", "作为新目标")]
    seen = set()
    for match in [m for m in [plan.match, proposed] if m is not None] + plan.alternatives:
        pk = match.candidate.pk
        if pk in seen:
            continue
        seen.add(pk)
        year = f"{match.candidate.year}年 " if match.candidate.year else ""
        choices.append((str(pk), f"{year}{match.candidate.label}（相似度 {match.percent}%）"))
    return choices


def _field_rows(item: dict) -> list[tuple[str, str, bool]]:
    fields = item.get("fields") or {}
    rows = []
    for key, value in fields.items():
        if key == "annual_target" and value == item.get("text"):
            continue
        if isinstance(value, list):
            value = "、".join(str(v) for v in value)
        if value in (None, ""):
            continue
        rows.append((FIELD_LABELS.get(key, key), str(value), key in LONG_FIELDS))
    return rows


def _item_classes(item: dict, achievement: bool, excluded: bool) -> str:
    classes = ["src", "src-item", f"kind-{item.get('kind') or 'item'}"]
    if achievement:
        classes.append("achieved")
    if excluded:
        classes.append("excluded")
    return " ".join(classes)


def build_preview(result: dict, forms: dict | None = None, plan=None) -> Preview:
    """Rows for the item list and the marked-up source text, from a (corrected) result, with
    what the import plan will do with each item when one is given."""
    forms = forms or {}
    depth: dict[str, int] = {}
    excluded: set[str] = set()
    rows, marks = [], []
    counts = {"target": 0, "achievement": 0, "number": 0, "excluded": 0}
    for order, item in enumerate(result.get("items") or []):
        item_id = str(item.get("id"))
        parent = item.get("parent")
        kind = item.get("kind") or "item"
        is_part = kind == "part"
        achievement = item.get("genre") == Genre.SUMMARY and not is_part
        by_parent = parent in excluded
        is_excluded = bool(item.get("excluded")) or by_parent
        if is_excluded:
            excluded.add(item_id)
        depth[item_id] = depth[parent] + 1 if parent in depth else 0

        indicators = []
        for n, found in enumerate(item.get("indicators") or []):
            ind_id = f"{item_id}-{n}"
            indicators.append((ind_id, indicator_label(found)))
            span = found.get("span") or (0, 0)
            classes = "src src-ind" + (" excluded" if is_excluded else "")
            marks.append(
                _Mark(
                    span[0],
                    span[1],
                    (1, order, n),
                    _tag(classes, item_id, ind_id, f"src-{ind_id}"),
                    _tag(classes, item_id, ind_id, None),
                )
            )
        span = item.get("span") or (0, 0)
        classes = _item_classes(item, achievement, is_excluded)
        marks.append(
            _Mark(
                span[0],
                span[1],
                (0, order),
                _tag(classes, item_id, None, f"src-{item_id}"),
                _tag(classes, item_id, None, None),
            )
        )
        if is_excluded:
            counts["excluded"] += 1
        elif achievement:
            counts["achievement"] += 1
        elif not is_part:
            counts["target"] += 1
        if not is_excluded:
            counts["number"] += len(indicators)

        rows.append(
            ItemRow(
                id=item_id,
                parent=parent,
                depth=depth[item_id],
                kind=kind,
                genre=item.get("genre") or "",
                number=item.get("number") or "",
                title=item.get("title") or "",
                text=item.get("text") or "",
                is_part=is_part,
                is_achievement=achievement,
                excluded=is_excluded,
                own_excluded=bool(item.get("excluded")),
                excluded_by_parent=by_parent,
                fields=_field_rows(item),
                indicators=indicators,
                form=forms.get(item_id),
            )
        )
        if plan is not None and item_id in plan.items:
            row, item_plan = rows[-1], plan.items[item_id]
            row.role = item_plan.role
            row.plan_text = plan.describe(item_id)
            row.is_continuation = item_plan.match is not None
            row.conflict = item_plan.conflict
            row.match_value = str(item.get("match") or "")
            if item_plan.role == "target" and not is_excluded:
                row.match_choices = _match_choices(item_plan)
    extra = {}
    if plan is not None:
        roles = [r.role for r in rows if not r.excluded]
        extra = {
            "plan_counts": plan.counts(),
            "sub_count": roles.count("sub"),
            "skipped_count": sum(1 for r in rows if r.role == "skip" and not r.excluded),
            "conflict_count": sum(1 for r in rows if r.conflict),
        }
        counts["target"] = roles.count("target")
    return Preview(
        rows=rows,
        marked_text=mark_up(result.get("text") or "", marks),
        target_count=counts["target"],
        achievement_count=counts["achievement"],
        number_count=counts["number"],
        excluded_count=counts["excluded"],
        **extra,
    )
