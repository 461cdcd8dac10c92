"""The organisation department's catalog editor: drafts, consultation, publication,
contested matters (issue 7)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("catalog_editor", __name__, url_prefix="/catalog")
