"""Invitations: a signed, expiring, single-use link by which a person sets their own password.

The link is ``/accounts/invite/<token>/`` where the token is the invitation's id and a random
nonce, signed with a timestamp (`TimestampSigner`, its own salt). Opening it checks, in this
order: the signature (a tampered link), its age against DUBAN_INVITATION_DAYS, the stored
invitation and the nonce's hash, then that the invitation is neither used nor revoked nor past
`expires_at`. Any failure is an `InvitationRefused` with a Chinese title and message, and
changes nothing. Accepting marks the invitation used in the same transaction that sets the
password, under a row lock, so two tabs cannot both use one link."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from duban.audit.context import acting_as, actor_for_user
from duban.audit.models import AuditEvent
from duban.audit.recorder import record
from duban.organisations.models import Person

from .models import Invitation, Office, hash_nonce
from .setup import email_owner

SALT = "duban.accounts.invitation"


def valid_days() -> int:
    return int(getattr(settings, "DUBAN_INVITATION_DAYS", 7))


class InvitationRefused(Exception):
    def __init__(self, title: str, message: str, status: int = 410):
        super().__init__(message)
        self.title, self.message, self.status = title, message, status


class CannotInvite(Exception):
    """Why this person cannot be invited now, in Chinese."""


def invitation_url(token: str) -> str:
    return settings.DUBAN_BASE_URL.rstrip("/") + reverse("accounts:invitation", args=[token])


def why_not_invitable(person: Person, channel: str) -> str | None:
    if not person.is_active:
        return f"「{person.name}」已不在岗，不能邀请。"
    user = person.user
    if user is not None and not user.is_active:
        return f"「{person.name}」的账号已停用，请先启用。"
    if user is not None and user.has_usable_password():
        return f"「{person.name}」已开通账号；如忘记密码，可在登录页点击“忘记密码”。"
    if channel == Invitation.Channel.EMAIL:
        if not person.email:
            return f"「{person.name}」没有登记电子邮箱，请改用打印链接，或先补充邮箱。"
        owner = email_owner(person.email, person=person)
        if owner:
            return f"邮箱 {person.email} 已被{owner}使用，请核对后再邀请。"
    return None


def _revoke_pending(person: Person, now) -> None:
    pending = Invitation.objects.select_for_update().filter(
        person=person, used_at=None, revoked_at=None
    )
    for invitation in pending:
        invitation.revoked_at = now
        invitation.save(update_fields=["revoked_at"])


def create_invitation(person: Person, *, by, channel: str) -> tuple[Invitation, str]:
    """A new invitation for `person` (earlier unused ones are revoked) and its link's token.
    Call inside a transaction; for e-mail, `send_invitation` in the same one."""
    reason = why_not_invitable(person, channel)
    if reason:
        raise CannotInvite(reason)
    now = timezone.now()
    _revoke_pending(person, now)
    nonce = secrets.token_urlsafe(16)
    invitation = Invitation.objects.create(
        person=person,
        channel=channel,
        sent_to=person.email if channel == Invitation.Channel.EMAIL else "",
        nonce_hash=hash_nonce(nonce),
        created_by=by if getattr(by, "pk", None) else None,
        created_at=now,
        expires_at=now + datetime.timedelta(days=valid_days()),
    )
    token = signing.TimestampSigner(salt=SALT).sign(f"{invitation.pk}.{nonce}")
    return invitation, token


def invitation_email(invitation: Invitation, token: str) -> EmailMessage:
    person = invitation.person
    office = Office.current()
    inviter = office.name if office else "督查督办系统管理员"
    where = "、".join(
        part
        for part in [getattr(person.organisation, "name", ""), person.get_role_display()]
        if part
    )
    expires = timezone.localtime(invitation.expires_at)
    body = (
        f"{person.name}，您好：\n\n"
        f"{inviter}邀请您使用督查督办系统（{where}）。\n"
        f"请在 {expires:%Y年%-m月%-d日 %H:%M} 前打开以下链接，设置您的用户名和登录密码：\n\n"
        f"{invitation_url(token)}\n\n"
        "链接只能使用一次，请勿转发。如果您并不认识发件单位，请忽略本邮件。\n"
    )
    return EmailMessage(
        subject="【督办】账号邀请：请设置登录密码",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.sent_to],
    )


def invite(person: Person, *, by, channel: str) -> tuple[Invitation, str]:
    """Make an invitation and, by e-mail, send it; all in one transaction, so a message the
    server refused leaves no invitation behind (and revokes none). Raises CannotInvite."""
    from duban.supervision.notifications import describe_error

    with transaction.atomic():
        invitation, token = create_invitation(person, by=by, channel=channel)
        how = "通过电子邮件发出" if channel == Invitation.Channel.EMAIL else "生成一次性链接"
        record(
            person,
            AuditEvent.Action.NOTICE,
            after={
                "方式": invitation.get_channel_display(),
                "发送至": invitation.sent_to or None,
                "有效期至": timezone.localtime(invitation.expires_at).isoformat(timespec="minutes"),
            },
            summary=f"{how}账号邀请",
        )
        if channel == Invitation.Channel.EMAIL:
            try:
                invitation_email(invitation, token).send(fail_silently=False)
            except Exception as exc:  # refused, timed out, TLS or login failed
                raise CannotInvite(
                    f"邀请邮件未能发出（{describe_error(exc)}），未作任何更改；"
                    "请检查邮件设置，或改用打印链接。"
                ) from exc
    return invitation, token


INVALID = ("链接无效", "这个邀请链接不完整或已被改动，请向督查员索取新的链接。", 404)


def open_invitation(token: str) -> Invitation:
    """The pending invitation this token stands for; InvitationRefused otherwise."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        value = signer.unsign(token, max_age=datetime.timedelta(days=valid_days()))
    except signing.SignatureExpired as exc:
        raise _expired() from exc
    except signing.BadSignature as exc:
        raise InvitationRefused(*INVALID) from exc
    pk, _, nonce = value.partition(".")
    invitation = (
        Invitation.objects.select_related("person__user", "person__organisation")
        .filter(pk=int(pk) if pk.isdigit() else 0)
        .first()
    )
    if invitation is None or not secrets.compare_digest(invitation.nonce_hash, hash_nonce(nonce)):
        raise InvitationRefused(*INVALID)
    check_pending(invitation)
    return invitation


