"""The application factory: everything is wired here and only here."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, jsonify, render_template
from sqlalchemy import func, select

from engine.bootstrap import build_host
from engine.config import EngineConfig
from engine.persistence.models import Incident, ProcessDefinition, ProcessInstance
from engine.scheduler import TimerScheduler


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(START_SCHEDULER=False, CLOCK=None)
    app.config.update(config or {})
    engine_config = app.config.get("ENGINE_CONFIG") or EngineConfig.from_env()
    host = build_host(engine_config, clock=app.config["CLOCK"], create_tables=True)
    app.extensions["juhaoban.host"] = host

    # Under the reloader the parent process only watches files: start jobs in the child only.
    if app.config["START_SCHEDULER"] and os.environ.get("WERKZEUG_RUN_MAIN") in (None, "true"):
        scheduler = TimerScheduler(host, interval_s=engine_config.sweep_interval_s)
        scheduler.start()
        app.extensions["juhaoban.scheduler"] = scheduler

    @app.get("/")
    def index() -> str:
        with host.session_factory() as session:
            stats = {
                "definitions": session.scalar(select(func.count(ProcessDefinition.id))),
                "running": session.scalar(
                    select(func.count(ProcessInstance.id)).where(
                        ProcessInstance.status == "running"
                    )
                ),
                "incidents": session.scalar(
                    select(func.count(Incident.id)).where(Incident.resolved_at.is_(None))
                ),
            }
        return render_template("index.html", stats=stats)

    @app.get("/healthz")
    def healthz() -> Any:
        return jsonify(status="ok", now=host.clock.now().isoformat())

    return app
