"""Report pages (being built out: see issue 5)."""

from __future__ import annotations

from flask import Blueprint, render_template

from web.auth.access import roles_required

bp = Blueprint("report", __name__, url_prefix="/report")


@bp.get("/new")
def new():  # type: ignore[no-untyped-def]
    return render_template("report/new.html")


@bp.get("/track")
def track():  # type: ignore[no-untyped-def]
    return render_template("report/track.html")


@bp.get("/mine")
@roles_required("resident", "grid_worker")
def mine():  # type: ignore[no-untyped-def]
    return render_template("report/mine.html")
