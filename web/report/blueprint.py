"""The report blueprint object, shared by the view modules of this package."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("report", __name__, url_prefix="/report")
