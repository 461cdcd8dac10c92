"""Reporting: the describe-first form for residents and grid workers, its suggestions and
offline queue, and the rating of a reply (the pages that show a case are in web.cases)."""

from web.report import offline, old_urls, views
from web.report.blueprint import bp

__all__ = ["bp", "offline", "old_urls", "views"]
