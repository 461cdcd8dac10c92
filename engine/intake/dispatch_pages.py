"""The dispatcher's suggestion reads for pages, each in a read session of its own (pages
hold the host, never a session)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from engine.catalog_store import CatalogRegistry
from engine.complaints.matter_labels import CATALOGS
from engine.core.host import WorkflowHost
from engine.intake.dispatch import DeterminePage, determine_page, matter_problem, unrouted_tops
from rules.suggest import Suggestion


def determine_page_for(
    host: WorkflowHost,
    complaint: Any,
    *,
    pick: str | None = None,
    registry: CatalogRegistry = CATALOGS,
) -> DeterminePage:
    """See :func:`engine.intake.dispatch.determine_page` (``complaint``: a row or a record)."""
    return determine_page(host.session_factory, complaint, pick=pick, registry=registry)


def unrouted_tops_for(
    host: WorkflowHost, complaints: Iterable[Any], *, registry: CatalogRegistry = CATALOGS
) -> dict[int, Suggestion]:
    """See :func:`engine.intake.dispatch.unrouted_tops`."""
    return unrouted_tops(host.session_factory, complaints, registry=registry)


def matter_problem_for(
    host: WorkflowHost, complaint: Any, matter_id: str, *, registry: CatalogRegistry = CATALOGS
) -> str | None:
    """See :func:`engine.intake.dispatch.matter_problem`."""
    return matter_problem(host.session_factory, complaint, matter_id, registry=registry)
