"""Reporting for residents and grid workers, public tracking, my reports and callback."""

from web.report import mine, tracking, views
from web.report.blueprint import bp

__all__ = ["bp", "mine", "tracking", "views"]
