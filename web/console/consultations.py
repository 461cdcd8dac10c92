"""Joint consultations: the cases, each party's position, the convener's forms, and the
catalog amendments the consultations proposed."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template

from engine.complaints import QueueItem, consultation_cases
from web.auth.access import current_account, roles_required
from web.console.blueprint import bp, form_page
from web.console.units import unit_groups
from web.platform import current_platform
from web.tenancy import current_county

ROLES = ("dispatcher", "dispatch_lead", "orgdept")


@bp.get("/consultations")
@roles_required(*ROLES)
def consultations():
    cases, proposals = consultation_cases(current_platform().host, county=current_county())
    return render_template("console/consultations.html", cases=cases, proposals=proposals)


@bp.get("/consultations/<int:complaint_id>")
@roles_required(*ROLES)
def consultation(complaint_id: int):
    return render_consultation(complaint_id)


@form_page("convene", "decide", endpoint="console.consultations")
def render_consultation_form(
    item: QueueItem, errors: dict[str, str], values: dict[str, Any]
) -> str:
    return render_consultation(item.complaint.id, errors, values)


def render_consultation(
    complaint_id: int,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> str:
    found, proposals = consultation_cases(
        current_platform().host, county=current_county(), complaint_id=complaint_id
    )
    if not found:
        abort(404, description="该事项当前不在联席会商中")
    account = current_account()
    case = found[0]
    return render_template(
        "console/consultation.html",
        case=case,
        c=case.complaint,
        may_convene="orgdept" in (account.groups if account else ()),
        proposals=proposals,
        units=unit_groups(),
        errors=errors or {},
        values=values or {},
    )
