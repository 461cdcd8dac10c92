"""Addresses the reporter's case pages had before they moved under ``/cases`` (the vocabulary
of issue 23: a report is the act, a case page the view). Tracking links were printed on slips
and sent by SMS, and pages were bookmarked, so every old address keeps working: a GET is
redirected permanently (301) with its query string, a POST with 308 so the browser resends
the same form to the new address."""

from __future__ import annotations

from collections.abc import Callable

from flask import redirect, request, url_for
from werkzeug.wrappers import Response

from web.report.blueprint import bp

# (old rule under /report, endpoint of the page it moved to)
MOVED = (
    ("/mine", "mine"),
    ("/mine/<int:complaint_id>", "detail"),
    ("/mine/<int:complaint_id>/rate", "rate"),
    ("/track", "track"),
    ("/track/<code>/verify", "verify"),
    ("/track/<code>/rate", "rate_public"),
    ("/photos/<int:complaint_id>/<name>", "photo"),
)


def _redirect_to(endpoint: str) -> Callable[..., Response]:
    def moved(**values: object) -> Response:
        target = url_for(f"reporter_cases.{endpoint}", **values)
        if request.query_string:
            target += "?" + request.query_string.decode("latin-1")
        return redirect(target, code=308 if request.method == "POST" else 301)

    return moved


for rule, endpoint in MOVED:
    # The methods the page itself answers: a GET page stays GET, a form target stays POST.
    methods = ["POST"] if rule.endswith(("/rate", "/verify")) else ["GET"]
    bp.add_url_rule(rule, f"old_{endpoint}", _redirect_to(endpoint), methods=methods)
