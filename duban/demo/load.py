"""Loads the demo city into the database: units, people, accounts, the three documents and
the targets read from them, taken through the loop with the same model methods the pages use,
so the audit trail of the demo is a real one."""

import datetime
import hashlib
import secrets
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from duban.audit.context import SYSTEM, acting_as, actor_for_user
from duban.documents.models import Genre, SourceDocument
from duban.organisations.models import Organisation, Person
from duban.targets.models import (
    Indicator,
    Milestone,
    ProgressReport,
    SourceCategory,
    Target,
)
from duban.targets.periods import Period

from . import content
from .render import render_prose, render_table

CN_NUMERALS = "一二三四五六七八九十"


def demo_period(today: datetime.date) -> Period:
    """The last quarter that has ended: the one units have just reported on."""
    quarter = Period.quarter_of(today)
    if quarter.index == 1:
        return Period(today.year - 1, "Q", 4)
    return Period(today.year, "Q", quarter.index - 1)


def _deadline_text(template: str, today: datetime.date) -> str:
    soon = today + datetime.timedelta(days=4)
    overdue = today - datetime.timedelta(days=12)
    return template.format(
        soon=f"{soon.year}年{soon.month}月{soon.day}日前",
        overdue=f"{overdue.year}年{overdue.month}月{overdue.day}日前",
    )


def _document(name, title, genre, text, year, period="") -> tuple[SourceDocument, bool]:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    existing = SourceDocument.objects.filter(sha256=digest).first()
    if existing:
        return existing, False
    doc = SourceDocument.objects.create(
        name=name,
        format="txt",
        sha256=digest,
        title=title,
        genre=genre,
        issuer=content.BUREAU,
        issuer_org=Organisation.objects.get(name=content.BUREAU),
        year=year,
        period=period,
        text=text,
    )
    return doc, True


def _organisations():
    by_name = {}
    for name, short, level, kind, parent in content.ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "level": level,
                "kind": kind,
                "parent": by_name.get(parent),
            },
        )
        by_name[name] = org
    for name, title, org in content.LEADERS:
        Person.objects.get_or_create(
            name=name,
            organisation=by_name[org],
            role=Person.Role.LEADER,
            defaults={"title": title},
        )
    return by_name


def _accounts(orgs, reset_passwords: bool) -> list[tuple[str, str, str]]:
    """Creates the demo accounts; returns (username, password or '', description)."""
    User = get_user_model()
    created = []
    for username, name, title, org_name, role in content.ACCOUNTS:
        user = User.objects.filter(username=username).first()
        password = ""
        if user is None or reset_passwords:
            password = secrets.token_urlsafe(9)
            if user is None:
                user = User(username=username)
            user.first_name = name
            user.is_staff = role == Person.Role.OFFICE
            user.is_superuser = role == Person.Role.OFFICE
            user.set_password(password)
            user.save()
        person = Person.objects.filter(name=name, organisation=orgs[org_name], role=role).first()
        if person is None:
            person = Person(name=name, organisation=orgs[org_name], role=role)
        person.title = title
        person.user = user
        person.email = f"{username}@demo.qingxi.example"
        person.save()
        label = dict(Person.Role.choices)[role]
        created.append((username, password, f"{label} · {orgs[org_name]} · {name}"))
    return created


def _indicators(key, target, body_span, doc):
    for (
        doc_key,
        number,
        printed,
        subject,
        kind,
        measure,
        comparator,
        value,
        vmax,
        unit,
    ) in content.INDICATORS:
        if doc_key != key or number != target.number:
            continue
        start = doc.text.index(printed, body_span[0], body_span[1])
        Indicator.objects.create(
            target=target,
            subject=subject,
            kind=kind,
            measure=measure,
            comparator=comparator,
            value=Decimal(str(value)),
            value_max=None if vmax is None else Decimal(str(vmax)),
            unit=unit,
            year=target.year,
            source_document=doc,
            span_start=start,
            span_end=start + len(printed),
        )


def _load_plan(year, today, orgs, office_user):
    sections = [
        (heading, [(t, b, p, unit, _deadline_text(d, today)) for t, b, p, unit, d in items])
        for heading, items in content.PLAN_SECTIONS
    ]
    title = content.PLAN_TITLE.format(year=year)
    rendered = render_prose(title, content.PLAN_INTRO.format(year=year), sections, CN_NUMERALS)
    doc, new = _document(f"{title}.txt", title, Genre.PLAN, rendered.text, year)
    if not new:
        return []
    created, number = [], 0
    for heading, items in sections:
        for item_title, _body, points, unit, deadline in items:
            number += 1
            key = str(number)
            start, end = rendered.spans[("item", key)]
            target = Target.objects.create(
                year=year,
                number=key,
                title=item_title,
                text=doc.text[start:end],
                source_category=SourceCategory.WORK_PLAN,
                source_label="年度工作要点",
                category=heading,
                deadline_text=deadline,
                lead_unit=orgs[unit],
                source_document=doc,
                span_start=start,
                span_end=end,
            )
            _indicators("plan", target, rendered.spans[("body", key)], doc)
            for p, _point in enumerate(points):
                p_start, p_end = rendered.spans[("point", key, p)]
                Target.objects.create(
                    year=year,
                    number=f"{CN_NUMERALS[p]}是",
                    text=doc.text[p_start:p_end],
                    source_category=SourceCategory.WORK_PLAN,
                    source_label="年度工作要点",
                    category=heading,
                    parent=target,
                    deadline_text=deadline,
                    lead_unit=orgs[unit],
                    source_document=doc,
                    span_start=p_start,
                    span_end=p_end,
                )
            created.append(target)
    # Take the plan's targets through the first steps: some approved, some assigned.
    for i, target in enumerate(created):
        if i % 5 == 4:
            continue  # left awaiting approval
        target.approve()
        if i % 5 == 3:
            continue  # approved, not yet assigned
        target.assign(lead_unit=target.lead_unit, deadline_text=target.deadline_text)
    return created


