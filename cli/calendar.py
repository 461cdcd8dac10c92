"""Calendar commands for administrators: enter a year's official holiday schedule, see warnings."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import yaml

from cli.host import open_host
from engine.desks import wire_desks
from rules import ScheduleInvalid


@click.group("calendar")
def calendar_group() -> None:
    """Working-day calendar: official holiday schedules (放假安排) and warnings."""


@calendar_group.command("enter")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", default="admin", show_default=True)
def enter_command(file: Path, actor: str) -> None:
    """Enter (or replace) a year's official schedule from a YAML or JSON file."""
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        click.echo(f"{file.name} 无法解析：{err}", err=True)
        sys.exit(1)
    desk = wire_desks(open_host()).complaints
    try:
        year = desk.enter_holiday_schedule(data, actor=actor)
    except ScheduleInvalid as err:
        click.echo(f"{file.name} 有 {len(err.problems)} 处问题，未录入：", err=True)
        for problem in err.problems:
            click.echo(f"  - {problem.field}：{problem.message}", err=True)
        sys.exit(1)
    click.echo(f"已录入 {year} 年放假安排；涉及该年的新办理时限不再标记为暂定")


@calendar_group.command("warnings")
def warnings_command() -> None:
    """Years whose deadlines are computed from statutory holidays only (provisional)."""
    desk = wire_desks(open_host()).complaints
    warnings = desk.calendar_warnings(years=1)
    for warning in warnings:
        click.echo(warning)
    if not warnings:
        click.echo("本年度和下一年度的放假安排均已就绪")
