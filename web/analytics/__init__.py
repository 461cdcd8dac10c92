"""Leaders' analytics: dashboard, heat map, red/black lists, analysis reports (issue 8)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("analytics", __name__, url_prefix="/analytics")
