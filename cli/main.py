"""The ``juhaoban`` command line: database, server, worker, and BPMN definitions."""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path

import click

from analytics import jobs as analytics_jobs
from cli.analytics import analytics_group
from cli.backup import backup_command, restore_command
from cli.calendar import calendar_group
from cli.catalog import catalog_group, route_command
from cli.db import SchemaCheckedGroup, db_group, run_upgrade
from cli.demo.seed import seed_demo_county
from cli.instances import incidents_group, instances_group, rollback_command
from cli.intake import intake_group
from cli.open311 import open311_group
from cli.simulate import simulate_command
from cli.users import users_group
from engine import DefinitionInvalid
from engine.bootstrap import build_host, open_database
from engine.core import (
    DeployRefused,
    EngineConfig,
    Rehearsal,
    called_documents,
    deploy_gated,
    parse_definition,
)
from engine.desks import wire_desks
from engine.scheduler import TimerScheduler, default_worker_id
from web.logging_setup import configure_from_env as configure_logging_from_env

BPMN_DIR = Path(__file__).resolve().parent.parent / "bpmn"


def _print_problems(source: str, err: DefinitionInvalid) -> None:
    click.echo(f"{source}：发现 {len(err.problems)} 个问题", err=True)
    for problem in err.problems:
        fix = f"（建议改为 {problem.fix}）" if problem.fix else ""
        inside = f"（在子流程 {' › '.join(problem.path)} 中）" if problem.path else ""
        click.echo(f"  - {problem}{inside}{fix}  [{problem.code}]", err=True)
        if problem.detail:
            # The engine's own English words, for whoever has to dig deeper.
            click.echo(f"      原文：{problem.detail}", err=True)


@click.group(cls=SchemaCheckedGroup)
def main() -> None:
    """巨好办 county complaint platform."""


@main.command("init-db")
def init_db() -> None:
    """Create the database tables, or upgrade them to the newest revision (idempotent)."""
    config = EngineConfig.from_env()
    engine = open_database(config)
    try:
        run_upgrade(engine)
    finally:
        engine.dispose()
    click.echo(f"数据库已就绪：{config.database_url}")


@main.command("demo")
def demo() -> None:
    """Prepare the demo county: tables, and every process definition in bpmn/ deployed."""
    host = build_host(EngineConfig.from_env(), create_tables=True)
    diagrams = sorted(BPMN_DIR.glob("*.bpmn"))
    for path in diagrams:
        try:
            deployment = host.deploy_file(path, actor="demo")
        except DefinitionInvalid as err:
            _print_problems(path.name, err)
            sys.exit(1)
        state = "新部署" if deployment.created else "已是最新"
        click.echo(f"流程 {deployment.process_key} 第 {deployment.version} 版（{state}）")
    seed_demo_county(host, echo=click.echo)
    click.echo(f"演示数据已就绪：{len(diagrams)} 个流程定义")


