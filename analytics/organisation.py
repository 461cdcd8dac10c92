"""The catalog (and organisation tree) analytics describe: the latest published version."""

from __future__ import annotations

from sqlalchemy.orm import Session

from engine.catalog_store import CatalogRegistry
from responsibility_catalog import Catalog, Organisation, latest_published

# Kinds of unit ranked on the county-department list (the dispatch centre and the
# organisation department rank others, they are not ranked).
DEPARTMENT_KINDS = ("department", "enterprise")

_registry = CatalogRegistry()


def catalog_in_force(*, county: str, session: Session) -> Catalog | None:
    catalogs = _registry.in_force(county=county, session=session)
    return latest_published(catalogs) or (catalogs[-1] if catalogs else None)


def ranked_units(organisation: Organisation) -> dict[str, list[str]]:
    """Unit ids of each list, in the organisation tree's order."""
    return {
        "township": [t.id for t in organisation.townships],
        "department": [u.id for u in organisation.units if u.kind in DEPARTMENT_KINDS],
    }


def every_unit(organisation: Organisation) -> list[str]:
    """Every unit that receives the county's publications (departments, townships, the
    dispatch centre and the organisation department)."""
    return list(organisation.all_units)
