"""Which catalog revision a workflow instance carries (its consultation notifications link
to the revision's pages)."""

from __future__ import annotations

from sqlalchemy import select

from engine.catalog_revision.models import CatalogRevision
from engine.core.host import WorkflowHost


def revision_of_instance(host: WorkflowHost, instance_id: int) -> int | None:
    """The revision id; None for an instance that is no catalog revision."""
    with host.session_factory() as session:
        return session.scalar(
            select(CatalogRevision.id).where(CatalogRevision.instance_id == instance_id).limit(1)
        )
