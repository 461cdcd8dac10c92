"""The overdue board with supervision, and the ledger of listed supervision."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from engine.complaints import SUPERVISION_NOTE_LIMIT, QueueItem, listed_ledger, overdue_board
from engine.core import EngineError, NotPermitted
from engine.people import actor_of
from web.auth.access import current_account, roles_required
from web.console.blueprint import bp, form_page
from web.console.views import PAGE, page_number
from web.labels import unit_name
from web.platform import current_platform
from web.tenancy import current_county

LISTED_STALE_DAYS = 30  # the listed_cycle timer asks for a check-in every 30 days


@bp.get("/overdue")
@roles_required("dispatcher", "dispatch_lead")
def overdue():
    return render_overdue()


@bp.post("/overdue/<int:complaint_id>/supervise-sign-for")
@roles_required("dispatcher", "dispatch_lead")
def supervise_sign_for(complaint_id: int):
    """督办签收: press the unit that let a case's sign-for deadline pass (the diagram notifies
    it; the step is audited)."""
    account = current_account()
    if account is None or "dispatcher" not in account.groups:
        raise NotPermitted("只有调度中心可以督办")
    note = request.form.get("supervision_note", "").strip()
    if len(note) > SUPERVISION_NOTE_LIMIT:
        errors = {"supervision_note": f"督办意见不能超过 {SUPERVISION_NOTE_LIMIT} 字"}
        return render_overdue(
            errors=errors, values=dict(request.form), sign_failed=complaint_id
        ), 400
    try:
        unit = current_platform().desk.supervise_sign_for(
            complaint_id, note=note, actor=actor_of(account)
        )
    except EngineError as err:
        flash(f"未能督办：{err}")
    else:
        flash(f"已督办签收，已通知{unit_name(unit)}")
    return redirect(url_for("console.overdue"))


@form_page("supervise", "final_supervision", endpoint="console.overdue")
def render_overdue(
    failed: QueueItem | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    sign_failed: int | None = None,
) -> str:
    host = current_platform().host
    page = page_number()
    now = host.clock.now()
    found = overdue_board(host, county=current_county(), limit=PAGE, offset=(page - 1) * PAGE)
    return render_template(
        "console/overdue.html",
        now=now,
        total=found.total,
        board=found.board,
        page=page,
        per_page=PAGE,
        final=found.final,
        final_count=found.final_count,
        sign_supervised=found.sign_supervised,
        sign_failed=sign_failed,
        failed=failed.task_id if failed else None,
        errors=errors or {},
        values=values or {},
    )


@bp.get("/listed")
@roles_required("dispatcher", "dispatch_lead")
def listed():
    host = current_platform().host
    ledger = listed_ledger(host, county=current_county())
    return render_template(
        "console/listed.html", ledger=ledger, now=host.clock.now(), stale_days=LISTED_STALE_DAYS
    )
