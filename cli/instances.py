"""``juhaoban incidents``, ``juhaoban instances`` and ``juhaoban bpmn rollback``: the
operator's way out when a designer's mistake hurts running cases."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

import click

from cli.host import open_host
from engine import EngineError
from engine.core import BlockedInstance, IncidentView, MigrationPlan, OperatorDesk

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
    """Suspend, resume, retry or move a process instance; migrate a version's instances."""


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


def _element(plan: MigrationPlan, element_id: str) -> str:
    name = plan.element_names.get(element_id)
    return f"{name}（{element_id}）" if name else element_id


def _by_reason(blocked: tuple[BlockedInstance, ...]) -> dict[str, list[int]]:
    """Instance ids under each reason, the most common reason first."""
    groups: dict[str, list[int]] = {}
    for item in blocked:
        for reason in item.reasons:
            groups.setdefault(reason, []).append(item.instance_id)
    return dict(sorted(groups.items(), key=lambda kv: -len(kv[1])))


def _echo_blocked(title: str, blocked: tuple[BlockedInstance, ...]) -> None:
    if not blocked:
        return
    click.echo(f"{title} {len(blocked)} 件：")
    for reason, ids in _by_reason(blocked).items():
        shown = "、".join(str(i) for i in ids[:10])
        more = f" 等 {len(ids)} 件" if len(ids) > 10 else ""
        click.echo(f"  - {reason}（{len(ids)} 件）：实例 {shown}{more}")


def _echo_plan(plan: MigrationPlan) -> None:
    click.echo(f"迁移预览：{plan.process_key} 第 {plan.from_version} 版 → 第 {plan.to_version} 版")
    if plan.changed_elements:
        changed = "、".join(_element(plan, e) for e in plan.changed_elements)
        click.echo(f"目标版本中有改动的环节：{changed}")
    click.echo(
        f"可迁移 {len(plan.movable)} 件，按当前环节：" if plan.movable else "没有可迁移的实例"
    )
    for element, count in plan.movable_by_element.items():
        click.echo(f"  - {_element(plan, element)}：{count} 件")
    _echo_blocked("不能迁移", plan.blocked)


@instances_group.command("migrate")
@click.option("--process", "process_key", required=True, help="Process key, e.g. complaint.")
@click.option("--from", "from_version", type=int, required=True, help="Source version number.")
@click.option("--to", "to_version", type=int, required=True, help="Target version number.")
@click.option("--dry-run", is_flag=True, help="Show what would move; change nothing.")
@click.option("--batch-size", type=int, default=50, show_default=True)
@click.option("--actor", default="cli", show_default=True)
def migrate(
    process_key: str, from_version: int, to_version: int, dry_run: bool, batch_size: int, actor: str
) -> None:
    """Move the running instances of one version of PROCESS onto another version: those
    whose elements and data fit the target; the others are listed with the reason."""
    result = _or_exit(
        lambda: _desk().migrate_instances(
            process_key,
            from_version,
            to_version,
            actor=actor,
            dry_run=dry_run,
            batch_size=batch_size,
        )
    )
    _echo_plan(result.plan)
    unmovable = len(result.plan.blocked) + len(result.refused)
    if result.dry_run:
        click.echo(f"试运行：可迁移 {len(result.moved)} 件，{unmovable} 件不能迁移（未作任何改动）")
        return
    _echo_blocked("迁移时发现已不能迁移（预览之后有变化）", result.refused)
    click.echo(f"已迁移 {len(result.moved)} 件，{unmovable} 件不能迁移")


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
