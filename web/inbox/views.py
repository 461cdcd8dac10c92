"""The unit inbox: my unit's ready tasks, soonest deadline first, with filters."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from engine.complaints import DUE_FILTERS, UNIT_STAGES, InboxFilters, inbox_page, inbox_totals
from web.auth.access import roles_required
from web.counts_cache import cached_count
from web.form_input import page_number
from web.inbox.common import (
    calendar,
    catalog,
    day_end,
    time_left,
    time_left_label,
    unit_account,
)
from web.platform import current_platform

bp = Blueprint("inbox", __name__, url_prefix="/inbox")

PAGE_SIZE = 30
STAGE_LABELS = {
    "sign_for": "待签收",
    "handle": "办理",
    "assist": "协办",
    "listed": "挂账督办",
    "consultation": "联席会商",
}


def _filters(username: str) -> InboxFilters:
    args = request.args
    stage = args.get("stage")
    due = args.get("due")
    return InboxFilters(
        stage=stage if stage in UNIT_STAGES else None,
        due=due if due in DUE_FILTERS else None,
        domain=args.get("domain") or None,
        assignee=username if args.get("mine") == "1" else None,
    )


@bp.get("/")
@roles_required("unit_staff", "unit_lead")
def index():
    account = unit_account()
    platform = current_platform()
    now = platform.host.clock.now()
    end = day_end(now)
    filters = _filters(account.username)
    page = page_number()
    host = platform.host
    rows = inbox_page(
        host,
        account.unit_id,
        filters,
        county=account.county,
        now=now,
        day_end=end,
        limit=PAGE_SIZE + 1,
        offset=(page - 1) * PAGE_SIZE,
    )
    counts = cached_count(
        ("inbox", account.unit_id, account.username),
        lambda: inbox_totals(
            host,
            account.unit_id,
            county=account.county,
            now=now,
            day_end=end,
            username=account.username,
        ),
    )
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    cal = calendar()
    cat = catalog()
    villages = cat.organisation.villages_by_id if cat else {}
    townships = cat.organisation.townships_by_id if cat else {}

    def place(village_id: str) -> str:
        village = villages.get(village_id)
        if village is None:
            return village_id
        township = townships.get(village.township_id)
        return f"{township.name if township else ''}{village.name}"

    items = []
    for row in rows:
        left = time_left(now, row.effective_due, cal)
        items.append({"row": row, "left": left, "short": time_left_label(left)})
    return render_template(
        "inbox/index.html",
        items=items,
        counts=counts,
        filters=filters,
        stage_labels=STAGE_LABELS,
        domains=[d.name for d in cat.domains] if cat else [],
        place=place,
        page=page,
        has_next=has_next,
        unit_id=account.unit_id,
    )
