"""The unit's own table of who handles which domain or matter (the lead edits it)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from engine.complaints.assignment import (
    AssignmentRejected,
    remove_assignment,
    set_assignment,
    unit_people,
    unit_table,
)
from engine.core.transactions import run_step
from web.auth.access import roles_required
from web.inbox.common import COUNTY, catalog, is_lead, scope_choices, unit_account
from web.inbox.views import bp
from web.platform import current_platform


def _render(values: dict[str, str] | None = None, errors: dict[str, str] | None = None) -> Any:
    account = unit_account()
    scopes = scope_choices(catalog())
    with current_platform().host.session_factory() as db:
        entries = unit_table(account.unit_id, county=COUNTY, session=db)
        people = unit_people(account.unit_id, county=COUNTY, session=db)
    names = {p.username: p.display_name for p in people}
    return (
        render_template(
            "inbox/assignments.html",
            entries=entries,
            people=people,
            names=names,
            scopes=scopes,
            values=values or {},
            errors=errors or {},
            can_edit=is_lead(account),
            unit_id=account.unit_id,
        ),
        400 if errors else 200,
    )


@bp.get("/assignments")
@roles_required("unit_staff", "unit_lead")
def assignments():  # type: ignore[no-untyped-def]
    return _render()


@bp.post("/assignments")
@roles_required("unit_lead")
def save_assignment():  # type: ignore[no-untyped-def]
    account = unit_account()
    host = current_platform().host
    values = {k: request.form.get(k, "").strip() for k in ("scope", "username")}
    scopes = scope_choices(catalog())
    try:
        run_step(
            host.session_factory,
            lambda db: set_assignment(
                account.unit_id,
                values["scope"],
                values["username"],
                scopes=scopes,
                county=COUNTY,
                actor=account.username,
                now=host.clock.now(),
                session=db,
            ),
        )
    except AssignmentRejected as err:
        return _render(values, err.errors)
    flash(f"已保存：{scopes[values['scope']]} → {values['username']}")
    return redirect(url_for("inbox.assignments"))


@bp.post("/assignments/<int:entry_id>/delete")
@roles_required("unit_lead")
def remove(entry_id: int):  # type: ignore[no-untyped-def]
    account = unit_account()
    host = current_platform().host
    run_step(
        host.session_factory,
        lambda db: remove_assignment(
            account.unit_id,
            entry_id,
            county=COUNTY,
            actor=account.username,
            now=host.clock.now(),
            session=db,
        ),
    )
    flash("已删除该分工")
    return redirect(url_for("inbox.assignments"))
