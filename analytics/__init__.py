"""Analytics for leaders: heat map, monthly red/black lists, analysis reports, dashboard.

Depends on ``engine`` (the complaint tables, snapshots, clock), ``rules`` (the ranking
policy) and ``responsibility_catalog``; ``web`` renders what it returns.
"""

from analytics.case_lists import CasePage, figure_cases, heat_cases
from analytics.dashboard import Today, today
from analytics.excel import ranking_workbook, report_workbook
from analytics.heatmap import HeatFilter, heatmap, heatmap_of
from analytics.jobs import publish_due, register
from analytics.leader_dashboard import LeaderDashboard, leader_dashboard
from analytics.periods import Period, PeriodInvalid, parse_key
from analytics.publish import (
    NoCatalog,
    Published,
    find_snapshot,
    publish_ranking,
    publish_report,
    publish_snapshot,
)
from analytics.rankings import boards, compute_ranking
from analytics.snapshot_views import (
    SnapshotView,
    latest_snapshot,
    snapshot_view,
    snapshot_views,
)

__all__ = [
    "CasePage",
    "LeaderDashboard",
    "SnapshotView",
    "figure_cases",
    "heat_cases",
    "heatmap_of",
    "latest_snapshot",
    "leader_dashboard",
    "publish_snapshot",
    "snapshot_view",
    "snapshot_views",
    "HeatFilter",
    "NoCatalog",
    "Period",
    "PeriodInvalid",
    "Published",
    "Today",
    "boards",
    "compute_ranking",
    "find_snapshot",
    "heatmap",
    "parse_key",
    "publish_due",
    "publish_ranking",
    "publish_report",
    "ranking_workbook",
    "register",
    "report_workbook",
    "today",
]
