"""The administrator's page for Open311 client applications: issue a key (shown once),
see when each was last used, revoke. A separate blueprint: unlike the API, it is a page
for a signed-in person and carries CSRF protection."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for

from engine.open311 import ClientRejected, Open311Desk
from web.api.requests import RowIdConverter
from web.auth.access import current_account, roles_required
from web.platform import current_platform
from web.tenancy import current_county

admin_bp = Blueprint("open311_keys", __name__, url_prefix="/admin/open311-keys")
# An id too large for the id column is no client (404), not an overflow in the database (500).
admin_bp.record_once(lambda state: state.app.url_map.converters.setdefault("rowid", RowIdConverter))


def _desk() -> Open311Desk:
    return current_platform().desks.open311


def _page(new_key: str | None = None, error: str | None = None, status: int = 200) -> Any:
    rows = _desk().clients(county=current_county())
    return (
        render_template(
            "open311/keys.html",
            clients=rows,
            new_key=new_key,
            error=error,
            values=request.form if error else {},
        ),
        status,
    )


@admin_bp.get("/")
@roles_required("admin")
def index() -> Any:
    return _page()


@admin_bp.post("/")
@roles_required("admin")
def create() -> Any:
    try:
        per_minute = int(request.form.get("requests_per_minute") or 30)
    except ValueError:
        return _page(error="每分钟请求上限应为整数", status=400)
    try:
        key = _desk().issue_key(
            request.form.get("name", ""),
            contact=request.form.get("contact", ""),
            requests_per_minute=per_minute,
            county=current_county(),
            # Behind login_required, an account is signed in
            actor=current_account().username,  # type: ignore[union-attr]
        )
    except ClientRejected as err:
        return _page(error=str(err), status=400)
    return _page(new_key=key)


@admin_bp.post("/<rowid:client_id>/revoke")
@roles_required("admin")
def revoke_key(client_id: int) -> Any:
    try:
        _desk().revoke(
            client_id,
            county=current_county(),
            # Behind login_required, an account is signed in
            actor=current_account().username,  # type: ignore[union-attr]
        )
    except ClientRejected as err:
        return _page(error=str(err), status=404)
    return redirect(url_for("open311_keys.index"))
