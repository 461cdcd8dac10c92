"""Fixtures for catalog revision: seeded versions, both desks, the deployed diagrams."""

from __future__ import annotations

from typing import Any

import pytest

from engine.catalog_revision import CatalogDesk
from engine.catalog_store import seed_versions
from engine.complaints.desk import ComplaintDesk
from engine.core.transactions import run_step
from responsibility_catalog import Catalog
from responsibility_catalog.editing import fields_of_matter
from tests.engine.complaints.conftest import BPMN_DIR


def seed(host, clock, catalogs) -> None:
    run_step(
        host.session_factory,
        lambda s: seed_versions(catalogs, county="julu", actor="test", now=clock.now(), session=s),
    )


@pytest.fixture
def desks(host, clock, shipped_catalogs) -> tuple[ComplaintDesk, CatalogDesk]:
    seed(host, clock, shipped_catalogs)
    host.deploy_file(BPMN_DIR / "complaint.bpmn", actor="designer")
    host.deploy_file(BPMN_DIR / "catalog_revision.bpmn", actor="designer")
    complaints = ComplaintDesk(host)
    return complaints, CatalogDesk(host, complaints.calendars)


def matter_fields(
    catalog: Catalog, matter_id: str, changes: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The edit form of a matter as the page fills it, with ``changes`` applied
    (``{"rules-1-primary": "transport"}``)."""
    fields: dict[str, Any] = fields_of_matter(catalog.matters_by_id[matter_id])
    fields.update(changes or {})
    return fields
