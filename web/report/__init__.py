"""Reporting for residents and grid workers, public tracking, my reports and callback."""

from web.report import mine, offline, tracking, views
from web.report.blueprint import bp

__all__ = ["bp", "mine", "offline", "tracking", "views"]