def _expired() -> InvitationRefused:
    return InvitationRefused(
        "链接已过期",
        f"邀请链接的有效期为 {valid_days()} 天，这个链接已过期，账号没有任何更改。"
        "请联系督查员重新发送邀请。",
    )


def check_pending(invitation: Invitation) -> None:
    if invitation.used_at is not None:
        raise InvitationRefused(
            "链接已使用",
            "这个邀请链接已经用过一次，不能再次使用，账号没有任何更改。"
            "如已设置密码，请直接登录；忘记密码可在登录页找回。",
        )
    if invitation.revoked_at is not None:
        raise InvitationRefused(
            "链接已作废",
            "督查员已为您发出新的邀请，这个旧链接已作废，账号没有任何更改。请使用最新的链接。",
        )
    if invitation.expires_at <= timezone.now():
        raise _expired()
    person = invitation.person
    if not person.is_active or (person.user is not None and not person.user.is_active):
        raise InvitationRefused(
            "账号不可用", "该人员已不在岗或账号已停用，邀请不再有效。请联系督查员。", 403
        )


def suggested_username(person: Person) -> str:
    User = get_user_model()
    candidates = []
    if person.email:
        candidates.append(person.email.split("@")[0])
    digits = "".join(ch for ch in person.phone if ch.isdigit())
    if len(digits) >= 7:
        candidates.append(digits)
    for candidate in candidates:
        if candidate and not User._default_manager.filter(username__iexact=candidate).exists():
            return candidate[:150]
    return ""


def accept(invitation: Invitation, *, username: str | None, password: str, remote_addr=None):
    """Set the password (creating the account when the person has none), mark the invitation
    used; all or nothing. Acts as the invited person, so the trail says who set it."""
    with transaction.atomic():
        locked = (
            # Lock the invitation row only: PostgreSQL cannot lock the nullable side of the
            # outer join to a person who has no account yet.
            Invitation.objects.select_for_update(of=("self",))
            .select_related("person__user")
            .get(pk=invitation.pk)
        )
        check_pending(locked)
        person = locked.person
        user = person.user
        User = get_user_model()
        if user is None:
            user = User(username=username, first_name=person.name, email=person.email)
        # An account made without them (by an import, or in the admin) gets the person's name,
        # which the trail shows as the actor, and e-mail, where a reset link is sent.
        user.first_name = user.first_name or person.name
        user.email = user.email or person.email
        with acting_as(actor_for_user(user, remote_addr=remote_addr)):
            user.set_password(password)
            if user.pk is None:
                user._audit_transition = "接受邀请，开通账号"
            user.save()
            if person.user_id != user.pk:
                person.user = user
                person.save()
            locked.used_at = timezone.now()
            locked.save(update_fields=["used_at"])
            record(
                person,
                AuditEvent.Action.NOTICE,
                after={"登录账号": user.get_username()},
                summary="接受邀请，设置登录密码",
            )
    return user
