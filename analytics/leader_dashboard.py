"""Everything the leaders' home page shows, read in one session: today's numbers, the last
fortnight, the agricultural figures of the last 30 days and the latest list and report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from analytics.agri import agri_figures
from analytics.dashboard import Today, recent_days, today
from analytics.periods import Period, local_date
from analytics.snapshot_views import SnapshotView, latest_snapshot
from engine.core import WorkflowHost


@dataclass(frozen=True)
class LeaderDashboard:
    numbers: Today
    days: list[dict[str, object]]
    agri: dict[str, Any]
    ranking: SnapshotView | None
    report: SnapshotView | None


def leader_dashboard(host: WorkflowHost, *, county: str, now: datetime) -> LeaderDashboard:
    last_30 = Period(local_date(now) - timedelta(days=29), local_date(now))
    with host.session_factory() as session:
        numbers = today(county=county, now=now, session=session)
        days = recent_days(county=county, now=now, session=session)
        agri = agri_figures(county=county, period=last_30, session=session, pushes=5)
    return LeaderDashboard(
        numbers=numbers,
        days=days,
        agri=agri,
        ranking=latest_snapshot(host, county=county, kind="ranking"),
        report=latest_snapshot(host, county=county, kind="report"),
    )
