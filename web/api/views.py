"""JSON endpoints (being built out: see issue 5)."""

from __future__ import annotations

from flask import Blueprint, jsonify

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/health")
def health():  # type: ignore[no-untyped-def]
    return jsonify(status="ok")
