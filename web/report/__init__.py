"""Reporting for residents and grid workers, public tracking, my reports and callback."""

from web.report.views import bp

__all__ = ["bp"]
