"""The county every web test starts from: the shipped catalogs, the complaint diagram and
the demo users, in an app on the database the engine config names."""

from __future__ import annotations

from typing import Any

from flask import Flask

from cli.demo.users import create_demo_users
from engine import VirtualClock
from engine.catalog_store import seed_versions
from engine.core.config import EngineConfig
from engine.core.transactions import run_step
from tests.engine.complaints.conftest import BPMN_DIR
from web import create_app


def county_app(
    engine_config: EngineConfig, clock: VirtualClock, catalogs: Any, **flask_config: Any
) -> Flask:
    app = create_app(
        {
            "ENGINE_CONFIG": engine_config,
            "TESTING": True,
            "CLOCK": clock,
            "SECRET_KEY": "test",
            "COUNT_CACHE_SECONDS": 0,
            **flask_config,
        }
    )
    host = app.extensions["juhaoban.host"]
    run_step(
        host.session_factory,
        lambda s: seed_versions(catalogs, county="julu", actor="test", now=clock.now(), session=s),
    )
    host.deploy_file(BPMN_DIR / "complaint.bpmn", actor="designer")
    create_demo_users(host)
    return app
