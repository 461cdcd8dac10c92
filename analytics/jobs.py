"""Scheduled publication: the monthly red/black list and the half-yearly report.

The cron trigger wakes the job at 01:10 Beijing time on the 1st of every month; the job then
asks the engine's clock what is due (the last complete month, and in January and July the
last complete half-year — or the rhythm ``JUHAOBAN_REPORT_MONTHS`` sets) and publishes what
is missing. Asking instead of trusting the
trigger makes the job testable on virtual time, idempotent under several workers, and lets
``juhaoban analytics publish-due`` make up a run missed while every worker was down.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from analytics.periods import last_complete_month, last_complete_span
from analytics.publish import Published, publish_ranking, publish_report
from engine import DEFAULT_COUNTY
from engine.core.host import WorkflowHost

JOB_ID = "analytics-publish"
CRON = {"day": 1, "hour": 1, "minute": 10, "timezone": "Asia/Shanghai"}
# The report's period in months: half-yearly by default (the county moved from yearly to
# half-yearly reports); JUHAOBAN_REPORT_MONTHS=12 restores the yearly rhythm, 3 is quarterly.
REPORT_MONTHS = 6
ACTOR = "scheduler:analytics"


def report_months(environ: Mapping[str, str] | None = None) -> int:
    value = (os.environ if environ is None else environ).get("JUHAOBAN_REPORT_MONTHS")
    return int(value) if value else REPORT_MONTHS


class CronScheduler(Protocol):
    def add_cron(self, func: Any, *, job_id: str, **cron: Any) -> None: ...


@dataclass(frozen=True)
class Due:
    ranking: Published | None
    report: Published | None


def publish_due(
    host: WorkflowHost, *, county: str = DEFAULT_COUNTY, months: int = REPORT_MONTHS
) -> Due:
    """Publish last month's list and, when a report period has just ended, its report."""
    now = host.clock.now()
    ranking = publish_ranking(
        host.session_factory,
        county=county,
        period=last_complete_month(now),
        now=now,
        actor=ACTOR,
    )
    report = None
    period = last_complete_span(now, months)
    if period is not None:
        report = publish_report(
            host.session_factory, county=county, period=period, now=now, actor=ACTOR
        )
    return Due(ranking, report)


def register(
    scheduler: CronScheduler,
    host: WorkflowHost,
    *,
    county: str = DEFAULT_COUNTY,
    months: int | None = None,
) -> None:
    every = months or report_months()
    last_complete_span(host.clock.now(), every)  # refuses a rhythm that does not divide a year
    scheduler.add_cron(
        lambda: publish_due(host, county=county, months=every), job_id=JOB_ID, **CRON
    )
