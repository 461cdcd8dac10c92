"""The bureau's side: the expert inbox and the specialty table."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from engine.agri import EXPERT_ROLE, active_experts
from engine.core import FieldErrors
from rules.agri import ANY_CROP
from web.agri.blueprint import bp
from web.agri.common import AGRI_UNIT, agri_desk, bureau_required, display_names, is_bureau
from web.auth.access import current_account, login_required
from web.form_input import row_id
from web.platform import current_platform


def open_count() -> int:
    """Consultations waiting for the signed-in expert or lead (header badge)."""
    account = current_account()
    if not is_bureau(account):
        return 0
    tasks = agri_desk().open_tasks(account.groups, county=account.county)
    return sum(1 for t in tasks if t.task_name != "rate_help")


@bp.get("/expert")
@login_required
def expert_inbox():
    account = bureau_required(current_account())
    desk = agri_desk()
    tasks = [
        t
        for t in desk.open_tasks(account.groups, county=account.county)
        if t.task_name in ("expert_reply", "field_visit")
    ]
    everyone = desk.consultations(county=account.county, limit=200)
    escalated = [c for c in everyone if c.escalations and c.stage == "expert"]
    widespread = [c for c in everyone if c.widespread][:10]
    mine = [c for c in everyone if c.expert == account.username][:30]
    return render_template(
        "agri/expert_inbox.html",
        tasks=tasks,
        escalated=escalated,
        widespread=widespread,
        recent=mine if account.role == EXPERT_ROLE else everyone[:30],
        names=display_names({c.expert for c in everyone}),
        now=current_platform().host.clock.now(),
    )


def _experts() -> list[tuple[str, str]]:
    return active_experts(current_platform().host)


def _may_edit_table(account) -> bool:
    return account.role == "unit_lead" and account.unit_id == AGRI_UNIT


@bp.get("/experts")
@login_required
def experts():
    account = bureau_required(current_account())
    return render_template(
        "agri/experts.html",
        table=agri_desk().specialty_table(county=account.county),
        experts=dict(_experts()),
        editable=_may_edit_table(account),
        any_crop=ANY_CROP,
        errors={},
    )


@bp.post("/experts")
@login_required
def edit_experts():
    account = bureau_required(current_account())
    if not _may_edit_table(account):
        flash("只有农业农村局负责人可以修改专长表")
        return redirect(url_for("agri.experts"))
    desk = agri_desk()
    if request.form.get("remove", "").isdigit():
        if (remove := row_id(request.form["remove"])) is not None:
            desk.remove_specialty(remove, county=account.county)
        flash("已从专长表移除")
        return redirect(url_for("agri.experts"))
    try:
        desk.add_specialty(
            request.form.get("crop", ""), request.form.get("username", ""), county=account.county
        )
    except FieldErrors as err:
        return (
            render_template(
                "agri/experts.html",
                table=desk.specialty_table(county=account.county),
                experts=dict(_experts()),
                editable=True,
                any_crop=ANY_CROP,
                errors=err.errors,
            ),
            400,
        )
    flash("已加入专长表")
    return redirect(url_for("agri.experts"))
