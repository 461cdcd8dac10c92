"""Analytics for leaders: heat map, monthly red/black lists, analysis reports, dashboard.

Depends on ``engine`` (the complaint tables, snapshots, clock), ``rules`` (the ranking
policy) and ``responsibility_catalog``; ``web`` renders what it returns.
"""

from analytics.dashboard import Today, today
from analytics.excel import ranking_workbook, report_workbook
from analytics.heatmap import HeatFilter, heatmap
from analytics.jobs import publish_due, register
from analytics.periods import Period, PeriodInvalid, parse_key
from analytics.publish import NoCatalog, Published, find_snapshot, publish_ranking, publish_report
from analytics.rankings import boards, compute_ranking

__all__ = [
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