def _load_progress(year, period, today, orgs, users):
    quarter_cn = CN_NUMERALS[period.index - 1]
    title = content.PROGRESS_TITLE.format(year=year, quarter_cn=quarter_cn)
    header = [h.format(quarter=period.index) for h in content.PROGRESS_HEADER]
    rows = []
    for (
        number,
        annual,
        quarterly,
        status,
        progress,
        reason,
        nxt,
        leader,
        units,
        *_,
    ) in content.PROGRESS_ROWS:
        unit_cells = "\n".join(Organisation.objects.get(name=u).short_name for u in units)
        rows.append([number, annual, quarterly, status, progress, reason, nxt, leader, unit_cells])
    rendered = render_table(
        [title, content.PROGRESS_CONTACT], header, rows, [content.PROGRESS_NOTE]
    )
    doc, new = _document(f"{title}.txt", title, Genre.PROGRESS, rendered.text, year, str(period))
    if not new:
        return []
    leaders = {p.name: p for p in Person.objects.filter(role=Person.Role.LEADER)}
    unit_users = {
        p.organisation_id: p.user
        for p in Person.objects.filter(role=Person.Role.UNIT).select_related("user")
    }
    created = []
    for r, row in enumerate(content.PROGRESS_ROWS):
        (
            number,
            _annual,
            _quarterly,
            status,
            _progress,
            reason,
            _nxt,
            leader,
            units,
            deadline,
            state,
            review,
        ) = row
        deadline = _deadline_text(deadline, today)
        lead, *co = [orgs[u] for u in units]
        span = rendered.spans[("cell", r, 1)]
        target = Target.objects.create(
            year=year,
            number=number,
            text=doc.text[span[0] : span[1]],
            source_category=SourceCategory.WORK_REPORT,
            source_label="政府工作报告",
            deadline_text=deadline,
            source_document=doc,
            span_start=span[0],
            span_end=span[1],
        )
        _indicators("progress", target, span, doc)
        target.approve()
        target.assign(lead_unit=lead, co_units=co, leader=leaders[leader], deadline_text=deadline)
        m_span = rendered.spans[("cell", r, 2)]
        milestone = Milestone.objects.create(
            target=target,
            period=str(period),
            text=doc.text[m_span[0] : m_span[1]],
            source_document=doc,
            span_start=m_span[0],
            span_end=m_span[1],
        )
        reporter = unit_users.get(lead.pk) or unit_users.get(orgs[content.BUREAU].pk)
        if state in {"in_progress", "closed"}:
            with acting_as(actor_for_user(reporter, channel="demo")):
                target.acknowledge()
        if review:
            cells = [doc.text[slice(*rendered.spans[("cell", r, c)])] for c in range(3, 7)]
            row_span = rendered.spans[("row", r)]
            with acting_as(actor_for_user(reporter, channel="demo")):
                report = ProgressReport.objects.create(
                    target=target,
                    milestone=milestone,
                    period=str(period),
                    unit=lead,
                    status_text=cells[0],
                    is_complete=status == "完成",
                    progress=cells[1],
                    reason=cells[2],
                    next_steps=cells[3],
                    source_document=doc,
                    span_start=row_span[0],
                    span_end=row_span[1],
                )
                report.submit(reporter)
            if review in {"accepted", "returned"}:
                if review == "returned":
                    report.return_for_revision(
                        users["admin"], "请补充主体工程进度的佐证材料和赶工计划。"
                    )
                else:
                    report.accept(users["admin"], "情况属实。")
        if state == "closed":
            target.close()
        created.append(target)
    return created


def _load_goals(year, orgs):
    title = content.GOALS_TITLE.format(year=year)
    rows, previous = [], None
    for category, number, name, body, benchmark in content.GOALS_ROWS:
        text = body + (benchmark or "")
        rows.append(["" if category == previous else category, number, name, text])
        previous = category
    rendered = render_table([title, content.GOALS_UNIT_LINE], content.GOALS_HEADER, rows, [])
    doc, new = _document(f"{title}.txt", title, Genre.GOALS, rendered.text, year)
    if not new:
        return []
    created = []
    for r, (category, number, name, _body, benchmark) in enumerate(content.GOALS_ROWS):
        start, end = rendered.spans[("cell", r, 3)]
        cell = doc.text[start:end]
        text = cell[: cell.index(benchmark)] if benchmark else cell
        target = Target.objects.create(
            year=year,
            number=number,
            title=name,
            text=text,
            source_category=SourceCategory.BUSINESS_GOAL,
            source_label="市直单位业务目标",
            category=category,
            benchmark=(benchmark or "").split("：", 1)[-1],
            deadline_text="12月底前",
            lead_unit=orgs[content.BUREAU],
            source_document=doc,
            span_start=start,
            span_end=start + len(text),
        )
        _indicators("goals", target, (start, end), doc)
        created.append(target)
    return created


@transaction.atomic
def load_demo(today: datetime.date | None = None, reset_passwords: bool = True):
    """Loads the demo; safe to run again (documents already loaded are not loaded twice)."""
    today = today or timezone.localdate()
    period = demo_period(today)
    year = period.year
    with acting_as(SYSTEM):
        orgs = _organisations()
        accounts = _accounts(orgs, reset_passwords)
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=[a[0] for a in content.ACCOUNTS])
    }
    with acting_as(actor_for_user(users["admin"], channel="demo")):
        targets = _load_plan(year, today, orgs, users["admin"])
        targets += _load_progress(year, period, today, orgs, users)
        targets += _load_goals(year, orgs)
    return accounts, targets
