"""Sign-in throttling, on django-axes: an account is locked after `DUBAN_LOGIN_FAILURE_LIMIT`
failed sign-ins (from any address), an address after `DUBAN_LOGIN_ADDRESS_FAILURE_LIMIT`
failures (for any accounts, API tokens included: an office behind one NAT address shares it,
so its limit is higher), each for `DUBAN_LOGIN_COOLOFF_MINUTES` after the last failure.
While locked, even the right password is refused, with a message saying when to retry."""

import datetime
import math

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone


def client_address(request) -> str | None:
    """The address the audit trail records too (the server sits behind no proxy of its own)."""
    return request.META.get("REMOTE_ADDR")


class ThrottleBackend(AxesStandaloneBackend):
    """Axes' check before the password backend. A check of a password without a request
    (code or a console command, not a sign-in over the network) has no address to count
    against and is passed on unthrottled, instead of failing as axes would."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class ThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit for each of its two lockout parameters: the
    failures of the account (username) and those of the address (ip_address), in that order
    of AXES_LOCKOUT_PARAMETERS. Axes compares one number with AXES_FAILURE_LIMIT (the
    account's limit), so an address over its own limit reports that limit."""

    def get_failures(self, request, credentials=None) -> int:
        by_account, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if get_client_username(request, credentials) is None:
            by_account = 0  # an API token, or a form without a name: no account to count
        if by_address >= settings.DUBAN_LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(by_account, settings.AXES_FAILURE_LIMIT)
        return by_account

    def reset_user_attempts(self, request, credentials=None) -> int:
        """On a successful sign-in (AXES_RESET_ON_SUCCESS), forget the account's failures
        only: an attacker signing in to an account of their own must not clear their
        address's count of failures against others."""
        username = get_client_username(request, credentials)
        if username is None:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def retry_at(request, credentials=None) -> datetime.datetime:
    """When the lockout of this request's account or address ends: the cool-off after the
    last failure that counts against it."""
    handler = ThrottleHandler()
    last = None
    for attempts in handler.get_user_attempts(request, credentials):
        latest = attempts.aggregate(t=Max("attempt_time"))["t"]
        if latest is not None and (last is None or latest > last):
            last = latest
    return (last or timezone.now()) + get_cool_off(request)


def retry_seconds(moment: datetime.datetime) -> int:
    return max(1, math.ceil((moment - timezone.now()).total_seconds()))


def lockout_message(moment: datetime.datetime, what: str = "登录") -> str:
    local = timezone.localtime(moment)
    minutes = math.ceil(retry_seconds(moment) / 60)
    return (
        f"{what}失败次数过多，已暂时锁定。请于 {local:%H:%M}（约 {minutes} 分钟后）再试；"
        "如忘记密码，请联系管理员重置。"
    )


def lockout_response(request, original_response=None, credentials=None):
    """Axes' answer to a locked sign-in (AXES_LOCKOUT_CALLABLE): the sign-in page with a
    Chinese message saying when to retry, status 429 with Retry-After; JSON for the API."""
    moment = retry_at(request, credentials)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message(moment, "API 令牌认证")}, status=429)
    else:
        username = get_client_username(request, credentials) or ""
        response = render(
            request,
            "registration/login.html",
            {"lockout_message": lockout_message(moment), "username": username},
            status=429,
        )
    response["Retry-After"] = str(retry_seconds(moment))
    return response
