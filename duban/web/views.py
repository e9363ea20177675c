"""Error pages in Chinese, without tracebacks, for every status the product returns."""

from django.shortcuts import render


def _error(request, status, title, message):
    return render(
        request,
        "error.html",
        {"title": title, "message": message, "status": status},
        status=status,
    )


def bad_request(request, exception=None):
    return _error(request, 400, "请求有误", "提交的内容无法识别，请返回检查后重试。")


def permission_denied(request, exception=None):
    return _error(request, 403, "无权访问", "您没有权限进行此操作。")


def page_not_found(request, exception=None):
    message = "您访问的页面不存在，或您无权查看。"
    if exception is not None and exception.args and isinstance(exception.args[0], str):
        candidate = exception.args[0]
        # Only our own Chinese messages are shown; Django's internal ones are not for users.
        if any("\u4e00" <= ch <= "\u9fff" for ch in candidate):
            message = candidate
    return _error(request, 404, "页面不存在", message)


def server_error(request):
    return _error(request, 500, "系统出错", "系统处理时出现问题，已记录，请稍后再试或联系管理员。")


def csrf_failure(request, reason=""):
    return _error(request, 403, "页面已过期", "表单已过期或来源不明，请刷新页面后重新提交。")
