"""An account's state as the people pages show it, and disabling or enabling it.

Disabling sets the user's is_active to False: the sign-in refuses it, its open sessions end
(the authentication backend loads only active users), its API tokens stop working, and its
pending invitations are revoked. Nothing else changes: the person, their reports and the
audit trail stay, and the person is shown as 已停用."""

from django.db import transaction
from django.utils import timezone

from duban.organisations.models import Person

from .models import Invitation

NO_ACCOUNT = "未开通"
INVITED = "已邀请"
ACTIVE = "已开通"
DISABLED = "已停用"


class CannotChange(Exception):
    """Why this account's state cannot be changed by this user, in Chinese."""


def account_status(person: Person) -> str:
    user = person.user
    if user is not None and not user.is_active:
        return DISABLED
    if user is not None and user.has_usable_password():
        return ACTIVE
    now = timezone.now()
    pending = Invitation.objects.filter(
        person=person, used_at=None, revoked_at=None, expires_at__gt=now
    ).exists()
    return INVITED if pending else NO_ACCOUNT


def _check(person: Person, by) -> None:
    user = person.user
    if user is None:
        raise CannotChange(f"「{person.name}」还没有账号。")
    if user.pk == getattr(by, "pk", None):
        raise CannotChange("不能停用或启用自己的账号。")
    if user.is_superuser and not getattr(by, "is_superuser", False):
        raise CannotChange("系统管理员的账号只能由系统管理员停用或启用。")


def disable(person: Person, *, by) -> bool:
    """False when it was already disabled."""
    _check(person, by)
    user = person.user
    if not user.is_active:
        return False
    with transaction.atomic():
        user.is_active = False
        user._audit_transition = "停用账号"
        user.save(update_fields=["is_active"])
        now = timezone.now()
        for invitation in Invitation.objects.select_for_update().filter(
            person=person, used_at=None, revoked_at=None
        ):
            invitation.revoked_at = now
            invitation.save(update_fields=["revoked_at"])
    return True


def enable(person: Person, *, by) -> bool:
    """False when it was already enabled."""
    _check(person, by)
    user = person.user
    if user.is_active:
        return False
    user.is_active = True
    user._audit_transition = "启用账号"
    user.save(update_fields=["is_active"])
    return True
