"""Unit inbox pages (being built out: see issue 5)."""

from __future__ import annotations

from flask import Blueprint, render_template

from web.auth.access import roles_required

bp = Blueprint("inbox", __name__, url_prefix="/inbox")


@bp.get("/")
@roles_required("unit_staff", "unit_lead")
def index():  # type: ignore[no-untyped-def]
    return render_template("inbox/index.html")
