"""The shared text rule (engine.complaints.intake.text_problem) over every Open311 request:
a NUL character or a lone surrogate in the path, the query string or a form field is a 400 in
the GeoReport error format, before any lookup or write reaches the database (PostgreSQL
refuses NUL in text, and the answer would otherwise be a 500)."""

from __future__ import annotations

from flask import request

from engine.complaints import text_problem
from web.open311 import bp
from web.open311.formats import Open311Error

# Route variables by the names the specification (and our OpenAPI document) gives them.
_PATH_NAMES = {"request_id": "service_request_id", "code": "service_code"}


@bp.before_request
def refuse_unstorable_text() -> None:
    fields = [
        (_PATH_NAMES.get(name, name), str(value))
        for name, value in (request.view_args or {}).items()
    ]
    for source in (request.args, request.form):
        for name, values in source.lists():
            fields.append(("参数名", name))
            fields.extend((name, value) for value in values)
    for name, value in fields:
        if (problem := text_problem(value)) is not None:
            shown = name if text_problem(name) is None else "参数名"
            raise Open311Error(400, f"{shown}：{problem}")
