"""Dispatcher console pages (being built out: see issue 5)."""

from __future__ import annotations

from flask import Blueprint, render_template

from web.auth.access import roles_required

bp = Blueprint("console", __name__, url_prefix="/console")


@bp.get("/")
@roles_required("dispatcher", "dispatch_lead")
def index():  # type: ignore[no-untyped-def]
    return render_template("console/index.html")


@bp.get("/consultations")
@roles_required("dispatcher", "dispatch_lead", "orgdept")
def consultations():  # type: ignore[no-untyped-def]
    return render_template("console/consultations.html")
