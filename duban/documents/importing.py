"""Stores an extraction result (the JSON of docs/extraction-contract.md) in the database.

One document is one transaction: it is stored whole or not at all. The same file twice
changes nothing (its SHA-256 is known). A newer version of a document already imported (same
title, genre and year, different bytes) updates the targets it matches, so the audit trail
records what the new version changed, and adds the ones it does not.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import transaction

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


class ImportError_(Exception):
    """A result that cannot be stored; its message is for users, in Chinese."""


@dataclass
class ImportResult:
    document: SourceDocument
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    already_imported: bool = False

    @property
    def summary(self) -> str:
        if self.already_imported:
            return f"《{self.document}》已导入过，未做任何改动"
        return f"《{self.document}》：新建目标 {len(self.created)} 项，更新 {len(self.updated)} 项"


def classify_source(label: str, genre: str, title: str) -> str:
    for text in (label or "", title or ""):
        for keyword, category in _SOURCE_KEYWORDS:
            if keyword in text:
                return category
    return _GENRE_SOURCES.get(genre, SourceCategory.OTHER)


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


def _match_key(item: dict, items_by_id: dict) -> tuple:
    """Identifies an item across versions: its numbering path, or its title."""
    path, node = [], item
    while node is not None:
        path.append(node.get("number") or node.get("title") or "")
        node = items_by_id.get(node.get("parent"))
    return tuple(reversed(path))


def _target_match_key(target: Target) -> tuple:
    path, node = [], target
    while node is not None:
        path.append(node.number or node.title or "")
        node = node.parent
    return tuple(reversed(path))


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
    with buffered():
        return _Importer(result, level).run(file_bytes, user)


class _Importer:
    """One document's import. Remembers the units and leaders it has looked up, and stores a
    document's indicators and audit events in batches: most documents repeat a few names and
    hold many numbers."""

    def __init__(self, result: dict, level: int):
        self.result = result
        self.meta = result.get("document") or {}
        self.year = self.meta["year"]
        self.period = self.meta.get("period") or ""
        self.level = level
        self.units: dict[str, Organisation] = {}
        self.leaders: dict[str, Person | None] = {}
        self.indicators: list[Indicator] = []
        self.fresh_co_units: list[tuple[Target, list[Organisation]]] = []
        self.fresh_milestones: list[Milestone] = []
        self.fresh_reports: list[ProgressReport] = []

    def run(self, file_bytes, user) -> ImportResult:
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
            imported_by=user,
        )
        if meta.get("issuer"):
            document.issuer_org = Organisation.find_by_name(meta["issuer"])
        if file_bytes is not None:
            document.file.save(document.name or "document", ContentFile(file_bytes), save=False)
        document.save()
        self.document, self.previous = document, previous
        self.replaced = [d for d in (document, previous) if d is not None]

        outcome = ImportResult(document=document)
        items = self.result.get("items", [])
        items_by_id = {item["id"]: item for item in items}
        old_targets = {}
        if previous is not None:
            for target in Target.objects.filter(source_document=previous).select_related("parent"):
                old_targets.setdefault(_target_match_key(target), target)

        targets_by_item = {}
        for item in items:
            if item.get("kind") == "part":
                continue  # a document inside the document: its items are what is tracked
            if item.get("genre") == "summary":
                # A summary reports what was done, not what is to be done: its numbers are
                # kept as achievements, matched to targets by subject and year.
                self._collect_indicators(None, item)
                continue
            parent = targets_by_item.get(item.get("parent"))
            target = old_targets.get(_match_key(item, items_by_id))
            if target is None:
                target = Target(**self._target_values(item, parent))
                target.deadline = None
                target.save()
                outcome.created.append(target)
                fresh = True
            else:
                for name, value in self._target_values(item, parent).items():
                    setattr(target, name, value)
                target.deadline = None  # re-read from the new deadline text
                target.save()
                outcome.updated.append(target)
                fresh = False
                # The numbers the previous version gave are replaced by this version's.
                for old in target.indicators.filter(source_document__in=self.replaced):
                    old.delete()
            targets_by_item[item["id"]] = target
            fields = item.get("fields") or {}
            co_units = [u for u in map(self._unit, fields.get("co_units") or []) if u]
            co_units = list({u.pk: u for u in co_units if u.pk != target.lead_unit_id}.values())
            if co_units and fresh:
                self.fresh_co_units.append((target, co_units))
            elif co_units:
                target.co_units.add(*co_units)
            self._store_period_data(target, item, fresh)
            self._collect_indicators(target, item)
        self._store_fresh_co_units()
        self._store_fresh_period_data()
        self._store_indicators()
        return outcome

    def _target_values(self, item: dict, parent: Target | None) -> dict:
        fields = item.get("fields") or {}
        values = {
            "year": item.get("year") or self.year,
            "number": (item.get("number") or "")[:30],
            "title": (item.get("title") or "")[:300],
            "text": item.get("text") or fields.get("annual_target") or "",
            "source_category": classify_source(
                fields.get("source_category", ""), self.meta.get("genre"), self.meta.get("title")
            ),
            "source_label": (fields.get("source_category") or "")[:100],
            "category": (fields.get("category") or "")[:50],
            "parent": parent,
            "deadline_text": (fields.get("deadline") or "")[:100],
            "benchmark": fields.get("benchmark") or "",
            "source_document": self.document,
            "span_start": item["span"][0],
            "span_end": item["span"][1],
        }
        if parent is not None and not values["category"]:
            values["category"] = parent.category
        if values["source_category"] == SourceCategory.COMMITMENT:
            values["is_public"] = True
        if fields.get("lead_unit"):
            values["lead_unit"] = self._unit(fields["lead_unit"])
        leaders = fields.get("leaders") or []
        if leaders:
            values["leader"] = self._leader(leaders[0])
        return values

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
        values = {
            "milestone": milestone,
            "unit": target.lead_unit,
            "progress": fields.get("progress", ""),
            "status_text": fields.get("status", "")[:50],
            "is_complete": completion(fields.get("status", "")),
            "reason": fields.get("reason", ""),
            "next_steps": fields.get("next_steps", ""),
            **grounding,
        }
        # A newer version of the same table replaces the report its previous version gave.
        report = None
        if not fresh:
            report = ProgressReport.objects.filter(
                target=target, period=self.period, source_document__in=self.replaced
            ).first()
        if report is None:
            report = ProgressReport(
                target=target, period=self.period, review_state=ProgressReport.Review.SUBMITTED
            )
        for name, value in values.items():
            setattr(report, name, value)
        if report.pk is None:
            self.fresh_reports.append(report)
        else:
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

    def _collect_indicators(self, target: Target | None, item: dict):
        for found in item.get("indicators") or []:
            value = _decimal(found.get("value"))
            if value is None:
                continue
            self.indicators.append(
                Indicator(
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
            )

    def _store_indicators(self):
        # One INSERT for the document's numbers; bulk_create sends no signals, so each
        # creation is recorded here.
        for indicator in Indicator.objects.bulk_create(self.indicators, batch_size=500):
            record_creation(indicator)
