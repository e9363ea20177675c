"""Stores an extraction result (the JSON of docs/extraction-contract.md) in the database.

One document is one transaction: it is stored whole or not at all. The same file twice
changes nothing (its SHA-256 is known). What becomes of each item is decided by the import
plan (planning.py), the same the preview shows: a new target; the continuation of one already
tracked (another period's answer from a later table, next year's round of a 持续推进 task);
or, for a newer version of a document already imported (same title, genre and year, different
bytes), an update of the targets it matches, so the audit trail records what changed.

The answers a completion table prints are the office's record of that period: stored as
accepted, with the document as their source, unless the office chose to review them. A task
printed 办结 is closed.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from duban.audit.models import AuditEvent
from duban.audit.recorder import buffered, record, record_creation
from duban.organisations.models import Organisation, Person, normalise_name
from duban.targets.models import (
    Indicator,
    Milestone,
    ProgressReport,
    SourceCategory,
    Target,
)
from duban.targets.periods import Period

from .models import Genre, SourceDocument
from .planning import ImportPlan, options_of, plan_import, resolve_deadline

_SOURCE_KEYWORDS = [
    ("公开承诺", SourceCategory.COMMITMENT),
    ("政府工作报告", SourceCategory.WORK_REPORT),
    ("批示", SourceCategory.INSTRUCTION),
    ("会议", SourceCategory.MEETING),
    ("业务目标", SourceCategory.BUSINESS_GOAL),
    ("工作要点", SourceCategory.WORK_PLAN),
]
_GENRE_SOURCES = {
    Genre.PLAN: SourceCategory.WORK_PLAN,
    Genre.GOALS: SourceCategory.BUSINESS_GOAL,
    Genre.COMMITMENTS: SourceCategory.COMMITMENT,
}
_COMPLETE = re.compile(r"^(已?完成|是|已办结|办结)$")
_INCOMPLETE = re.compile(r"^(未完成|否|正在推进|推进中|进行中)$")
_CLOSED = re.compile(r"^(已?办结|已?销号)$")


class ImportError_(Exception):
    """A result that cannot be stored; its message is for users, in Chinese."""


@dataclass
class ImportResult:
    document: SourceDocument
    created: list = field(default_factory=list)  # new root targets
    updated: list = field(default_factory=list)  # matched by a newer version of their document
    continued: list = field(default_factory=list)  # matched by another document
    carried: list = field(default_factory=list)  # new year's round of a 持续推进 target
    untouched: list = field(default_factory=list)  # same source and year, not in this document
    sub_targets: int = 0
    closed: int = 0
    already_imported: bool = False

    @property
    def summary(self) -> str:
        if self.already_imported:
            return f"《{self.document}》已导入过，未做任何改动"
        parts = [f"新建目标 {len(self.created)} 项"]
        if self.continued:
            parts.append(f"延续已有目标 {len(self.continued)} 项")
        if self.updated:
            parts.append(f"按新版本更新 {len(self.updated)} 项")
        if self.carried:
            parts.append(f"结转上年度 {len(self.carried)} 项")
        if self.sub_targets:
            parts.append(f"子目标 {self.sub_targets} 项")
        if self.closed:
            parts.append(f"按原文办结 {self.closed} 项")
        parts.append(f"未涉及 {len(self.untouched)} 项")
        return f"《{self.document}》：{'，'.join(parts)}"


def classify_source(label: str, genre: str, title: str, default: str = "") -> str:
    for text in (label or "", title or ""):
        for keyword, category in _SOURCE_KEYWORDS:
            if keyword in text:
                return category
    if default in SourceCategory.values:
        return default
    return _GENRE_SOURCES.get(genre, SourceCategory.OTHER)


def classifier(result: dict):
    """The source category of an item of this result, as `classify_source` names it with the
    document's default: for the import plan and the importer alike."""
    default = options_of(result).get("source_category") or ""

    def classify(label: str, meta: dict) -> str:
        return classify_source(label, meta.get("genre"), meta.get("title"), default)

    return classify


def is_closed_status(status: str) -> bool:
    return bool(_CLOSED.match(re.sub(r"\s+", "", status or "")))


