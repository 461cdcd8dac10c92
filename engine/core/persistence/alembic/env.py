"""Alembic environment: runs on the connection handed over by engine.core.persistence.migrations
(``config.attributes["connection"]``), inside the caller's transaction."""

from __future__ import annotations

from alembic import context

from engine.core.persistence.base import Base
from engine.core.persistence.database import load_models

load_models()
connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable through the alembic CLI
    raise RuntimeError("run migrations through `juhaoban db upgrade`, not the alembic command")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things: batch mode copies the table instead.
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
