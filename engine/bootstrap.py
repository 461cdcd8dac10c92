"""Build a ready-to-use workflow host from configuration (used by the web app, CLI, workers)."""

from __future__ import annotations

from sqlalchemy import Engine

from engine.clock import Clock, SystemClock
from engine.config import EngineConfig
from engine.host import WorkflowHost
from engine.persistence.database import create_schema, make_engine, make_session_factory


def open_database(config: EngineConfig) -> Engine:
    if config.database_url.startswith("sqlite"):
        config.ensure_instance_dir()
    return make_engine(config.database_url)


def build_host(
    config: EngineConfig, *, clock: Clock | None = None, create_tables: bool = False
) -> WorkflowHost:
    db = open_database(config)
    if create_tables:
        create_schema(db)
    return WorkflowHost(make_session_factory(db), clock or SystemClock())
