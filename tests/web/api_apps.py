"""An app on either database (SQLite file or PostgreSQL schema, from the ``database_url``
fixture) with the catalog, the complaint diagram and the demo users, for tests that must show
the same answer on both."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from engine import VirtualClock
from engine.catalog_store import seed_versions
from engine.config import EngineConfig
from engine.transactions import run_step
from tests.conftest import START
from tests.engine.complaints.conftest import BPMN_DIR
from web import create_app
from web.demo_users import create_demo_users


def app_on(database_url: str, instance_dir: Path, catalogs) -> Flask:  # type: ignore[no-untyped-def]
    """Rate limits off: these tests send hundreds of calls a minute on purpose."""
    clock = VirtualClock(START)
    config = EngineConfig.from_env(
        {"JUHAOBAN_INSTANCE_DIR": str(instance_dir), "JUHAOBAN_DATABASE_URL": database_url}
    )
    app = create_app(
        {
            "ENGINE_CONFIG": config,
            "TESTING": True,
            "CLOCK": clock,
            "SECRET_KEY": "test",
            "COUNT_CACHE_SECONDS": 0,
            "RATELIMIT_ENABLED": False,
        }
    )
    host = app.extensions["juhaoban.host"]
    run_step(
        host.session_factory,
        lambda s: seed_versions(catalogs, county="julu", actor="test", now=clock.now(), session=s),
    )
    host.deploy_file(BPMN_DIR / "complaint.bpmn", actor="designer")
    run_step(
        host.session_factory, lambda s: create_demo_users(county="julu", now=clock.now(), session=s)
    )
    return app
