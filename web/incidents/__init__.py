"""The administrator's incident page: open incidents, suspended instances, and the way out
(suspend, resume, retry, move to another version, mark handled) — issue 16."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("incidents", __name__, url_prefix="/admin/incidents")

from web.incidents import views  # noqa: E402,F401  (registers routes)

__all__ = ["bp"]
