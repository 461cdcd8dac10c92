"""Reference data pages read on every request (the catalog versions in force, the working
calendar), refreshed every few seconds per process like the counts (see counts_cache).

Routing and deadlines inside the engine never use these: they read the database in the
step's transaction.
"""

from __future__ import annotations

from responsibility_catalog import Catalog, latest_published
from rules import WorkingCalendar
from web.counts_cache import cached_count
from web.platform import current_desks
from web.tenancy import current_county


def catalogs_in_force(county: str | None = None) -> tuple[Catalog, ...]:
    """The county's catalog versions in force (the request's county unless named)."""
    county = county or current_county()
    desks = current_desks()
    return cached_count(("catalogs", county), lambda: desks.catalogs_in_force(county))


def current_catalog(county: str | None = None) -> Catalog | None:
    """The latest published version (its domains, matters, units and organisation tree)."""
    catalogs = catalogs_in_force(county)
    return latest_published(catalogs) or (catalogs[-1] if catalogs else None)


def working_calendar(county: str | None = None) -> WorkingCalendar:
    county = county or current_county()
    desks = current_desks()
    return cached_count(("calendar", county), lambda: desks.working_calendar(county))
