"""Routing tests use the catalog fixtures of the catalog tests (one definition)."""

from tests.responsibility_catalog.conftest import catalogs, launch, published

__all__ = ["catalogs", "launch", "published"]
