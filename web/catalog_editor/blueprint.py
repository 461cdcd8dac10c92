"""The catalog editor's blueprint (its views live in the sibling modules)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("catalog_editor", __name__, url_prefix="/catalog")
