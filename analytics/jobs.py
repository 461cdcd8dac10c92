"""Scheduled publication: the monthly red/black list and the half-yearly report.

The cron trigger wakes the job at 01:10 Beijing time on the 1st of every month; the job then
asks the engine's clock what is due (the last complete month, and in January and July the
last complete half-year) and publishes what is missing. Asking instead of trusting the
trigger makes the job testable on virtual time, idempotent under several workers, and lets
``juhaoban analytics publish-due`` make up a run missed while every worker was down.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from analytics.periods import last_complete_half_year, last_complete_month, local_date
from analytics.publish import Published, publish_ranking, publish_report
from engine.host import WorkflowHost

JOB_ID = "analytics-publish"
CRON = {"day": 1, "hour": 1, "minute": 10, "timezone": "Asia/Shanghai"}
# Months in which the half-yearly report falls due (the county moved from yearly to
# half-yearly reports; REPORT_MONTHS = (1,) would restore the yearly rhythm).
REPORT_MONTHS = (1, 7)
ACTOR = "scheduler:analytics"


class CronScheduler(Protocol):
    def add_cron(self, func: Any, *, job_id: str, **cron: Any) -> None: ...


@dataclass(frozen=True)
class Due:
    ranking: Published | None
    report: Published | None


def publish_due(host: WorkflowHost, *, county: str = "julu") -> Due:
    now = host.clock.now()
    ranking = publish_ranking(
        host.session_factory,
        county=county,
        period=last_complete_month(now),
        now=now,
        actor=ACTOR,
    )
    report = None
    if local_date(now).month in REPORT_MONTHS:
        report = publish_report(
            host.session_factory,
            county=county,
            period=last_complete_half_year(now),
            now=now,
            actor=ACTOR,
        )
    return Due(ranking, report)


def register(scheduler: CronScheduler, host: WorkflowHost, *, county: str = "julu") -> None:
    scheduler.add_cron(lambda: publish_due(host, county=county), job_id=JOB_ID, **CRON)