def completion(status: str) -> bool | None:
    status = re.sub(r"\s+", "", status or "")
    if _COMPLETE.match(status):
        return True
    if _INCOMPLETE.match(status):
        return False
    return None


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _previous_version(result: dict) -> SourceDocument | None:
    meta = result.get("document") or {}
    title = meta.get("title")
    if not title:
        return None
    return (
        SourceDocument.objects.filter(
            title=title, genre=meta.get("genre") or Genre.UNKNOWN, year=meta.get("year")
        )
        .order_by("-imported_at")
        .first()
    )


@transaction.atomic
def import_extraction(
    result: dict,
    *,
    file_bytes: bytes | None = None,
    user=None,
    level: int = Organisation.Level.CITY,
) -> ImportResult:
    source, meta = result["source"], result.get("document") or {}
    existing = SourceDocument.objects.filter(sha256=source["sha256"]).first()
    if existing is not None:
        return ImportResult(document=existing, already_imported=True)

    year = meta.get("year")
    if not year:
        raise ImportError_(f"无法确定《{source.get('name')}》的年度，请在导入页面补充年度")
    period = meta.get("period") or ""
    if period:
        try:
            Period.parse(period)
        except ValueError as exc:
            raise ImportError_(str(exc)) from exc
    plan = plan_import(result, classifier(result))
    problems = [p.conflict for p in plan.items.values() if p.conflict]
    if problems:
        raise ImportError_(f"有 {len(problems)} 项的对应目标需要选择：{problems[0]}")
    with buffered():
        return _Importer(result, plan, level, user).run(file_bytes)


