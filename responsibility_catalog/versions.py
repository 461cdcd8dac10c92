"""Choosing among catalog versions: which one was in force on a date."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .model import Catalog, Status

IN_FORCE_STATUSES = (Status.PUBLISHED, Status.SUPERSEDED)


def select_in_force(catalogs: Iterable[Catalog], on: date) -> Catalog | None:
    """The version in force on ``on``: the published or superseded version with the latest
    effective date not after ``on``. Drafts and versions under consultation never apply.

    A superseded version still applies to dates before its successor took effect, so a
    complaint that arrived in 2021 routes by the 2020 list. Returns ``None`` when no version
    had taken effect yet.
    """
    best: Catalog | None = None
    for catalog in catalogs:
        if catalog.status not in IN_FORCE_STATUSES or catalog.effective is None:
            continue
        if catalog.effective > on:
            continue
        if best is None or best.effective is None or catalog.effective > best.effective:
            best = catalog
    return best


def latest_published(catalogs: Iterable[Catalog]) -> Catalog | None:
    """The published version with the latest effective date, if any."""
    published = [c for c in catalogs if c.status is Status.PUBLISHED and c.effective]
    return max(published, key=lambda c: c.effective or date.min, default=None)


def find_version(catalogs: Iterable[Catalog], label: str) -> Catalog | None:
    return next((c for c in catalogs if c.label == label), None)
