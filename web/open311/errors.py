"""Errors in the spec's format for everything under /open311/v2, and the OpenAPI document."""

from __future__ import annotations

from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException

from web.open311 import bp
from web.open311.formats import Open311Error, error_response
from web.open311.openapi import document


def requested_format() -> str:
    return "xml" if request.path.endswith(".xml") else "json"


@bp.errorhandler(Open311Error)
def open311_error(err: Open311Error) -> Response:
    return error_response(requested_format(), err.status, [err.description])


@bp.errorhandler(HTTPException)
def http_error(err: HTTPException) -> Response:
    messages = {404: "没有这个接口地址", 405: "此地址不支持该请求方法", 413: "请求过大"}
    return error_response(
        requested_format(), err.code or 500, [messages.get(err.code or 500, err.description or "")]
    )


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(document())
