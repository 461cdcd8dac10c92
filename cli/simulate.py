"""``juhaoban simulate``: the county simulator (simulation/), one JSON object on stdout."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from rules import CHINA_TZ
from simulation.loop import LoopStats
from simulation.parameters import load_parameters
from simulation.replay import replay
from simulation.run import DEFAULT_START, RunSpec, simulate
from simulation.shards import simulate_sharded
from simulation.whatif import compare_catalogs, draft_and_in_force, months_before
from simulation.whatif_excel import write_xlsx

BUILD = Path(__file__).resolve().parent.parent / "build"


def _fresh_sqlite(name: str) -> str:
    BUILD.mkdir(exist_ok=True)
    path = BUILD / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


@dataclass(frozen=True)
class Progress:
    """One line on stderr per simulated month, with the wall time since the command started:
    a full replay runs for hours. Shards call it from their own processes (it pickles), and
    ``time.monotonic`` is one clock for every process of the machine."""

    started: float = field(default_factory=time.monotonic)

    def __call__(self, now: datetime, stats: LoopStats, shard: int | None = None) -> None:
        who = "" if shard is None else f"分片 {shard} "
        month = now.astimezone(CHINA_TZ)
        click.echo(
            f"{who}模拟至 {month:%Y-%m}：诉求 {stats.requests} 件，步骤 {stats.steps}，"
            f"定时器触发 {stats.timers_fired} 次，用时 {_clock(time.monotonic() - self.started)}",
            err=True,
        )


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


@click.command("simulate")
@click.option("--months", type=float, default=3.0, show_default=True, help="模拟的月数")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--scale", type=float, default=0.01, show_default=True, help="1.0 为全县规模")
@click.option(
    "--start", default=DEFAULT_START.isoformat(), show_default=True, help="起始日期 YYYY-MM-DD"
)
@click.option("--params", "params_file", type=click.Path(exists=True), help="参数 YAML 文件")
@click.option(
    "--database",
    default=None,
    help="数据库 URL（须为空库；默认 build/simulation-<seed>.sqlite，每次重建）",
)
@click.option(
    "--replay-from", default=None, help="重放该数据库的诉求（模拟库按原参数重放，其他库按实际到达）"
)
@click.option("--catalog", default=None, help="按此清单版本路由全部诉求（如 2022-06）")
@click.option("--process", default=None, help="complaint 流程版本号（源库中）或 .bpmn 文件")
@click.option(
    "--workers",
    type=int,
    default=1,
    show_default=True,
    help="按乡镇分片的进程数（每片一个 SQLite 文件或 PostgreSQL schema）",
)
@click.option(
    "--draft",
    default=None,
    help="与现行清单回放比较的草稿版本号（配合 --replay-from 县里的数据库；回放 --months 个月）",
)
@click.option("--until", default=None, help="比较时段的结束日期（不含），默认今天")
@click.option("--excel", type=click.Path(dir_okay=False), help="比较报告另存为 Excel 文件")
@click.option("--quiet", is_flag=True, help="不输出进度")
def simulate_command(
    months: float,
    seed: int,
    scale: float,
    start: str,
    params_file: str | None,
    database: str | None,
    replay_from: str | None,
    catalog: str | None,
    process: str | None,
    workers: int,
    draft: str | None,
    until: str | None,
    excel: str | None,
    quiet: bool,
) -> None:
    """Simulate the county on virtual time through the real engine; print one JSON object."""
    progress = None if quiet else Progress()
    try:
        if draft:
            result = _compare_draft(
                replay_from, draft, months, until, scale, seed, process, excel, quiet
            )
        elif replay_from:
            target = database or _fresh_sqlite("whatif.sqlite")
            result = replay(
                replay_from, target, catalog=catalog, process=process, progress=progress
            )
        else:
            spec = RunSpec(
                months=months,
                seed=seed,
                scale=scale,
                start=date.fromisoformat(start),
                catalog=catalog,
                process=process,
                parameters=load_parameters(params_file),
            )
            if workers > 1:
                target = database or f"sqlite:///{BUILD / f'simulation-{seed}.sqlite'}"
                for k in range(1, workers + 1):
                    if database is None:
                        _fresh_sqlite(f"simulation-{seed}-{k}.sqlite")
                result = simulate_sharded(target, spec, workers, progress=progress)
            else:
                target = database or _fresh_sqlite(f"simulation-{seed}.sqlite")
                result = simulate(target, spec, progress=progress)
                result["database"] = target
    except ValueError as err:
        click.echo(f"模拟未能开始：{err}", err=True)
        sys.exit(1)
    click.echo(json.dumps(result, ensure_ascii=False))


def _compare_draft(
    source: str | None,
    label: str,
    months: float,
    until: str | None,
    scale: float,
    seed: int,
    process: str | None,
    excel: str | None,
    quiet: bool,
) -> dict[str, Any]:
    """The catalog editor's what-if from the command line (for a full-scale run of hours)."""
    if not source:
        raise ValueError("--draft 须配合 --replay-from（县里的数据库）使用")
    if months != int(months):
        raise ValueError(f"比较草稿时 --months 须为整数（收到 {months:g}）")
    try:
        end = date.fromisoformat(until) if until else datetime.now(CHINA_TZ).date()
    except ValueError:
        raise ValueError(f"--until 应为 YYYY-MM-DD 格式的日期（收到“{until}”）") from None
    draft, in_force = draft_and_in_force(source, label)
    shown = [-1]

    def progress(fraction: float, message: str) -> None:
        if not quiet and int(fraction * 10) != shown[0]:
            shown[0] = int(fraction * 10)
            click.echo(f"{message}：{fraction:.0%}", err=True)

    report = compare_catalogs(
        source,
        base=in_force,
        draft=draft,
        start=months_before(end, int(months)),
        end=end,
        scale=scale,
        seed=seed,
        process=process,
        progress=progress,
    )
    if excel:
        with open(excel, "wb") as stream:
            write_xlsx(report, stream)
    return report
