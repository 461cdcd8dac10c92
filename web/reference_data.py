"""Reference data pages read on every request (the catalog versions in force, the working
calendar), refreshed every few seconds per process like the counts (see counts_cache).

Routing and deadlines inside the engine never use these: they read the database in the
step's transaction.
"""

from __future__ import annotations

from responsibility_catalog import Catalog, latest_published
from rules import WorkingCalendar
from web.counts_cache import cached_count
from web.platform import current_platform

COUNTY = "julu"


def catalogs_in_force(county: str = COUNTY) -> tuple[Catalog, ...]:
    def load() -> tuple[Catalog, ...]:
        platform = current_platform()
        with platform.host.session_factory() as db:
            return platform.desk.catalogs.in_force(county=county, session=db)

    return cached_count(("catalogs", county), load)


def current_catalog(county: str = COUNTY) -> Catalog | None:
    """The latest published version (its domains, matters, units and organisation tree)."""
    catalogs = catalogs_in_force(county)
    return latest_published(catalogs) or (catalogs[-1] if catalogs else None)


def working_calendar(county: str = COUNTY) -> WorkingCalendar:
    def load() -> WorkingCalendar:
        platform = current_platform()
        with platform.host.session_factory() as db:
            return platform.desk.calendars.calendar(county=county, session=db)

    return cached_count(("calendar", county), load)
