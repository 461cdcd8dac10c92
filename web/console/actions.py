"""Completing a console task: the form is built from the task's whitelisted fields, unit
ids are checked against the organisation tree, and the host decides who may act."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for

from engine.complaints import console_task, task_forms
from engine.core import FormField, FormRejected, NotPermitted, TaskAlreadyCompleted, may_act
from engine.intake import matter_problem_for
from engine.people import actor_of
from web.auth.access import current_account, roles_required
from web.console.blueprint import FORM_PAGES, RETURN_TO, bp
from web.console.units import known_units, split_units
from web.platform import current_platform

# Fields holding one unit id / comma-separated unit ids; pickers post ``<field>_pick``.
UNIT_FIELDS = {"primary_unit", "new_primary_unit", "decided_primary"}
UNIT_LIST_FIELDS = {"supporting_units_text", "new_supporting_units_text", "decided_supporting_text"}
DONE = {
    "determine": "已确定责任单位并派单",
    "adjudicate": "裁定已提交",
    "approve_extension": "延期审批已提交",
    "approve_listing": "挂账审批已提交",
    "supervise": "督办意见已提交",
    "final_supervision": "督办意见已提交",
    "convene": "会商已召集，已通知各方陈述意见",
    "decide": "会商决定已提交",
}


def form_fields(instance_id: int, task_name: str) -> tuple[FormField, ...]:
    forms = task_forms(current_platform().host, instance_id)
    if forms is None:
        abort(404)
    meta = forms.get(task_name)
    return meta.form_fields if meta else ()


def collect(fields: tuple[FormField, ...]) -> dict[str, Any]:
    """Every whitelisted field from the request (scripts read them all, so absent ones are
    sent empty; an unticked box is false)."""
    form: dict[str, Any] = {}
    for spec in fields:
        value = request.form.get(spec.id, "").strip()
        if spec.id in UNIT_LIST_FIELDS:
            picked = request.form.getlist(f"{spec.id}_pick")
            value = ",".join(dict.fromkeys([*picked, *split_units(value)]))
        if spec.type == "boolean":
            form[spec.id] = value if value else "false"
        elif spec.type in ("enum", "date") and not value:
            continue  # let the whitelist say it is required, instead of "not one of"
        elif spec.id == "matter_id" and not value:
            continue  # no matter chosen: the case keeps the one it has
        else:
            form[spec.id] = value
    return form


def matter_errors(item: Any, form: dict[str, Any]) -> dict[str, str]:
    """The 事项类别 a dispatcher chose must be a matter of the case's catalog. On a ruling it
    is a correction that goes with 改派 only (the same matter again is simply dropped)."""
    chosen = form.get("matter_id")
    if not chosen:
        return {}
    if item.task_name == "adjudicate" and form.get("ruling") != "reroute":
        if chosen == item.complaint.matter_id:
            del form["matter_id"]
            return {}
        return {"matter_id": "维持原派单或提请会商时不能更正事项类别；更正事项请选择改派"}
    platform = current_platform()
    problem = matter_problem_for(
        platform.host, item.complaint, chosen, registry=platform.desk.catalogs
    )
    return {"matter_id": problem} if problem else {}


def unit_errors(form: dict[str, Any]) -> dict[str, str]:
    known = known_units()
    errors = {}
    for key, value in form.items():
        if key in UNIT_FIELDS and value and value not in known:
            errors[key] = f"单位“{value}”不在组织架构中，请从列表中选择"
        if key in UNIT_LIST_FIELDS:
            unknown = [u for u in split_units(value) if u not in known]
            if unknown:
                errors[key] = f"单位“{'、'.join(unknown)}”不在组织架构中"
    return errors


@bp.post("/tasks/<task_id>")
@roles_required("dispatcher", "dispatch_lead", "orgdept")
def act(task_id: str):
    platform = current_platform()
    item = console_task(platform.host, task_id)
    if item is None or item.task_name not in FORM_PAGES:
        abort(404, description="任务不存在或不在调度台办理")
    account = current_account()
    if account is None or not may_act(
        item.candidate_groups, None, account.username, account.groups
    ):
        raise NotPermitted("您无权办理该任务：它不属于您所在的单位或岗位")
    if item.state != "ready":
        raise TaskAlreadyCompleted(task_id, item.completed_by, item.state)
    form = collect(form_fields(item.complaint.instance_id or 0, item.task_name))
    errors = unit_errors(form) | matter_errors(item, form)
    if not errors:
        try:
            platform.host.complete_task(
                task_id, form, actor=actor_of(account), groups=account.groups
            )
        except FormRejected as rejected:
            errors = rejected.errors
    if errors:
        return FORM_PAGES[item.task_name](item, errors, {**request.form.to_dict(), **form}), 400
    flash(f"{item.complaint.tracking_code}：{DONE.get(item.task_name, '已提交')}")
    return redirect(safe_next() or url_for(RETURN_TO[item.task_name]))


def safe_next() -> str | None:
    """Where the form asked to go back to, if it is a console page of this site."""
    target = request.form.get("next") or ""
    return target if target.startswith("/console/") and "//" not in target else None
