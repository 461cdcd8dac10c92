"""An app on either database (SQLite file or PostgreSQL schema, from the ``database_url``
fixture) with the catalog, the complaint diagram and the demo users, for tests that must show
the same answer on both."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from engine import VirtualClock
from engine.core.config import EngineConfig
from tests.conftest import START
from tests.web.county_app import county_app


def app_on(database_url: str, instance_dir: Path, catalogs) -> Flask:
    """Rate limits off: these tests send hundreds of calls a minute on purpose."""
    clock = VirtualClock(START)
    config = EngineConfig.from_env(
        {"JUHAOBAN_INSTANCE_DIR": str(instance_dir), "JUHAOBAN_DATABASE_URL": database_url}
    )
    return county_app(config, clock, catalogs, RATELIMIT_ENABLED=False)
