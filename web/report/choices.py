"""What the report page offers: the catalog in force, its domains and matters, keyword
search, and the township → village → grid tree."""

from __future__ import annotations

from dataclasses import dataclass

from responsibility_catalog import Catalog, Organisation, select_in_force
from rules import MatterHit, search_matters
from web.platform import current_platform
from web.tenancy import current_county

UNSURE = "unsure"


@dataclass(frozen=True)
class Choices:
    catalog: Catalog

    @property
    def organisation(self) -> Organisation:
        return self.catalog.organisation

    def search(self, query: str) -> list[MatterHit]:
        return search_matters(self.catalog, query, limit=8) if query.strip() else []

    def matter_name(self, matter_id: str | None) -> str | None:
        matter = self.catalog.matters_by_id.get(matter_id or "")
        return matter.name if matter else None

    def township_of(self, village_id: str | None) -> str | None:
        village = self.organisation.villages_by_id.get(village_id or "")
        return village.township_id if village else None


def current_choices() -> Choices | None:
    """The catalog in force today, or ``None`` when nothing has been published yet."""
    platform = current_platform()
    catalogs = platform.desks.catalogs_in_force(current_county())
    catalog = select_in_force(catalogs, platform.desk.today())
    return Choices(catalog) if catalog else None
