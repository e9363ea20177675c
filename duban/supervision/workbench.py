"""工作台: each role's home page — what is waiting for them, with its lights."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, F, OuterRef
from django.shortcuts import render
from django.utils import timezone

from duban.audit.changes import derived, fragments
from duban.organisations.models import Person, is_office_staff, person_of
from duban.targets.lights import Light, due_soon_days
from duban.targets.models import ProgressReport, Target, target_label
from duban.targets.periods import Period, period_label
from duban.targets.rows import target_rows
from duban.web import jinja
from duban.web.fragments import served_part

from .models import DeadlineExtension
from .permissions import unit_of

LIMIT = 30


def _rows(queryset):
    return target_rows(queryset.order_by("deadline", "id")[:LIMIT])


def _light_counts(targets) -> dict[str, int]:
    counts = dict.fromkeys(Light.values, 0)
    counts.update(targets.order_by().values_list("light").annotate(n=Count("id")))
    return counts


def _steps_of_their_own(rows, through=""):
    """Sub-targets that are where their parent is take each step with it (the points of a
    plan item): only the parent waits for the step. `rows`: targets, or rows reaching their
    target `through` a relation ("target__")."""
    return rows.exclude(
        **{
            f"{through}parent__isnull": False,
            f"{through}parent__state": F(f"{through}state"),
        }
    )


def _returned(unit) -> list[dict]:
    """The reports on the unit's targets sent back for revision, as the workbench lists them
    (plain values: the page prints five of the sixty columns a report and its target have)."""
    # The unit's targets as a list of ids: SQLite then looks their reports up by target,
    # where a join on the lead unit had it read every returned report of every unit.
    led = Target.objects.filter(lead_unit=unit).values("pk")
    reports = _steps_of_their_own(
        ProgressReport.objects.filter(target__in=led, review_state=ProgressReport.Review.RETURNED),
        through="target__",
    ).values(
        "target_id", "period", "review_comment", "target__number", "target__title", "target__text"
    )
    return [
        {
            "target_id": r["target_id"],
            "target": target_label(r["target__number"], r["target__title"], r["target__text"]),
            "period": r["period"],
            "period_label": period_label(r["period"]),
            "review_comment": r["review_comment"],
        }
        for r in reports[:LIMIT]
    ]


def _unit_sections(visible, unit, period: str, today) -> tuple[list, dict]:
    """A unit's sections (to acknowledge, to report this quarter, co-operated) and the light
    counts of all it sees, from one pass over its targets: a unit sees hundreds, not the whole
    ledger, and one query of them and one of the rows shown cost less than a query per
    section. The sections hold the same rows, in the same order, as one query each would."""
    State = Target.State
    reported = ProgressReport.objects.filter(
        target=OuterRef("pk"),
        period=period,
        review_state__in=[ProgressReport.Review.SUBMITTED, ProgressReport.Review.ACCEPTED],
    )
    waiting: dict[str, list[int]] = {"acknowledge": [], "report": [], "co-operate": []}
    counts = dict.fromkeys(Light.values, 0)
    everyone = (
        visible.annotate(reported=Exists(reported))
        .order_by("deadline", "id")
        .values_list("pk", "light", "state", "lead_unit_id", "parent__state", "reported")
    )
    for pk, light, state, lead_unit_id, parent_state, was_reported in everyone:
        counts[light] += 1
        if parent_state == state:
            continue  # it takes its steps with its parent (`_steps_of_their_own`)
        if lead_unit_id != unit.pk:
            section = "co-operate" if state != State.CLOSED else None
        elif state == State.ASSIGNED:
            section = "acknowledge"
        elif state == State.IN_PROGRESS and not was_reported:
            section = "report"
        else:
            section = None
        if section is not None and len(waiting[section]) < LIMIT:
            waiting[section].append(pk)
    shown = [pk for ids in waiting.values() for pk in ids]
    rows = {row["pk"]: row for row in target_rows(visible.filter(pk__in=shown))} if shown else {}
    label = Period.quarter_of(today).label
    sections = [
        ("待签收", [rows[pk] for pk in waiting["acknowledge"]]),
        (f"{label}待报送", [rows[pk] for pk in waiting["report"]]),
        ("协办的目标", [rows[pk] for pk in waiting["co-operate"]]),
    ]
    return sections, counts


def _extensions(**conditions) -> list:
    """The deadline extensions waiting for this person's decision, oldest first."""
    return list(
        DeadlineExtension.objects.filter(**conditions)
        .select_related("target", "unit")
        .order_by("requested_at", "pk")[:LIMIT]
    )


