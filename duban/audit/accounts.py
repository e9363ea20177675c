"""The audit trail of accounts (Django's auth User and Group): creations, changes of staff,
superuser and active status, of groups and permissions (through `track`), password sets and
resets, and sign-in failures and lockouts. A password's hash is never recorded: the User's
`password` field is excluded from snapshots, and a password change is recorded as such.

Connected by the audit app's `ready`."""

from django.contrib.auth import get_user_model, user_login_failed
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save, pre_save

from .changes import note_change
from .context import current_actor
from .models import AuditEvent
from .recorder import record, track

PASSWORD_LABEL = "密码"


def record_sign_in(username, summary, *, request=None, channel=None, after=None):
    """A sign-in event about the account named `username` (which may not exist), by the
    current actor (anonymous, from the request's address)."""
    User = get_user_model()
    username = (username or "")[:150]
    user = User._default_manager.filter(username=username).first() if username else None
    actor = current_actor()
    remote_addr = actor.remote_addr
    if remote_addr is None and request is not None:
        remote_addr = request.META.get("REMOTE_ADDR")
    event = AuditEvent.objects.create(
        actor=actor.user if getattr(actor.user, "pk", None) else None,
        actor_name=(actor.name or "匿名用户")[:150],
        remote_addr=remote_addr,
        channel=channel or actor.channel or "web",
        action=AuditEvent.Action.SIGN_IN,
        summary=summary[:200],
        object_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk) if user is not None else "",
        object_repr=username or "（未填写用户名）",
        after=after,
    )
    note_change()
    return event


def _password_state(user) -> str:
    return "已设置" if user.has_usable_password() else "不可用（禁止密码登录）"


def _user_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._audit_password_changed = False
    if raw or instance.pk is None or instance._state.adding:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    if getattr(instance, "_password", None) is not None:  # set_password() since loading
        instance._audit_password_changed = True
        return
    previous = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True)
    instance._audit_password_changed = previous.first() not in (None, instance.password)


def _user_post_save(sender, instance, created, raw=False, **kwargs):
    if raw or created or not getattr(instance, "_audit_password_changed", False):
        return
    instance._audit_password_changed = False
    actor = current_actor()
    if getattr(actor.user, "pk", None) == instance.pk:
        summary = "本人修改密码"
    elif actor.user is None and actor.channel == "web":
        summary = "通过重置链接重设密码"
    else:
        summary = "重置密码"
    record(
        instance,
        AuditEvent.Action.UPDATE,
        before={PASSWORD_LABEL: None},
        after={PASSWORD_LABEL: _password_state(instance)},
        summary=summary,
    )


def _login_failed(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    if getattr(request, "axes_locked_out", False) and (
        getattr(request, "axes_failures_since_start", None) is None
    ):
        return  # refused while locked out: not counted by axes, not recorded either
    username = (credentials or {}).get("username")
    record_sign_in(username, "登录失败：用户名或密码错误", request=request)


def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    if request is None or getattr(request, "axes_failures_since_start", None) is None:
        return  # a further attempt during a lockout, not the moment it began
    from duban.web.throttle import retry_at  # the web app's settings of the throttle

    until = retry_at(request, getattr(request, "axes_credentials", None))
    channel = "api" if request.path.startswith("/api/") else None
    what = "API 令牌认证" if channel == "api" else "登录"
    record_sign_in(
        username,
        f"{what}失败次数过多，已锁定",
        request=request,
        channel=channel,
        after={
            "连续失败次数": request.axes_failures_since_start,
            "来源地址": ip_address,
            "锁定至": until.isoformat(timespec="seconds"),
        },
    )


def connect():
    User = get_user_model()
    # Never in a snapshot: the hash, and the time of every sign-in (not a change of the account).
    User.audit_exclude = ("password", "last_login")
    track(User)
    track(Group)
    pre_save.connect(_user_pre_save, sender=User, dispatch_uid="duban-audit-user-password-pre")
    post_save.connect(_user_post_save, sender=User, dispatch_uid="duban-audit-user-password")
    user_login_failed.connect(_login_failed, dispatch_uid="duban-audit-login-failed")
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="duban-audit-locked-out")
