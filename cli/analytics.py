"""Analytics commands: publish what is due, a month's list or a period's report by hand."""

from __future__ import annotations

import json
import sys

import click

from analytics import (
    NoCatalog,
    PeriodInvalid,
    parse_key,
    publish_due,
    publish_snapshot,
)
from analytics.jobs import report_months
from cli.host import open_host
from engine import DEFAULT_COUNTY


@click.group("analytics")
def analytics_group() -> None:
    """Red/black lists and analysis reports (normally published by the scheduler)."""


@analytics_group.command("publish-due")
@click.option("--county", default=DEFAULT_COUNTY, show_default=True)
def publish_due_command(county: str) -> None:
    """Publish last month's list (and in January/July the half-year report) if missing —
    what the scheduler does at 01:10 on the 1st; run it to make up a missed run."""
    host = open_host()
    try:
        due = publish_due(host, county=county, months=report_months())
    except NoCatalog as err:
        click.echo(str(err), err=True)
        sys.exit(1)
    click.echo(
        json.dumps(
            {
                "ranking": due.ranking.__dict__ if due.ranking else None,
                "report": due.report.__dict__ if due.report else None,
            }
        )
    )


@analytics_group.command("publish")
@click.argument("kind", type=click.Choice(["ranking", "report"]))
@click.argument("period")
@click.option("--county", default=DEFAULT_COUNTY, show_default=True)
def publish_command(kind: str, period: str, county: str) -> None:
    """Publish a ranking (PERIOD like 2026-03) or a report (2026-H1, 2026-01-01..2026-03-31)."""
    host = open_host()
    try:
        chosen = parse_key(period)
    except PeriodInvalid as err:
        click.echo(str(err), err=True)
        sys.exit(2)
    if chosen.end > host.clock.now():
        click.echo(f"统计期须已结束：{chosen.label}尚未结束", err=True)
        sys.exit(2)
    published = publish_snapshot(
        host, kind, county=county, period=chosen, now=host.clock.now(), actor="cli"
    )
    what = "红黑榜" if kind == "ranking" else "分析报告"
    state = "已发布" if published.created else "此前已发布"
    click.echo(f"{chosen.label}{what}{state}（#{published.snapshot_id}）")
