"""Analytics fixtures: the lifecycle desk of the complaint tests (a seeded catalog, the
deployed diagrams) on the shared virtual clock."""

from tests.engine.complaints.conftest import desk

__all__ = ["desk"]