def _role(user):
    """(role, unit, leader): whose workbench this user sees."""
    if is_office_staff(user):
        return "office", None, None
    unit = unit_of(user)
    if unit is not None:
        return "unit", unit, None
    person = person_of(user)
    if person and person.role == Person.Role.LEADER:
        return "leader", None, person
    return "none", None, None


@login_required
def home(request):
    """The workbench is the same for everyone with the same role and view of the targets, and
    changes only with the data and the day: it is worked out and rendered once per change (the
    change stamp of `duban.audit.changes`) for all of them."""
    today = timezone.localdate()
    role, unit, leader = _role(request.user)
    scope = Target.objects.visibility_key(request.user)
    key = (
        "workbench",
        role,
        unit.pk if unit else None,
        leader.pk if leader else None,
        scope,
        today,
        due_soon_days(),
    )
    context = fragments.get_or_compute(
        key, lambda: _workbench(request.user, role, unit, leader, today), share=served_part
    )
    return render(request, "supervision/home.html", {**context})


def _workbench(user, role, unit, leader, today) -> dict:
    """The workbench's context, its content rendered into `content`."""
    period = str(Period.quarter_of(today))
    visible = Target.objects.visible_to(user).with_lights(today)
    targets = _steps_of_their_own(visible)
    context = {"period_label": Period.quarter_of(today).label, "today": today, "role": role}
    if role == "office":
        context["sections"] = [
            ("待审核的目标", _rows(targets.filter(state=Target.State.REGISTERED))),
            ("待交办的目标", _rows(targets.filter(state=Target.State.APPROVED))),
            ("逾期或多次退回（红灯）", _rows(targets.filter(light="red"))),
            ("临期或未签收（黄灯）", _rows(targets.filter(light="yellow"))),
        ]
        context["extensions"] = _extensions(state=DeadlineExtension.State.PENDING)
        context["reviews"] = list(
            ProgressReport.objects.filter(review_state=ProgressReport.Review.SUBMITTED)
            .select_related("target", "unit")
            .order_by("submitted_at")[:LIMIT]
        )
    elif role == "unit":
        context["unit"] = unit
        context["sections"], counts = _unit_sections(visible, unit, period, today)
        context["returned"] = _returned(unit)
        context["counts"] = derived.get_or_compute(
            ("light-counts", Target.objects.visibility_key(user), today), lambda: counts
        )
    else:
        if role == "leader":
            context["extensions"] = _extensions(
                state=DeadlineExtension.State.AWAITING_LEADER, target__leader=leader
            )
        rows = target_rows(targets.order_by("light", "deadline", "id")[:200])
        latest = {}
        for report in ProgressReport.objects.filter(target__in=[r["pk"] for r in rows]).order_by(
            "target_id", "-period", "-created_at"
        ):
            latest.setdefault(report.target_id, report)
        for row in rows:
            row["latest"] = latest.get(row["pk"])
        context["sections"] = [("分管的目标", rows)]
    context.setdefault(
        "counts",
        derived.get_or_compute(
            ("light-counts", Target.objects.visibility_key(user), today),
            lambda: _light_counts(visible),
        ),
    )
    context["content"] = jinja.render("supervision/_home_content.html", context)
    return context
