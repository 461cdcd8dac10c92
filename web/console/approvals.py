"""Extension and listing requests the dispatcher approves or refuses."""

from __future__ import annotations

from typing import Any

from flask import render_template

from engine.complaints import QueueItem, approval_requests
from web.auth.access import roles_required
from web.console.blueprint import bp, form_page
from web.platform import current_platform
from web.tenancy import current_county

LIMIT = 100


@bp.get("/approvals")
@roles_required("dispatcher", "dispatch_lead")
def approvals():
    return render_approvals()


@form_page("approve_extension", "approve_listing", endpoint="console.approvals")
def render_approvals(
    failed: QueueItem | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> str:
    found = approval_requests(current_platform().host, county=current_county(), limit=LIMIT)
    return render_template(
        "console/approvals.html",
        counts=found.counts,
        extensions=found.extensions,
        listings=found.listings,
        failed=failed.task_id if failed else None,
        errors=errors or {},
        values=values or {},
    )
