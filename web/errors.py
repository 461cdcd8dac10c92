"""Domain errors become clear pages (or JSON for /api/), never stack traces."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from engine import (
    ConcurrentUpdate,
    EngineError,
    FieldErrors,
    InstanceNotFound,
    InstanceSuspended,
    NotPermitted,
    NotWaitingForMessage,
    StepFailed,
    TaskAlreadyCompleted,
    TaskNotFound,
    UnsupportedStateFormat,
)

# What a person reads when the code that refused gave no reason of its own.
DEFAULT_MESSAGES = {
    400: "请求的格式不正确，请检查后重试",
    401: "请先登录后再操作",
    403: "您没有权限进行此操作",
    404: "没有找到您要的页面或记录，请检查地址是否正确",
    405: "此地址不支持这种操作",
    409: "操作与当前状态冲突，请刷新后重试",
    413: "上传的内容太大",
    415: "不支持的内容类型",
    429: "操作过于频繁，请稍后再试",
}

STATUS = [
    (TaskAlreadyCompleted, 409, "任务已办理"),
    (NotWaitingForMessage, 409, "操作已不可用"),
    (InstanceSuspended, 409, "事项已暂停"),
    (ConcurrentUpdate, 409, "系统繁忙"),
    (NotPermitted, 403, "无权操作"),
    (TaskNotFound, 404, "任务不存在"),
    (InstanceNotFound, 404, "事项不存在"),
    (StepFailed, 503, "流程故障"),
    (UnsupportedStateFormat, 503, "流程故障"),
    (EngineError, 400, "输入有误"),
]


def _respond(status: int, title: str, message: str, errors: dict[str, str] | None = None) -> Any:
    if request.path.startswith("/open311/"):  # machine clients read the GeoReport format
        from web.open311.formats import error_response

        defaults = {
            404: "没有这个接口地址（见 /open311/v2/discovery.json）",
            405: "此地址不支持该请求方法",
        }
        message = defaults.get(status, message)
        return error_response("xml" if request.path.endswith(".xml") else "json", status, [message])
    if request.path.startswith("/api/"):
        return jsonify(error=title, message=message, errors=errors or {}), status
    return render_template("error.html", title=title, message=message, errors=errors), status


def init_app(app: Flask) -> None:
    @app.errorhandler(EngineError)
    def engine_error(err: EngineError) -> Any:
        for kind, status, title in STATUS:
            if isinstance(err, kind):
                errors = err.errors if isinstance(err, FieldErrors) else None
                return _respond(status, title, str(err), errors)
        return _respond(400, "输入有误", str(err))

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> Any:
        titles = {
            400: "请求有误",
            401: "请先登录",
            403: "无权访问",
            404: "页面不存在",
            405: "不支持的操作",
            413: "上传的文件太大",
        }
        message = err.description or ""
        if message == type(err).description:  # werkzeug's English default: say it in Chinese
            message = DEFAULT_MESSAGES.get(err.code or 500, "请求未能完成，请稍后重试")
        if err.code == 413:
            message = "上传的文件超过大小限制（单张照片不超过 5 MB）"
        return _respond(err.code or 500, titles.get(err.code or 500, "出错了"), message)
