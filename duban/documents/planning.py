"""What becomes of each item of a document before anything is stored: a new target, the
continuation of an existing one (another period's answer, a newer version's wording, next
year's round of a 持续推进 task), a sub-target under its item, an achievement, or nothing (a
heading). The import preview shows this plan and lets the office change it; the importer
carries out the same plan, so what the preview says is what the import does.

The office's choices live in the result beside the extraction (the contract allows added keys):
``result["options"]`` holds the document's defaults and tracking level, ``item["match"]`` an
item's chosen target ("new", or a target's id).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from duban.targets.deadlines import find_deadline_phrase, parse_deadline
from duban.targets.identity import (
    Candidate,
    Match,
    Mention,
    best_link,
    match_mentions,
)
from duban.targets.models import Target, target_label
from duban.targets.periods import period_label

from .models import Genre, SourceDocument

# How deep in a document's structure a target sits. A table row is an item.
KIND_RANK = {"part": 0, "heading": 1, "item": 2, "row": 2, "point": 3}
LEVELS = {"heading": 1, "item": 2, "point": 3}
LEVEL_CHOICES = [
    ("item", "编号条目（要点为子目标）"),
    ("point", "要点（一是、二是）各为目标"),
    ("heading", "大标题（条目为子目标）"),
]
DEFAULT_LEVEL = "item"
# Documents whose tasks are the year's work: a task that prints no deadline is due at the end
# of the year.
ANNUAL_GENRES = {Genre.PLAN, Genre.GOALS, Genre.COMMITMENTS}
ONGOING_WORDS = ("持续", "长期")


def options_of(result: dict) -> dict:
    options = dict(result.get("options") or {})
    if options.get("level") not in LEVELS:
        options["level"] = DEFAULT_LEVEL
    return options


def is_ongoing_text(text: str) -> bool:
    return any(word in (text or "") for word in ONGOING_WORDS)


@dataclass
class Deadline:
    text: str  # as printed, or "" when the date comes from the kind of document
    date: datetime.date | None


def resolve_deadline(
    item: dict, year: int, genre: str, default: str = "", period: str = ""
) -> Deadline:
    """The printed 完成时限 column; else a deadline phrase in the item's own text (年内,
    6月底前 …); else the document's default; else, for the year's work (an annual plan, goal
    table or commitment list, a table's 年度目标), the year's last day. 持续推进 stays text,
    with no date."""
    fields = item.get("fields") or {}
    printed = (fields.get("deadline") or "").strip()
    status = (fields.get("status") or "").strip()
    if not printed and is_ongoing_text(status):
        printed = status
    if printed:
        return Deadline(printed, parse_deadline(printed, year))
    phrase = find_deadline_phrase(item.get("text") or "")
    if phrase:
        return Deadline(phrase, parse_deadline(phrase, year))
    if default:
        return Deadline(default, parse_deadline(default, year))
    annual = (item.get("genre") or genre) in ANNUAL_GENRES and period in ("", str(year))
    if annual or fields.get("annual_target"):
        # The year's work (an annual plan, a goal table, a table's 年度目标 column).
        return Deadline("", datetime.date(year, 12, 31))
    return Deadline("", None)


@dataclass
class ItemPlan:
    item_id: str
    role: str  # target | sub | achievement | skip
    parent_item: str | None = None  # the tracked item this one sits under
    match: Match | None = None  # the target it continues
    proposed: Match | None = None  # what matching proposed, before the office's choice
    alternatives: list = field(default_factory=list)
    chosen: str = ""  # "", "new" or a target id, as the office chose
    link: Match | None = None  # a target of another source that says the same thing
    conflict: str = ""  # why the office must choose
    is_carry: bool = False  # continues a previous year's 持续推进 target

    @property
    def action(self) -> str:
        if self.role not in ("target", "sub"):
            return self.role
        if self.match is None:
            return "create"
        if self.is_carry:
            return "carry"
        return "continue"


@dataclass
class ImportPlan:
    result: dict
    year: int | None
    period: str
    items: dict  # item id -> ItemPlan
    previous: SourceDocument | None = None

    def describe(self, item_id: str) -> str:
        """What the import will do with an item, in the words of the preview."""
        plan = self.items.get(item_id)
        if plan is None:
            return ""
        if plan.role == "skip":
            return "不作为目标（标题）"
        if plan.role == "achievement":
            return "作为工作成效，按指标与目标比对"
        kind = "子目标" if plan.role == "sub" else "目标"
        if plan.match is None:
            text = f"新{kind}"
            if plan.link is not None:
                text += f"，与{plan.link.candidate.label}说的是同一事项，将关联两个来源"
            return text
        target = plan.match.candidate
        if plan.is_carry:
            return (
                f"结转自{target.year}年的「{target.label}」（相似度 {plan.match.percent}%），"
                f"作为{self.year}年度目标继续"
            )
        how = "编号相同" if plan.match.by_number else "内容相同"
        what = f"与已有{kind}「{target.label}」相同（{how}，相似度 {plan.match.percent}%）"
        if self.period and self.period != str(target.year):
            return f"{what}，导入为{period_label(self.period)}进展"
        return f"{what}，按本文件更新"

    def counts(self) -> dict:
        counts = {"create": 0, "continue": 0, "carry": 0}
        for plan in self.items.values():
            if plan.role == "target" and plan.action in counts:
                counts[plan.action] += 1
        return counts


def _tracked_roles(items: list[dict], level: int) -> dict:
    """Each item's role and the tracked item it sits under, for a tracking level."""
    children: dict = {}
    for item in items:
        children.setdefault(item.get("parent"), []).append(item)
    roles, tracked_parent = {}, {}

    def walk(item, tracked_above):
        item_id = item["id"]
        kind = item.get("kind") or "item"
        rank = KIND_RANK.get(kind, 2)
        below = [c for c in children.get(item_id, []) if c.get("kind") != "part"]
        if item.get("excluded"):
            roles[item_id] = "skip"
            for child in children.get(item_id, []):
                mark_excluded(child)
            return
        if kind == "part":
            roles[item_id] = "skip"
            next_above = tracked_above
        elif item.get("genre") == Genre.SUMMARY:
            roles[item_id] = "achievement"
            next_above = tracked_above
        elif tracked_above is not None:
            roles[item_id] = "sub"
            tracked_parent[item_id] = tracked_above
            next_above = item_id
        elif rank < level and below:
            roles[item_id] = "skip"  # a heading above the tracked level
            next_above = None
        else:
            roles[item_id] = "target"
            next_above = item_id
        for child in children.get(item_id, []):
            walk(child, next_above)

    def mark_excluded(item):
        roles[item["id"]] = "skip"
        for child in children.get(item["id"], []):
            mark_excluded(child)

    ids = {item["id"] for item in items}
    for item in items:
        if item.get("parent") not in ids:
            walk(item, None)
    return {item_id: (role, tracked_parent.get(item_id)) for item_id, role in roles.items()}


def item_mention(item: dict, meta: dict, classify) -> Mention:
    """An extracted item as a mention to match: its title and text, printed number, source
    category (as `classify` names it) and category."""
    fields = item.get("fields") or {}
    words = " ".join(w for w in (item.get("title"), item.get("text")) if w)
    return Mention(
        key=item["id"],
        text=words or fields.get("annual_target") or "",
        number=item.get("number") or "",
        source_category=classify(fields.get("source_category", ""), meta),
        category=fields.get("category") or "",
    )


def _candidate(values: dict) -> Candidate:
    words = " ".join(w for w in (values["title"], values["text"]) if w)
    return Candidate(
        pk=values["pk"],
        text=words,
        number=values["number"],
        source_category=values["source_category"],
        category=values["category"],
        label=target_label(values["number"], values["title"], values["text"])[:40],
        year=values["year"],
    )


_CANDIDATE_FIELDS = ("pk", "title", "text", "number", "source_category", "category", "year")


def target_candidates(targets) -> list[Candidate]:
    """A queryset of targets as candidates a mention may continue, in id order so equal scores
    are settled the same way on every database."""
    return [_candidate(v) for v in targets.order_by("pk").values(*_CANDIDATE_FIELDS)]


def _root_candidates(year: int) -> tuple[list[Candidate], set[int]]:
    """The year's root targets, and the previous year's ongoing ones not yet carried over."""
    this_year = Target.objects.filter(year=year, parent__isnull=True)
    ongoing = Target.objects.filter(
        Q(deadline_text__contains="持续") | Q(deadline_text__contains="长期"),
        year=year - 1,
        parent__isnull=True,
        carried_to__isnull=True,
    )
    current = target_candidates(this_year)
    earlier = target_candidates(ongoing)
    return current + earlier, {c.pk for c in earlier}


def plan_import(result: dict, classify) -> ImportPlan:
    """The plan for a (corrected) extraction result against the targets stored now.

    ``classify(label, meta)`` names an item's source category, as the importer does."""
    meta = result.get("document") or {}
    year = meta.get("year")
    period = meta.get("period") or ""
    options = options_of(result)
    items = [i for i in result.get("items") or [] if i.get("id") is not None]
    roles = _tracked_roles(items, LEVELS[options["level"]])
    by_id = {item["id"]: item for item in items}
    plans = {
        item_id: ItemPlan(item_id, role, parent_item)
        for item_id, (role, parent_item) in roles.items()
    }
    if not year:
        return ImportPlan(result, year, period, plans)

    candidates, earlier = _root_candidates(year)
    roots = [item_mention(by_id[i], meta, classify) for i, p in plans.items() if p.role == "target"]
    matching = match_mentions(roots, candidates)
    for mention in roots:
        plan = plans[mention.key]
        plan.proposed = matching.get(mention.key)
        plan.alternatives = matching.alternatives.get(mention.key, [])
        if plan.proposed is None:
            plan.link = best_link(mention, [c for c in candidates if c.pk not in earlier])
    _apply_choices(plans, by_id, candidates)
    for plan in plans.values():
        if plan.match is not None:
            plan.is_carry = plan.match.candidate.pk in earlier
    _match_subs(plans, by_id, meta, classify)
    return ImportPlan(result, year, period, plans)


def _apply_choices(plans: dict, by_id: dict, candidates: list[Candidate]) -> None:
    """The office's choices over the proposals; two items choosing one target are both kept
    apart and flagged until the office decides."""
    by_pk = {c.pk: c for c in candidates}
    claimed: dict[int, list[str]] = {}
    for item_id, plan in plans.items():
        if plan.role != "target":
            continue
        choice = str(by_id[item_id].get("match") or "")
        plan.chosen = choice
        if choice == "new":
            plan.match = None
        elif choice.isdigit():
            pk = int(choice)
            candidate = by_pk.get(pk) or _lookup_candidate(pk)
            if candidate is None:
                plan.match = None
                plan.conflict = "选择的目标已不存在，请重新选择"
            else:
                known = {a.candidate.pk: a for a in plan.alternatives}
                plan.match = known.get(pk) or Match(candidate, 0.0, False)
        else:
            plan.match = plan.proposed
        if plan.match is not None:
            claimed.setdefault(plan.match.candidate.pk, []).append(item_id)
    for _pk, item_ids in claimed.items():
        if len(item_ids) > 1:
            for item_id in item_ids[1:]:
                plans[
                    item_id
                ].conflict = "与上面一项对应同一个已有目标，请为本项另选目标或作为新目标"


def _lookup_candidate(pk: int) -> Candidate | None:
    values = Target.objects.filter(pk=pk).values(*_CANDIDATE_FIELDS).first()
    return _candidate(values) if values else None


def _match_subs(plans: dict, by_id: dict, meta: dict, classify) -> None:
    """Points under a continued target continue that target's sub-targets, by number or text."""
    groups: dict[str, list[str]] = {}
    for item_id, plan in plans.items():
        if plan.role == "sub":
            groups.setdefault(plan.parent_item, []).append(item_id)
    for parent_item, item_ids in groups.items():
        parent_plan = plans.get(parent_item)
        if parent_plan is None or parent_plan.match is None or parent_plan.is_carry:
            continue
        children = Target.objects.filter(parent_id=parent_plan.match.candidate.pk)
        candidates = target_candidates(children)
        mentions = [item_mention(by_id[i], meta, classify) for i in item_ids]
        for mention in mentions:
            # Points carry no source label of their own: they share their target's.
            mention.source_category = parent_plan.match.candidate.source_category
        matching = match_mentions(mentions, candidates)
        for mention in mentions:
            plans[mention.key].match = plans[mention.key].proposed = matching.get(mention.key)
