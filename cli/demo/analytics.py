"""Demo analytics: a synthetic history of fourteen closed months behind the live demo cases,
with each month's red/black list and the last half-year's report already published, so the
leader's pages have something to show on first start (a few seconds of work)."""

from __future__ import annotations

from datetime import datetime, timedelta

from analytics import publish_snapshot
from analytics.periods import last_complete_half_year, last_complete_month, local_date, month
from engine import DEFAULT_COUNTY, WorkflowHost
from engine.catalog_store import CatalogVersionDesk
from responsibility_catalog import latest_published
from simulation import generate_on

MONTHS = 14
COMPLAINTS = 10_000
ACTOR = "demo:analytics"


def create_demo_analytics(
    host: WorkflowHost, *, today: datetime, county: str = DEFAULT_COUNTY
) -> int:
    """Returns how many lists and reports were published."""
    catalog = latest_published(CatalogVersionDesk(host).catalogs(county=county))
    if catalog is None:
        return 0
    # Ends where the live demo history (two weeks, through the real process) begins.
    first = month(*_months_before(local_date(today), MONTHS)).start
    end = today - timedelta(days=15)
    generate_on(
        host,
        catalog=catalog,
        start=first,
        end=end,
        count=COMPLAINTS,
        now=end,
        county=county,
        close_all=True,
    )
    latest = last_complete_month(today)
    periods = [latest]
    while len(periods) < MONTHS - 1:
        periods.insert(0, periods[0].previous())
    for period in periods:
        publish_snapshot(
            host,
            "ranking",
            county=county,
            period=period,
            now=today,
            actor=ACTOR,
            notify_units=period == latest,  # units hear of this month's list only
        )
    publish_snapshot(
        host,
        "report",
        county=county,
        period=last_complete_half_year(today),
        now=today,
        actor=ACTOR,
    )
    return len(periods) + 1


def _months_before(day, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 - months
    return index // 12, index % 12 + 1
