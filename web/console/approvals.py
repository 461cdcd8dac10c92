"""Extension and listing requests the dispatcher approves or refuses."""

from __future__ import annotations

from typing import Any

from flask import render_template

from engine.complaints import console_queries as q
from web.auth.access import roles_required
from web.console.blueprint import bp, form_page
from web.console.views import COUNTY
from web.platform import current_platform

LIMIT = 100


@bp.get("/approvals")
@roles_required("dispatcher", "dispatch_lead")
def approvals():  # type: ignore[no-untyped-def]
    return render_approvals()


@form_page("approve_extension", "approve_listing", endpoint="console.approvals")
def render_approvals(
    failed: q.QueueItem | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> str:
    with current_platform().host.session_factory() as db:
        counts = q.queue_counts(county=COUNTY, session=db)
        extensions = q.queue(("approve_extension",), county=COUNTY, session=db, limit=LIMIT)
        listings = q.queue(("approve_listing",), county=COUNTY, session=db, limit=LIMIT)
        ids = [i.complaint.instance_id or 0 for i in extensions + listings]
        handled = q.forms(ids, ("handle",), session=db)
    return render_template(
        "console/approvals.html",
        counts=counts,
        extensions=[(i, _request(handled, i, "extension")) for i in extensions],
        listings=[(i, _request(handled, i, "list")) for i in listings],
        failed=failed.task_id if failed else None,
        errors=errors or {},
        values=values or {},
    )


def _request(
    handled: dict[int, list[q.FormRecord]], item: q.QueueItem, outcome: str
) -> q.FormRecord | None:
    """The unit's latest handling form that asked for this (extension date and reason,
    or the listing plan)."""
    asked = [
        r
        for r in handled.get(item.complaint.instance_id or 0, [])
        if r.form.get("outcome") == outcome
    ]
    return asked[-1] if asked else None
