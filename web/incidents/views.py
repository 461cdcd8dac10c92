"""Routes of the incident page; every action calls the operator desk and comes back here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from engine.core import EngineError, OperatorDesk
from web.auth.access import current_account, roles_required
from web.form_input import row_id
from web.incidents import bp
from web.platform import current_desks
from web.tenancy import current_county

ADMINS = ("admin",)


def _desk() -> OperatorDesk:
    """The operator desk of the signed-in administrator's county."""
    return current_desks().operator(current_county())


def _actor() -> str:
    account = current_account()
    return account.username if account is not None else "anonymous"


def _act(action: Callable[[], str]) -> Any:
    """Run one operator action, flash what happened (or why not), and go back to the page."""
    try:
        flash(action())
    except EngineError as err:
        flash(f"未执行：{err}")
    return redirect(url_for("incidents.index"))


@bp.get("/")
@roles_required(*ADMINS)
def index() -> str:
    desk = _desk()
    incidents = desk.incidents()
    suspended = desk.suspended()
    keys = {i.process_key for i in incidents if i.process_key} | {s.process_key for s in suspended}
    return render_template(
        "incidents/index.html",
        incidents=incidents,
        suspended=suspended,
        versions=desk.versions(keys),
    )


@bp.post("/<int:incident_id>/resolve")
@roles_required(*ADMINS)
def resolve(incident_id: int) -> Any:
    def action() -> str:
        _desk().resolve(incident_id, actor=_actor())
        return f"运行异常 #{incident_id} 已标记为已处理"

    return _act(action)


@bp.post("/instances/<int:instance_id>/suspend")
@roles_required(*ADMINS)
def suspend(instance_id: int) -> Any:
    def action() -> str:
        _desk().suspend(instance_id, actor=_actor())
        return f"流程实例 {instance_id} 已暂停：定时器不再触发，办理操作将被拒绝"

    return _act(action)


@bp.post("/instances/<int:instance_id>/resume")
@roles_required(*ADMINS)
def resume(instance_id: int) -> Any:
    def action() -> str:
        _desk().resume(instance_id, actor=_actor())
        return f"流程实例 {instance_id} 已恢复运行"

    return _act(action)


@bp.post("/instances/<int:instance_id>/retry")
@roles_required(*ADMINS)
def retry(instance_id: int) -> Any:
    def action() -> str:
        outcome = _desk().retry(instance_id, actor=_actor())
        resolved = len(outcome.resolved_incidents)
        timers = "到期的定时器将在下一次扫描时触发" if outcome.next_due_at else "没有等待中的定时器"
        return f"流程实例 {instance_id} 已重试：{timers}；{resolved} 个运行异常已标记为已处理"

    return _act(action)


@bp.post("/instances/<int:instance_id>/move")
@roles_required(*ADMINS)
def move(instance_id: int) -> Any:
    target = row_id(request.form.get("definition_id"))
    if target is None:
        flash("未执行：请选择要迁移到的版本")
        return redirect(url_for("incidents.index"))

    def action() -> str:
        outcome = _desk().move(instance_id, target, actor=_actor())
        return (
            f"流程实例 {instance_id} 已从第 {outcome.from_version} 版"
            f"迁移到第 {outcome.to_version} 版"
        )

    return _act(action)