class _Importer:
    """One document's import, following its plan. Remembers the units and leaders it has
    looked up, and stores a document's indicators and audit events in batches: most documents
    repeat a few names and hold many numbers."""

    def __init__(self, result: dict, plan: ImportPlan, level: int, user):
        self.result = result
        self.plan = plan
        self.meta = result.get("document") or {}
        self.options = options_of(result)
        self.classify = classifier(result)
        self.year = self.meta["year"]
        self.period = self.meta.get("period") or ""
        self.level = level
        self.user = user
        self.units: dict[str, Organisation] = {}
        self.leaders: dict[str, Person | None] = {}
        self.indicators: list[Indicator] = []
        self.fresh_co_units: list[tuple[Target, list[Organisation]]] = []
        self.fresh_milestones: list[Milestone] = []
        self.fresh_reports: list[ProgressReport] = []
        self.default_unit = self._option_unit()
        self.default_leader = self._option_leader()

    def run(self, file_bytes) -> ImportResult:
        source, meta = self.result["source"], self.meta
        previous = _previous_version(self.result)
        document = SourceDocument(
            name=source.get("name", "")[:255],
            format=source.get("format", "")[:10],
            sha256=source["sha256"],
            title=(meta.get("title") or "")[:300],
            genre=meta.get("genre") or Genre.UNKNOWN,
            issuer=(meta.get("issuer") or "")[:200],
            year=self.year,
            period=self.period,
            text=self.result["text"],
            previous_version=previous,
            imported_by=self.user,
        )
        if meta.get("issuer"):
            document.issuer_org = Organisation.find_by_name(meta["issuer"])
        if file_bytes is not None:
            document.file.save(document.name or "document", ContentFile(file_bytes), save=False)
        document.save()
        self.document, self.previous = document, previous
        self.replaced = [d for d in (document, previous) if d is not None]

        outcome = ImportResult(document=document)
        targets_by_item: dict[str, Target] = {}
        matched = {p.match.candidate.pk for p in self.plan.items.values() if p.match}
        existing = Target.objects.in_bulk(matched)
        categories = set()
        for item in self.result.get("items", []):
            plan = self.plan.items.get(item.get("id"))
            if plan is None or plan.role == "skip":
                continue
            if plan.role == "achievement":
                # A summary reports what was done, not what is to be done: its numbers are
                # kept as achievements, matched to targets by subject and year.
                self._collect_indicators(None, item, fresh=True)
                continue
            parent = targets_by_item.get(plan.parent_item) if plan.role == "sub" else None
            values = self._target_values(item, parent)
            categories.add(values["source_category"])
            target = existing.get(plan.match.candidate.pk) if plan.match else None
            if target is None or plan.is_carry:
                target = self._create(values, carried_from=target)
                fresh = True
                if plan.role == "sub":
                    outcome.sub_targets += 1
                elif plan.is_carry:
                    outcome.carried.append(target)
                else:
                    outcome.created.append(target)
            elif previous is not None and target.source_document_id == previous.pk:
                self._update(target, values)
                fresh = False
                if plan.role == "target":
                    outcome.updated.append(target)
            else:
                self._continue(target, values)
                fresh = False
                if plan.role == "target":
                    outcome.continued.append(target)
            targets_by_item[item["id"]] = target
            self._store_co_units(target, item, fresh)
            self._store_period_data(target, item, fresh)
            self._collect_indicators(target, item, fresh=fresh)
            if plan.link is not None and plan.role == "target":
                target.linked.add(plan.link.candidate.pk)
            if self._close_as_printed(target, item):
                outcome.closed += 1
        self._store_fresh_co_units()
        self._store_fresh_period_data()
        self._store_indicators()
        touched = {t.pk for t in targets_by_item.values()}
        outcome.untouched = list(
            Target.objects.filter(
                year=self.year, parent__isnull=True, source_category__in=categories
            )
            .exclude(pk__in=touched)
            .order_by("pk")
        )
        return outcome

    # --- targets ---------------------------------------------------------------------

    def _create(self, values: dict, carried_from: Target | None) -> Target:
        target = Target(**values)
        if carried_from is not None:
            target.carried_from = carried_from
            target._audit_transition = f"由{carried_from.year}年度结转"
        target.save()
        if target.source_category == SourceCategory.INSTRUCTION and target.leader_id:
            self._record_instruction(target)
        return target

    def _record_instruction(self, target: Target):
        """An instruction document (批示件) read in: each target it gives rise to keeps the
        leader's instruction, as one registered in the form would (领导批示)."""
        from duban.supervision.models import Instruction

        Instruction.objects.create(
            target=target,
            leader=target.leader,
            text=target.text,
            origin=Instruction.Origin.DOCUMENT,
            created_by=self.user if getattr(self.user, "pk", None) else None,
        )

    def _update(self, target: Target, values: dict):
        """A newer version of the target's own document: its wording and fields replace the
        old ones, and the numbers the previous version gave are replaced by this version's."""
        for name, value in values.items():
            setattr(target, name, value)
        target.save()
        for old in target.indicators.filter(source_document__in=self.replaced):
            old.delete()

    def _continue(self, target: Target, values: dict):
        """Another document on a tracked target (a later period's table): the target keeps its
        own wording and source; what it lacks, the document fills in."""
        changed = False
        for name in ("lead_unit", "leader", "category", "benchmark", "deadline_text"):
            if values.get(name) and not getattr(target, name):
                setattr(target, name, values[name])
                changed = True
        if target.deadline is None and values.get("deadline") is not None:
            target.deadline = values["deadline"]
            changed = True
        if changed:
            target.save()

    def _close_as_printed(self, target: Target, item: dict) -> bool:
        """办结 printed by the document closes the task: it shows gray, never red."""
        status = (item.get("fields") or {}).get("status", "")
        if not is_closed_status(status) or target.state == Target.State.CLOSED:
            return False
        target.state = Target.State.CLOSED
        target.closed_at = timezone.now()
        target._audit_transition = f"按《{self.document}》办结"
        target.save()
        return True

    def _target_values(self, item: dict, parent: Target | None) -> dict:
        fields = item.get("fields") or {}
        year = item.get("year") or self.year
        default_deadline = self.options.get("deadline", "")
        deadline = resolve_deadline(
            item, year, self.meta.get("genre"), default_deadline, self.period
        )
        values = {
            "year": year,
            "number": (item.get("number") or "")[:30],
            "title": (item.get("title") or "")[:300],
            "text": item.get("text") or fields.get("annual_target") or "",
            "source_category": self.classify(fields.get("source_category", ""), self.meta),
            "source_label": (fields.get("source_category") or "")[:100],
            "category": (fields.get("category") or "")[:50],
            "parent": parent,
            "deadline_text": deadline.text[:100],
            "deadline": deadline.date,
            "benchmark": fields.get("benchmark") or "",
            "source_document": self.document,
            "span_start": item["span"][0],
            "span_end": item["span"][1],
        }
        if parent is not None:
            # A point is tracked with its item: same source, and the item's deadline unless
            # the point prints its own.
            values["source_category"] = parent.source_category
            values["source_label"] = parent.source_label
            values["category"] = values["category"] or parent.category
            own = resolve_deadline(item, values["year"], "", "")
            if not own.text and own.date is None:
                values["deadline_text"], values["deadline"] = parent.deadline_text, parent.deadline
        if values["source_category"] == SourceCategory.COMMITMENT:
            values["is_public"] = True
        lead = self._unit(fields["lead_unit"]) if fields.get("lead_unit") else None
        values["lead_unit"] = lead or (parent.lead_unit if parent else None) or self.default_unit
        leaders = fields.get("leaders") or []
        leader = self._leader(leaders[0]) if leaders else None
        values["leader"] = leader or (parent.leader if parent else None) or self.default_leader
        return values

    def _option_unit(self) -> Organisation | None:
        value = self.options.get("lead_unit")
        if not value:
            return None
        if not str(value).isdigit():
            return self._unit(str(value))  # a name, taken as a document's own would be
        unit = Organisation.objects.filter(pk=int(value), is_active=True).first()
        if unit is None:
            raise ImportError_(f"找不到牵头单位（编号 {value}），请重新选择")
        return unit

    def _option_leader(self) -> Person | None:
        value = self.options.get("leader")
        if not value:
            return None
        if str(value).isdigit():
            person = Person.objects.filter(pk=int(value), role=Person.Role.LEADER).first()
            if person is None:
                raise ImportError_(f"找不到分管领导（编号 {value}），请重新选择")
            return person
        return self._leader(str(value))

    def _unit(self, name: str) -> Organisation | None:
        name = normalise_name(name)
        if not name:
            return None
        if not self.units:
            # Every spelling of every unit, in one query: a document names a few units
            # many times over.
            for org in Organisation.objects.filter(is_active=True):
                for spelling in org.names():
                    self.units.setdefault(spelling, org)
        if name not in self.units:
            self.units[name] = Organisation.objects.create(name=name, level=self.level)
        return self.units[name]

    def _leader(self, name: str) -> Person | None:
        name = normalise_name(name)
        if not name:
            return None
        if name not in self.leaders:
            person = Person.objects.filter(name=name, role=Person.Role.LEADER).first()
            self.leaders[name] = person or Person.objects.create(name=name, role=Person.Role.LEADER)
        return self.leaders[name]

    def _store_co_units(self, target: Target, item: dict, fresh: bool):
        fields = item.get("fields") or {}
        co_units = [u for u in map(self._unit, fields.get("co_units") or []) if u]
        co_units = list({u.pk: u for u in co_units if u.pk != target.lead_unit_id}.values())
        if co_units and fresh:
            self.fresh_co_units.append((target, co_units))
        else:
            # One at a time: adding several at once records them in no particular order, and
            # the ledger prints co-units in the order they were recorded.
            for unit in co_units:
                target.co_units.add(unit)

    # --- a period's milestone and answer ---------------------------------------------

    def _store_period_data(self, target: Target, item: dict, fresh: bool):
        if not self.period:
            return
        fields = item.get("fields") or {}
        span = item["span"]
        grounding = {
            "source_document": self.document,
            "span_start": span[0],
            "span_end": span[1],
        }
        milestone = None
        if fields.get("period_target"):
            values = {"text": fields["period_target"], **grounding}
            milestone = None if fresh else target.milestones.filter(period=self.period).first()
            if milestone is None:
                milestone = Milestone(target=target, period=self.period, **values)
                milestone.fill_due_date()
                self.fresh_milestones.append(milestone)
            else:
                for name, value in values.items():
                    setattr(milestone, name, value)
                milestone.save()
        if not (fields.get("progress") or fields.get("status")):
            return
        now = timezone.now()
        accepted = self.options.get("answers") != "submitted"
        values = {
            "milestone": milestone,
            "unit": target.lead_unit,
            "progress": fields.get("progress", ""),
            "status_text": fields.get("status", "")[:50],
            "is_complete": completion(fields.get("status", "")),
            "reason": fields.get("reason", ""),
            "next_steps": fields.get("next_steps", ""),
            "review_state": (
                ProgressReport.Review.ACCEPTED if accepted else ProgressReport.Review.SUBMITTED
            ),
            "submitted_at": now,
            "reviewed_at": now if accepted else None,
            "reviewed_by": self.user if accepted else None,
            "review_comment": f"按《{self.document}》导入" if accepted else "",
            **grounding,
        }
        # The same period imported again (a corrected table) replaces the answer an earlier
        # document gave for it; a unit's own report for the period is left as it is.
        report = None
        if not fresh:
            report = ProgressReport.objects.filter(
                target=target, period=self.period, source_document__isnull=False
            ).first()
        if report is None:
            report = ProgressReport(target=target, period=self.period)
        for name, value in values.items():
            setattr(report, name, value)
        if report.pk is None:
            self.fresh_reports.append(report)
        else:
            report._audit_transition = f"按《{self.document}》更正{report.period_label}进展"
            report.save()

    def _store_fresh_period_data(self):
        """New milestones and reports in one INSERT each; bulk_create sends no signals, so
        their creation is recorded here. Milestones first: reports point at them."""
        for model, objects in (
            (Milestone, self.fresh_milestones),
            (ProgressReport, self.fresh_reports),
        ):
            for created in model.objects.bulk_create(objects, batch_size=500):
                record_creation(created)

    def _store_fresh_co_units(self):
        """The co-units of the targets this import created, in one INSERT (adding them one
        target at a time costs five queries each), with their audit events and search text."""
        if not self.fresh_co_units:
            return
        through = Target.co_units.through
        through.objects.bulk_create(
            [
                through(target_id=target.pk, organisation_id=unit.pk)
                for target, units in self.fresh_co_units
                for unit in units
            ]
        )
        label = str(Target._meta.get_field("co_units").verbose_name)
        for target, units in self.fresh_co_units:
            names = sorted(str(u) for u in units)
            record(
                target,
                AuditEvent.Action.UPDATE,
                before={label: None},
                after={label: names},
                summary=f"增加{label}",
            )
            target.search_text = target.build_search_text([u.name for u in units])
        Target.objects.bulk_update([t for t, _ in self.fresh_co_units], ["search_text"])

    # --- numbers ---------------------------------------------------------------------

    def _collect_indicators(self, target: Target | None, item: dict, *, fresh: bool):
        known = set()
        if not fresh and target is not None:
            # A continuation repeats the target's own figures (the annual target printed
            # again in each quarter's table): those are not new numbers.
            known = {
                (i.kind, i.subject, i.value, i.value_max, i.unit, i.year, i.comparator)
                for i in target.indicators.exclude(source_document__in=self.replaced)
            }
        for found in item.get("indicators") or []:
            value = _decimal(found.get("value"))
            if value is None:
                continue
            indicator = Indicator(
                target=target,
                subject=(found.get("subject") or "")[:200],
                kind=found.get("kind") or Indicator.Kind.TARGET,
                measure=found.get("measure") or Indicator.Measure.OTHER,
                comparator=found.get("comparator") or Indicator.Comparator.EQ,
                value=value,
                value_max=_decimal(found.get("value_max")),
                unit=(found.get("unit") or "")[:20],
                year=found.get("year"),
                source_document=self.document,
                span_start=found["span"][0],
                span_end=found["span"][1],
            )
            key = (
                indicator.kind,
                indicator.subject,
                indicator.value,
                indicator.value_max,
                indicator.unit,
                indicator.year,
                indicator.comparator,
            )
            if indicator.kind == Indicator.Kind.TARGET and key in known:
                continue
            self.indicators.append(indicator)

    def _store_indicators(self):
        # One INSERT for the document's numbers; bulk_create sends no signals, so each
        # creation is recorded here.
        for indicator in Indicator.objects.bulk_create(self.indicators, batch_size=500):
            record_creation(indicator)
