"""The overdue board with supervision, and the ledger of listed supervision."""

from __future__ import annotations

from typing import Any

from flask import render_template

from engine.complaints import console_queries as q
from web.auth.access import roles_required
from web.console.blueprint import bp, form_page
from web.console.views import COUNTY, PAGE, page_number
from web.platform import current_platform

LISTED_STALE_DAYS = 30  # the listed_cycle timer asks for a check-in every 30 days


@bp.get("/overdue")
@roles_required("dispatcher", "dispatch_lead")
def overdue():  # type: ignore[no-untyped-def]
    return render_overdue()


@form_page("supervise", "final_supervision", endpoint="console.overdue")
def render_overdue(
    failed: q.QueueItem | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> str:
    host = current_platform().host
    page = page_number()
    now = host.clock.now()
    with host.session_factory() as db:
        total, board = q.overdue_board(
            county=COUNTY, now=now, session=db, limit=PAGE, offset=(page - 1) * PAGE
        )
        final = q.queue(("final_supervision",), county=COUNTY, session=db, limit=PAGE)
        final_count = q.queue_counts(county=COUNTY, session=db)["final_supervision"]
        callbacks = q.forms(
            [i.complaint.instance_id or 0 for i in final], ("callback",), session=db
        )
    return render_template(
        "console/overdue.html",
        now=now,
        total=total,
        board=board,
        page=page,
        per_page=PAGE,
        final=[(i, (callbacks.get(i.complaint.instance_id or 0) or [None])[-1]) for i in final],
        final_count=final_count,
        failed=failed.task_id if failed else None,
        errors=errors or {},
        values=values or {},
    )


@bp.get("/listed")
@roles_required("dispatcher", "dispatch_lead")
def listed():  # type: ignore[no-untyped-def]
    host = current_platform().host
    with host.session_factory() as db:
        ledger = q.listed_ledger(county=COUNTY, session=db)
    return render_template(
        "console/listed.html", ledger=ledger, now=host.clock.now(), stale_days=LISTED_STALE_DAYS
    )
