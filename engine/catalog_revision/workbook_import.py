"""The one way a catalog workbook (the organisation department's Excel format) becomes a
draft version: the catalog desk's upload page and ``juhaoban catalog import`` both call
:func:`import_workbook`.

Unit names in the sheet are resolved against the organisation tree of the version in force
(the latest published one). That is the tree a new draft is created from, diffed against
(``based_on``) and therefore the one its publication checks: ``publish_version`` validates a
draft against the tree the draft carries, which is this one.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from engine.catalog_revision import drafts
from engine.catalog_store import CatalogLifecycleError
from engine.core.host import WorkflowHost
from engine.core.transactions import run_step
from responsibility_catalog import Catalog, import_xlsx


class NothingPublished(CatalogLifecycleError):
    """No version is published yet, so there is no organisation tree to read a sheet with."""


def import_workbook(
    host: WorkflowHost,
    source: str | Path | IO[bytes],
    *,
    label: str | None,
    actor: str,
    county: str,
) -> Catalog:
    """Read ``source`` and store it as a new draft; returns the draft.

    A file path names the file in an unreadable-file problem; a stream does not.

    :raises CatalogInvalid: every bad cell (sheet, row, column); nothing is stored.
    :raises NothingPublished: no published version to take the organisation tree from.
    :raises CatalogLifecycleError: a bad or taken label.
    """
    with host.session_factory() as session:
        base = drafts.current_published(county=county, session=session)
    if base is None:
        raise NothingPublished("尚无已公布的清单版本，无法确定组织架构")
    # Parsed outside the transaction: a retried step must not read the stream twice.
    draft = import_xlsx(source, base.organisation, label=(label or "").strip() or None)
    return run_step(
        host.session_factory,
        lambda s: drafts.store_imported(
            draft, county=county, actor=actor, now=host.clock.now(), session=s
        ),
    )
