"""Every refusal as JSON with a Chinese `detail`, never a traceback:

PermissionDenied 403 · TransitionError 409 · ValidationError 400 (with `errors` by field) ·
Http404 / DoesNotExist 404 · no or refused credentials 401 · a body over
DATA_UPLOAD_MAX_MEMORY_SIZE 413 · a number beyond what the database holds 400 (the schemas
bound every parameter; this is the net under them) · anything else 500.
"""

import logging

from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError

from duban.targets.models import TransitionError

from .auth import CsrfFailed, NotAuthenticated

logger = logging.getLogger(__name__)

NOT_SIGNED_IN = "请先登录，或在请求头中提供 API 令牌：Authorization: Bearer <令牌>"
NOT_FOUND = "没有找到该对象，或您无权查看"
OUT_OF_RANGE = "数值超出范围"


def too_large() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return f"请求内容过大，不能超过 {limit:g} MB"


def install(api):
    def answer(request, status, detail, errors=None):
        body = {"detail": detail}
        if errors:
            body["errors"] = errors
        response = api.create_response(request, body, status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="duban"'
        return response

    handlers = {
        PermissionDenied: lambda r, e: answer(r, 403, str(e) or "您没有权限进行此操作"),
        CsrfFailed: lambda r, e: answer(r, 403, str(e)),
        TransitionError: lambda r, e: answer(r, 409, str(e)),
        DjangoValidationError: lambda r, e: _invalid(answer, r, _django_errors(e)),
        RequestValidationError: lambda r, e: _invalid(answer, r, _request_errors(e.errors)),
        Http404: lambda r, e: answer(r, 404, str(e) or NOT_FOUND),
        ObjectDoesNotExist: lambda r, e: answer(r, 404, NOT_FOUND),
        NotAuthenticated: lambda r, e: answer(r, 401, str(e)),
        AuthenticationError: lambda r, e: answer(r, 401, NOT_SIGNED_IN),
        HttpError: lambda r, e: answer(r, e.status_code, str(e)),
        RequestDataTooBig: lambda r, e: answer(r, 413, too_large()),
        OverflowError: lambda r, e: answer(r, 400, OUT_OF_RANGE),
        Exception: lambda r, e: _server_error(answer, r, e),
    }
    for exc_class, handler in handlers.items():
        api.add_exception_handler(exc_class, handler)


def _invalid(answer, request, errors: dict[str, list[str]]):
    messages = [m for msgs in errors.values() for m in msgs]
    return answer(request, 400, "信息不完整或有误：" + "；".join(messages), errors)


def _server_error(answer, request, exc):
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return answer(request, 500, "服务器内部错误，请稍后重试或联系管理员")


def _django_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            ("__all__" if field == NON_FIELD_ERRORS else field): list(messages)
            for field, messages in exc.message_dict.items()
        }
    return {"__all__": list(exc.messages)}


def _request_errors(errors: list[dict]) -> dict[str, list[str]]:
    """pydantic's errors, keyed by field and said in Chinese."""
    result: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        # ("body", "payload", "progress") → "progress"; ("query", "year") → "year"
        parts = loc[2:] if loc[:1] == ["body"] else loc[1:]
        field = ".".join(parts) or "__all__"
        result.setdefault(field, []).append(_message(error))
    return result


def _message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "必须填写此项"
    if kind in {"json_invalid", "model_attributes_type", "dict_type", "model_type"}:
        return "请求内容应为 JSON 对象"
    if kind == "string_too_short":
        return "不能为空"
    if kind == "string_too_long":
        return f"不能超过 {ctx.get('max_length')} 个字符"
    if kind == "string_pattern_mismatch":
        return "格式不正确"
    if kind in {"string_type", "string_sub_type"}:
        return "应为文本"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return "应为整数"
    if kind in {"bool_type", "bool_parsing"}:
        return "应为 true 或 false"
    if kind.startswith("date") or kind.startswith("datetime"):
        return "应为日期，格式如 2026-06-30"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"不能小于 {ctx.get('ge', ctx.get('gt'))}"
    if kind in {"less_than_equal", "less_than"}:
        return f"不能大于 {ctx.get('le', ctx.get('lt'))}"
    if kind in {"enum", "literal_error"}:
        return f"不是有效的选项，应为：{ctx.get('expected', '')}"
    if kind == "extra_forbidden":
        return "不支持此字段"
    if kind == "list_type":
        return "应为列表"
    if kind == "value_error":
        return str(ctx.get("error") or error.get("msg", "格式不正确"))
    return "格式不正确"
