"""Who is acting right now: set by the web middleware and by console commands, read by the
recorder. A context variable, so concurrent requests on server threads never mix."""

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user: object | None = None
    name: str = ""
    remote_addr: str | None = None
    channel: str = ""


SYSTEM = Actor(name="系统", channel="system")
_current: ContextVar[Actor] = ContextVar("duban_audit_actor", default=SYSTEM)


def current_actor() -> Actor:
    return _current.get()


def actor_for_user(user, *, remote_addr=None, channel="web") -> Actor:
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(name="匿名用户", remote_addr=remote_addr, channel=channel)
    name = user.get_full_name() or user.get_username()
    return Actor(user=user, name=name, remote_addr=remote_addr, channel=channel)


@contextlib.contextmanager
def acting_as(actor: Actor):
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)
