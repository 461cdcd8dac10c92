"""The report page's suggestion reads, each in a read session of its own (pages hold the
host, never a session)."""

from __future__ import annotations

from engine.core.host import WorkflowHost
from engine.intake import models
from responsibility_catalog import Catalog
from rules.suggest import Suggestion


def suggest_for_report(
    host: WorkflowHost,
    text: str,
    *,
    county: str,
    catalog: Catalog,
    limit: int,
    wait: float | None = None,
) -> list[Suggestion]:
    """See :func:`engine.intake.models.suggestions`.

    :raises ModelNotReady: when no model is fitted after ``wait`` seconds.
    """
    return models.suggest_for(
        host.session_factory, text, county=county, catalog=catalog, limit=limit, wait=wait
    )


def warm_suggestions(host: WorkflowHost, county: str, catalog: Catalog) -> None:
    """Start fitting the models the report page and the console will ask for (no waiting)."""
    models.warm(host.session_factory, county, catalog)
