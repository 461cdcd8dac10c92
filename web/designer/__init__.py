"""The process designer: definitions and their versions, drafts, validation, deployment,
diffs and instance views (issue 6)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("designer", __name__, url_prefix="/designer")
