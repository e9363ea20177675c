"""Who may do what to a target. Pages and the API both ask here, object by object.

office staff (督查员)  register, approve, assign, review, return, accept, close, chase, everything
unit reporter         sees the targets its unit leads or co-operates on; the lead unit
                      acknowledges and reports; a co-unit adds its contribution
leader (分管领导)      reads the targets in their charge
public                reads the targets marked public, without signing in
"""

from duban.organisations.models import Person, is_office_staff, person_of
from duban.targets.models import Target


def unit_of(user):
    person = person_of(user)
    if person is None or not person.is_active or person.role != Person.Role.UNIT:
        return None
    return person.organisation


def can_view(user, target: Target) -> bool:
    return Target.objects.visible_to(user).filter(pk=target.pk).exists()


def is_lead_unit_user(user, target: Target) -> bool:
    unit = unit_of(user)
    return unit is not None and unit.pk == target.lead_unit_id


def is_co_unit_user(user, target: Target) -> bool:
    unit = unit_of(user)
    return unit is not None and target.co_units.filter(pk=unit.pk).exists()


def can_supervise(user, target: Target | None = None) -> bool:
    """Approve, assign, review, return, accept, close, chase, carry over."""
    return is_office_staff(user)


def can_acknowledge(user, target: Target) -> bool:
    return is_lead_unit_user(user, target) and target.state == Target.State.ASSIGNED


def can_report(user, target: Target) -> bool:
    return is_lead_unit_user(user, target) and target.state == Target.State.IN_PROGRESS


def can_report_for(user, target: Target, unit) -> bool:
    """Report as `unit` on a target it leads: its own reporter, or office staff on its behalf
    (a form the unit returned by file)."""
    if unit is None or target.lead_unit_id != unit.pk:
        return False
    if target.state != Target.State.IN_PROGRESS:
        return False
    return is_lead_unit_user(user, target) or is_office_staff(user)


def can_contribute(user, target: Target) -> bool:
    return is_co_unit_user(user, target) and target.state == Target.State.IN_PROGRESS


def can_see_evidence(user, target: Target) -> bool:
    return can_view(user, target)
