"""The shipped domains and shared services, made known to the core.

The core (``engine.core``) sits below every domain and must not import one; this module, at the
top of the engine, tells it which modules declare tables. It is imported by ``engine/__init__``,
so any use of the engine (web, CLI, worker, Alembic, tests) sees the whole schema.
"""

from __future__ import annotations

from engine.core.persistence.table_registry import register_tables

TABLE_MODULES = (
    "engine.people.models",
    "engine.working_calendar.models",
    "engine.complaints.models",
    "engine.complaints.idempotency",
    "engine.complaints.matter_labels",
    "engine.intake.tables",
    "engine.catalog_revision.models",
    "engine.agri.models",
    "engine.open311.models",
    "engine.snapshots",
)

register_tables(*TABLE_MODULES)
