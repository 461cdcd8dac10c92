"""Build a ready-to-use workflow host from configuration (used by the web app, CLI, workers)."""

from __future__ import annotations

from sqlalchemy import Engine

from engine.core.clock import Clock, SystemClock
from engine.core.config import EngineConfig
from engine.core.host import WorkflowHost
from engine.core.persistence.database import create_schema, make_engine, make_session_factory
from engine.core.persistence.migrations import check_at_head


def open_database(config: EngineConfig) -> Engine:
    if config.database_url.startswith("sqlite"):
        config.ensure_instance_dir()
    return make_engine(config.database_url)


def build_host(
    config: EngineConfig, *, clock: Clock | None = None, create_tables: bool = False
) -> WorkflowHost:
    """The host on the configured database.

    :param create_tables: an empty database gets the newest schema. Either way a database
        behind the code raises :class:`engine.core.persistence.migrations.SchemaBehind` (its
        message names ``juhaoban db upgrade``): nothing runs on a half-matching schema.
    """
    db = open_database(config)
    try:
        if create_tables:
            create_schema(db)
        else:
            check_at_head(db)
    except BaseException:
        db.dispose()  # the refusal must not leave a pooled connection behind
        raise
    return WorkflowHost(make_session_factory(db), clock or SystemClock())
