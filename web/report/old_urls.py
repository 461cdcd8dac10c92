"""Addresses the reporter's case pages had before they moved under ``/cases`` (the vocabulary
of issue 23: a report is the act, a case page the view). Tracking links were printed on slips
and sent by SMS, and pages were bookmarked, so every old address keeps working: a GET is
redirected permanently (301) with its query string, a POST with 308 so the browser resends
the same form to the new address."""

from __future__ import annotations

from flask import redirect, request, url_for
from werkzeug.wrappers import Response

from web.report.blueprint import bp


def _moved(endpoint: str, **values: object) -> Response:
    target = url_for(endpoint, **values)
    if request.query_string:
        target += "?" + request.query_string.decode("latin-1")
    return redirect(target, code=308 if request.method == "POST" else 301)


@bp.get("/mine")
def old_mine() -> Response:
    return _moved("reporter_cases.mine")


@bp.get("/mine/<int:complaint_id>")
def old_mine_detail(complaint_id: int) -> Response:
    return _moved("reporter_cases.detail", complaint_id=complaint_id)


@bp.post("/mine/<int:complaint_id>/rate")
def old_mine_rate(complaint_id: int) -> Response:
    return _moved("reporter_cases.rate", complaint_id=complaint_id)


@bp.get("/track")
def old_track() -> Response:
    return _moved("reporter_cases.track")


@bp.post("/track/<code>/verify")
def old_verify(code: str) -> Response:
    return _moved("reporter_cases.verify", code=code)


@bp.post("/track/<code>/rate")
def old_rate_public(code: str) -> Response:
    return _moved("reporter_cases.rate_public", code=code)


@bp.get("/photos/<int:complaint_id>/<name>")
def old_photo(complaint_id: int, name: str) -> Response:
    return _moved("reporter_cases.photo", complaint_id=complaint_id, name=name)