@main.command("serve")
@click.option("--host", "bind", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(bind: str, port: int) -> None:
    """Web server and timer scheduler in one process (the embedded default)."""
    from web import create_app
    from web.report.suggestions import warm_up

    app = create_app({"START_SCHEDULER": True})
    warm_up(app)  # fits the suggestion models in the background
    click.echo(f"巨好办已启动：http://{bind}:{port}/")
    app.run(host=bind, port=port, threaded=True, use_reloader=False)


@main.command("worker")
@click.option("--interval", default=None, type=float, help="Sweep interval in seconds.")
@click.option("--worker-id", default=None, help="Lock owner name (default host:pid).")
def worker(interval: float | None, worker_id: str | None) -> None:
    """Scheduler only: fire due timers and run scheduled jobs (run several, anywhere)."""
    configure_logging_from_env()  # JUHAOBAN_LOG_FORMAT / JUHAOBAN_LOG_LEVEL
    config = EngineConfig.from_env()
    host = build_host(config, create_tables=True)
    wire_desks(host)  # the service operations the timers' service tasks call
    scheduler = TimerScheduler(
        host,
        interval_s=interval or config.sweep_interval_s,
        worker_id=worker_id or default_worker_id(),
        uploads_dir=config.instance_dir / "uploads",  # as web.app's Platform has it
    )
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    scheduler.start()
    analytics_jobs.register(scheduler, host)
    click.echo(f"定时任务进程 {scheduler.worker_id} 已启动，扫描间隔 {scheduler.interval_s} 秒")
    stop.wait()
    scheduler.shutdown()


@main.command("sweep")
def sweep_once() -> None:
    """Fire every timer that is due now, once, and print what happened as JSON."""
    host = build_host(EngineConfig.from_env(), create_tables=True)
    result = host.sweep(worker_id=default_worker_id())
    click.echo(
        json.dumps(
            {
                "claimed": result.claimed,
                "fired": result.fired,
                "failed": result.failed,
                "incidents": result.incidents,
            }
        )
    )


@main.group("bpmn")
def bpmn() -> None:
    """Validate and deploy process definitions."""


def _dmn_beside(path: Path) -> tuple[bytes, ...]:
    return tuple(p.read_bytes() for p in sorted(path.parent.glob("*.dmn")))


@bpmn.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--process-key", default=None)
def bpmn_validate(files: tuple[str, ...], process_key: str | None) -> None:
    """Parse and lint FILES; exit 1 if any has problems."""
    failed = False
    for name in files:
        path = Path(name)
        try:
            parsed = parse_definition(
                path.read_bytes(),
                _dmn_beside(path),
                process_key=process_key,
                source_name=path.name,
                called_bpmn=called_documents(path),
            )
        except DefinitionInvalid as err:
            _print_problems(path.name, err)
            failed = True
            continue
        tasks = len(parsed.task_meta)
        click.echo(f"{path.name}：校验通过（流程 {parsed.process_key}，{tasks} 个人工任务）")
    sys.exit(1 if failed else 0)


def _print_rehearsal(rehearsal: Rehearsal) -> None:
    click.echo(
        f"回放最近 {rehearsal.sampled} 件：{rehearsal.same_stages} 件环节相同，"
        f"{len(rehearsal.diverged)} 件路径不同，{len(rehearsal.failed)} 件出错"
    )
    for failure in rehearsal.failed:
        click.echo(
            f"  - 出错：实例 {failure.instance_id}（{failure.business_key or '无业务编号'}）"
            f"在元素 {failure.element_id or '（未知）'}：{failure.error}",
            err=True,
        )
    for divergence in rehearsal.diverged:
        click.echo(
            f"  - 路径不同：实例 {divergence.instance_id} 在 "
            f"{divergence.element_id or '（未知）'}：{divergence.reason}"
        )


@bpmn.command("deploy")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--process-key", default=None)
@click.option("--actor", default="cli", show_default=True)
@click.option(
    "--override",
    "override_reason",
    default=None,
    metavar="REASON",
    help="Deploy even though replaying recent cases raised errors (audited with REASON).",
)
def bpmn_deploy(
    file: str, process_key: str | None, actor: str, override_reason: str | None
) -> None:
    """Validate FILE (with the .dmn files beside it) and deploy it as a new version.

    When the process has instances, its recent cases are replayed on the new version first;
    a version whose replay raises errors is refused unless --override gives a reason.
    """
    host = build_host(EngineConfig.from_env(), create_tables=True)
    wire_desks(host)  # the replayed cases call the domains' service operations
    path = Path(file)
    try:
        deployment, rehearsal = deploy_gated(
            host,
            path.read_bytes(),
            _dmn_beside(path),
            process_key=process_key,
            source_name=path.name,
            called_bpmn=called_documents(path),
            actor=actor,
            override_reason=override_reason,
        )
    except DefinitionInvalid as err:
        _print_problems(path.name, err)
        sys.exit(1)
    except DeployRefused as err:
        _print_rehearsal(err.rehearsal)
        click.echo(f"{path.name}：{err}（--override 理由）", err=True)
        sys.exit(1)
    if rehearsal is not None:
        _print_rehearsal(rehearsal)
        if rehearsal.failed:
            click.echo(f"已强制部署，理由已记入审计日志：{override_reason}")
    if deployment.created:
        click.echo(f"已部署 {deployment.process_key} 第 {deployment.version} 版")
    else:
        click.echo(f"内容未变，沿用 {deployment.process_key} 第 {deployment.version} 版")
    if deployment.reinstated:
        click.echo(f"第 {deployment.version} 版此前已撤回，重新部署相同内容后已恢复可用")


bpmn.add_command(rollback_command)
main.add_command(incidents_group)
main.add_command(instances_group)
main.add_command(catalog_group)
main.add_command(calendar_group)
main.add_command(analytics_group)
main.add_command(route_command)
main.add_command(open311_group)
main.add_command(simulate_command)
main.add_command(users_group)
main.add_command(intake_group)
main.add_command(db_group)
main.add_command(backup_command)
main.add_command(restore_command)


if __name__ == "__main__":
    main()
