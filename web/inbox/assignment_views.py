"""The unit's own table of who handles which domain or matter (the lead edits it)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from engine.complaints import AssignmentRejected, assignment_table, unit_staff
from engine.people import actor_of
from web.auth.access import roles_required
from web.inbox.common import catalog, is_lead, scope_choices, unit_account
from web.inbox.views import bp
from web.platform import current_desks, current_platform


def _render(values: dict[str, str] | None = None, errors: dict[str, str] | None = None) -> Any:
    account = unit_account()
    scopes = scope_choices(catalog())
    host = current_platform().host
    entries = assignment_table(host, account.unit_id, county=account.county)
    people = unit_staff(host, account.unit_id, county=account.county)
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
def assignments():
    return _render()


@bp.post("/assignments")
@roles_required("unit_lead")
def save_assignment():
    account = unit_account()
    values = {k: request.form.get(k, "").strip() for k in ("scope", "username")}
    scopes = scope_choices(catalog())
    try:
        current_desks().assignments.set_entry(
            account.unit_id,
            values["scope"],
            values["username"],
            scopes=scopes,
            county=account.county,
            actor=actor_of(account),
        )
    except AssignmentRejected as err:
        return _render(values, err.errors)
    flash(f"已保存：{scopes[values['scope']]} → {values['username']}")
    return redirect(url_for("inbox.assignments"))


@bp.post("/assignments/<int:entry_id>/delete")
@roles_required("unit_lead")
def remove(entry_id: int):
    account = unit_account()
    current_desks().assignments.remove_entry(
        account.unit_id, entry_id, county=account.county, actor=actor_of(account)
    )
    flash("已删除该分工")
    return redirect(url_for("inbox.assignments"))
