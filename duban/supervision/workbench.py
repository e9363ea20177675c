"""工作台: each role's home page — what is waiting for them, with its lights."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, F, OuterRef
from django.shortcuts import render
from django.utils import timezone

from duban.audit.changes import derived, fragments
from duban.organisations.models import Person, is_office_staff, person_of
from duban.targets.lights import due_soon_days
from duban.targets.models import ProgressReport, Target
from duban.targets.periods import Period
from duban.targets.rows import target_rows
from duban.web import jinja
from duban.web.fragments import served_part

from .models import DeadlineExtension
from .permissions import unit_of

LIMIT = 30


def _rows(queryset):
    return target_rows(queryset.order_by("deadline", "id")[:LIMIT])


def _light_counts(targets) -> dict[str, int]:
    counts = dict.fromkeys(["green", "yellow", "red", "done"], 0)
    counts.update(targets.order_by().values_list("light").annotate(n=Count("id")))
    return counts


def _steps_of_their_own(targets):
    """Sub-targets that are where their parent is take each step with it (the points of a
    plan item): only the parent waits for the step."""
    return targets.exclude(parent__isnull=False, parent__state=F("state"))


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
        led = targets.filter(lead_unit=unit)
        reported = ProgressReport.objects.filter(
            target=OuterRef("pk"),
            period=period,
            review_state__in=[ProgressReport.Review.SUBMITTED, ProgressReport.Review.ACCEPTED],
        )
        context["sections"] = [
            ("待签收", _rows(led.filter(state=Target.State.ASSIGNED))),
            (
                f"{Period.quarter_of(today).label}待报送",
                _rows(led.filter(state=Target.State.IN_PROGRESS).exclude(Exists(reported))),
            ),
            (
                "协办的目标",
                _rows(targets.exclude(lead_unit=unit).exclude(state=Target.State.CLOSED)),
            ),
        ]
        context["returned"] = list(
            ProgressReport.objects.filter(
                target__in=led.values("pk"), review_state=ProgressReport.Review.RETURNED
            ).select_related("target")[:LIMIT]
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
    context["counts"] = derived.get_or_compute(
        ("light-counts", Target.objects.visibility_key(user), today),
        lambda: _light_counts(visible),
    )
    context["content"] = jinja.render("supervision/_home_content.html", context)
    return context
