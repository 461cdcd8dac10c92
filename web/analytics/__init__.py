"""Leaders' analytics: dashboard, heat map, red/black lists, analysis reports (issue 8)."""

from web.analytics import dashboard, heatmap, rankings, reports
from web.analytics.blueprint import bp

__all__ = ["bp", "dashboard", "heatmap", "rankings", "reports"]
