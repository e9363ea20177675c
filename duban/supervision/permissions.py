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


def is_co_unit_user(user, target: Target, co_units=None) -> bool:
    """`co_units`: the target's co-units, where the caller has already read them."""
    unit = unit_of(user)
    if unit is None:
        return False
    if co_units is not None:
        return any(co_unit.pk == unit.pk for co_unit in co_units)
    return target.co_units.filter(pk=unit.pk).exists()


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


def can_contribute(user, target: Target, co_units=None) -> bool:
    return target.state == Target.State.IN_PROGRESS and is_co_unit_user(user, target, co_units)


def can_see_evidence(user, target: Target) -> bool:
    return can_view(user, target)


def is_leader_of(user, target: Target) -> bool:
    """The target's leader in charge (分管领导), signed in with their own account."""
    person = person_of(user)
    return (
        person is not None
        and person.is_active
        and person.role == Person.Role.LEADER
        and target.leader_id == person.pk
    )


def leader_has_account(target: Target) -> bool:
    leader = target.leader if target.leader_id else None
    user = getattr(leader, "user", None) if leader is not None else None
    return bool(leader and leader.is_active and user is not None and user.is_active)


def can_request_extension(user, target: Target) -> bool:
    """The lead unit asks for a later deadline (延期申请), on a target it is handling."""
    return is_lead_unit_user(user, target) and target.state in {
        Target.State.ASSIGNED,
        Target.State.IN_PROGRESS,
    }


def can_decide_extension(user, extension) -> bool:
    """Office staff review a pending request; the leader in charge decides one waiting for
    them (office staff record the leader's decision only for a leader without an account)."""
    if extension.state == "pending":
        return can_supervise(user, extension.target)
    if extension.state == "awaiting_leader":
        target = extension.target
        if is_leader_of(user, target):
            return True
        return can_supervise(user, target) and not leader_has_account(target)
    return False


def can_withdraw_extension(user, extension) -> bool:
    """The reporters of the unit that asked withdraw its request while it is undecided."""
    unit = unit_of(user)
    return (
        unit is not None
        and unit.pk == extension.unit_id
        and extension.state in {"pending", "awaiting_leader"}
    )


def can_instruct(user, target: Target) -> bool:
    """The leader in charge writes an instruction (批示) on a target not yet closed."""
    return is_leader_of(user, target) and target.state != Target.State.CLOSED
