"""Who is calling: a personal API token (`Authorization: Bearer <token>`) or the signed-in
session of the pages. A session must also send its CSRF token (`X-CSRFToken`) on every
request that changes something; a bearer token cannot be sent by a browser on its own, so it
needs none. The caller becomes the actor of every change recorded in the audit trail."""

import functools

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from ninja import Router
from ninja.security import APIKeyCookie, HttpBearer

from duban.audit.accounts import record_sign_in
from duban.audit.context import acting_as, actor_for_user

from .models import ApiToken

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
# A token names no account: its failures count against the address only.
_NO_ACCOUNT = {"username": None}


class NotAuthenticated(Exception):
    """A credential was offered and refused (answered with 401, without trying others)."""


class CsrfFailed(Exception):
    """A session request that changes something came without a valid CSRF token (403)."""


class TokenAuth(HttpBearer):
    """A personal token. Failures count against the caller's address with failed sign-ins
    (see duban.web.throttle): once the address is locked, every token is refused with 429
    and Retry-After, answered by the throttle's lockout response."""

    def authenticate(self, request, token):
        if not AxesProxyHandler.is_allowed(request, _NO_ACCOUNT):
            request.axes_locked_out = True  # AxesMiddleware answers 429
            raise NotAuthenticated("API 令牌认证失败次数过多，已暂时锁定")
        user = ApiToken.user_for(token.strip())
        if user is None:
            record_sign_in(
                None, "API 令牌认证失败：令牌无效或已撤销", request=request, channel="api"
            )
            AxesProxyHandler.user_login_failed(TokenAuth, _NO_ACCOUNT, request)
            raise NotAuthenticated("API 令牌无效或已撤销")
        request.user = user
        return user


def _no_view(request):  # a stand-in view that is not exempt from the CSRF check
    return None


def csrf_refused(request) -> bool:
    middleware = CsrfViewMiddleware(_no_view)
    request.csrf_processing_done = False
    middleware.process_request(request)
    return middleware.process_view(request, _no_view, (), {}) is not None


class SessionAuth(APIKeyCookie):
    """The pages' session, with Django's CSRF check for unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self):
        super().__init__(csrf=False)  # checked below, with a Chinese answer

    def _get_key(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and csrf_refused(request):
            raise CsrfFailed(
                "CSRF 校验失败：以登录会话调用接口修改数据时，请在 X-CSRFToken 请求头中附上 CSRF 令牌"
            )
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = request.user
        return user if user.is_authenticated and user.is_active else None


def as_caller(view_func):
    """Runs an endpoint with its caller as the audit trail's actor, on the "api" channel."""

    @functools.wraps(view_func)
    def run(request, *args, **kwargs):
        actor = actor_for_user(
            getattr(request, "auth", None),
            remote_addr=request.META.get("REMOTE_ADDR"),
            channel="api",
        )
        with acting_as(actor):
            return view_func(request, *args, **kwargs)

    return run


class CallerRouter(Router):
    """A router whose every endpoint runs as its caller (see `as_caller`)."""

    def add_api_operation(self, path, methods, view_func, **kwargs):
        return super().add_api_operation(path, methods, as_caller(view_func), **kwargs)
