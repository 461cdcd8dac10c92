"""``juhaoban incidents``, ``juhaoban instances`` and ``juhaoban bpmn rollback``: the
operator's way out when a designer's mistake hurts running cases."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

import click

from cli.host import open_host
from engine import EngineError
from engine.core import IncidentView, OperatorDesk

T = TypeVar("T")


def _desk() -> OperatorDesk:
    return OperatorDesk(open_host())


def _or_exit(action: Callable[[], T]) -> T:
    """Run an operator action; a refusal is printed in full and exits 1, never a traceback."""
    try:
        return action()
    except EngineError as err:
        click.echo(f"未执行：{err}", err=True)
        sys.exit(1)


def _incident_line(view: IncidentView) -> str:
    state = "已处理" if view.resolved_at else "待处理"
    instance = view.instance_id if view.instance_id is not None else "—"
    where = f"流程 {view.process_key} 第 {view.version} 版" if view.process_key else "流程 —"
    business = f" 业务编号 {view.business_key}" if view.business_key else ""
    resolved = (
        f"（{view.resolved_by} 处理于 {view.resolved_at:%Y-%m-%d %H:%M}）"
        if (view.resolved_at)
        else ""
    )
    return (
        f"#{view.id} [{state}] 实例 {instance} {view.kind} {where} "
        f"环节 {view.element_id or '—'}{business} {view.created_at:%Y-%m-%d %H:%M} "
        f"{view.message}{resolved}"
    )


@click.group("incidents", invoke_without_command=True)
@click.option("--all", "show_all", is_flag=True, help="Include resolved incidents.")
@click.pass_context
def incidents_group(ctx: click.Context, show_all: bool) -> None:
    """List incidents operators must look at (failing timers, uncaught BPMN errors)."""
    if ctx.invoked_subcommand is not None:
        return
    views = _desk().incidents(include_resolved=show_all)
    if not views:
        click.echo("没有待处理的运行异常")
    for view in views:
        click.echo(_incident_line(view))


@incidents_group.command("resolve")
@click.argument("incident_id", type=int)
@click.option("--actor", default="cli", show_default=True)
def resolve(incident_id: int, actor: str) -> None:
    """Mark incident INCIDENT_ID handled."""
    _or_exit(lambda: _desk().resolve(incident_id, actor=actor))
    click.echo(f"运行异常 #{incident_id} 已标记为已处理")


@click.group("instances")
def instances_group() -> None:
    """Suspend, resume, retry or move a process instance."""


@instances_group.command("suspend")
@click.argument("instance_id", type=int)
@click.option("--actor", default="cli", show_default=True)
def suspend(instance_id: int, actor: str) -> None:
    """Stop INSTANCE_ID where it is: no timer fires and nobody can act on it."""
    _or_exit(lambda: _desk().suspend(instance_id, actor=actor))
    click.echo(f"流程实例 {instance_id} 已暂停：定时器不再触发，办理操作将被拒绝")


@instances_group.command("resume")
@click.argument("instance_id", type=int)
@click.option("--actor", default="cli", show_default=True)
def resume(instance_id: int, actor: str) -> None:
    """Let a suspended INSTANCE_ID run again."""
    _or_exit(lambda: _desk().resume(instance_id, actor=actor))
    click.echo(f"流程实例 {instance_id} 已恢复运行")


@instances_group.command("retry")
@click.argument("instance_id", type=int)
@click.option("--actor", default="cli", show_default=True)
def retry(instance_id: int, actor: str) -> None:
    """Retry INSTANCE_ID after a fix: its timers fire again on the next sweep."""
    outcome = _or_exit(lambda: _desk().retry(instance_id, actor=actor))
    due = (
        f"下一个定时器 {outcome.next_due_at:%Y-%m-%d %H:%M}（UTC）到期后触发"
        if outcome.next_due_at
        else "当前没有等待中的定时器"
    )
    resolved = f"，{len(outcome.resolved_incidents)} 个运行异常已标记为已处理"
    click.echo(
        f"流程实例 {instance_id} 已重试：{due}{resolved if outcome.resolved_incidents else ''}"
    )


@instances_group.command("move")
@click.argument("instance_id", type=int)
@click.option("--to-version", "version", type=int, required=True, help="Version number.")
@click.option("--actor", default="cli", show_default=True)
def move(instance_id: int, version: int, actor: str) -> None:
    """Move INSTANCE_ID onto another version of its process."""
    outcome = _or_exit(lambda: _desk().move_to_version(instance_id, version, actor=actor))
    click.echo(
        f"流程实例 {instance_id} 已从 {outcome.process_key} 第 {outcome.from_version} 版"
        f"迁移到第 {outcome.to_version} 版"
    )


@click.command("rollback")
@click.argument("process_key")
@click.option("--actor", default="cli", show_default=True)
def rollback_command(process_key: str, actor: str) -> None:
    """Withdraw the version new instances of PROCESS_KEY start on, so they start on the
    previous one again (running instances stay where they are)."""
    withdrawal = _or_exit(lambda: _desk().roll_back(process_key, actor=actor))
    click.echo(
        f"已撤回 {process_key} 第 {withdrawal.withdrawn_version} 版；"
        f"新受理的诉求将使用第 {withdrawal.current_version} 版。"
        f"已在第 {withdrawal.withdrawn_version} 版上运行的实例保持不变"
        f"（可用 juhaoban instances move ID --to-version {withdrawal.current_version} 迁移）"
    )
