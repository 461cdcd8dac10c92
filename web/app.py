"""The application factory: everything is wired here and only here."""

from __future__ import annotations

import os
import secrets
from typing import Any

from flask import Flask, render_template
from werkzeug.middleware.proxy_fix import ProxyFix

from analytics import jobs as analytics_jobs
from engine.bootstrap import build_host
from engine.complaints import complaint_totals
from engine.core import EngineConfig, workflow_totals
from engine.desks import wire_desks
from engine.scheduler import TimerScheduler
from web import (
    actors,
    errors,
    health,
    labels,
    logging_setup,
    metrics,
    security,
    static_assets,
    throttling,
    vendor,
)
from web.api.requests import RowIdConverter
from web.json_input import BoundedJSONProvider
from web.platform import Platform

MAX_UPLOAD_BYTES = 6 * 5 * 1024 * 1024 + 64 * 1024  # six photos of 5 MB plus the form


def _secret_key(engine_config: EngineConfig) -> str:
    """From the environment in production; otherwise one generated into the instance folder
    (never committed), so sessions survive restarts of the embedded server."""
    if key := os.environ.get("JUHAOBAN_SECRET_KEY"):
        return key
    engine_config.ensure_instance_dir()
    path = engine_config.instance_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def create_app(config: dict[str, Any] | None = None) -> Flask:
    logging_setup.configure_from_env()
    app = Flask(__name__)
    app.json = BoundedJSONProvider(app)
    # Every <int:…> in a URL is a row id: bounded to what the id columns hold, so a huge one
    # is a 404 on every page, not an overflow in the database driver (a 500).
    app.url_map.converters["int"] = RowIdConverter
    app.config.from_mapping(START_SCHEDULER=False, CLOCK=None, MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES)
    app.config.update(config or {})
    engine_config = app.config.get("ENGINE_CONFIG") or EngineConfig.from_env()
    app.config.setdefault("SECRET_KEY", None)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _secret_key(engine_config)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    if os.environ.get("JUHAOBAN_SECURE_COOKIES", "").lower() in ("1", "true", "yes"):  # HTTPS only
        app.config["SESSION_COOKIE_SECURE"] = True
    if hops := int(os.environ.get("JUHAOBAN_PROXY_HOPS") or 0):  # client address for limits
        # ProxyFix wraps the WSGI app, as Werkzeug documents
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    host = build_host(engine_config, clock=app.config["CLOCK"], create_tables=True)
    # Every desk is built once, here: each registers its domain's operations on the host.
    Platform(wire_desks(host), engine_config.instance_dir / "uploads").init_app(app)

    metrics.init_app(app, host)  # first: it times what the other hooks do
    security.init_app(app)
    throttling.init_app(app)
    errors.init_app(app)
    labels.init_app(app)
    actors.init_app(app)
    static_assets.init_app(app, engine_config.instance_dir / "static-cache")
    vendor.init_app(app)
    _register_blueprints(app)

    # Under the reloader the parent process only watches files: start jobs in the child only.
    if app.config["START_SCHEDULER"] and os.environ.get("WERKZEUG_RUN_MAIN") in (None, "true"):
        scheduler = TimerScheduler(
            host,
            interval_s=engine_config.sweep_interval_s,
            uploads_dir=app.extensions["juhaoban"].uploads_dir,
        )
        scheduler.start()
        analytics_jobs.register(scheduler, host)  # monthly lists, half-yearly reports
        app.extensions["juhaoban.scheduler"] = scheduler

    @app.get("/")
    def index() -> str:
        workflows, complaints = workflow_totals(host), complaint_totals(host)
        stats = {
            "definitions": workflows.definitions,
            "running": workflows.running,
            "incidents": workflows.open_incidents,
            "complaints": complaints.complaints,
            "closed": complaints.closed,
        }
        return render_template("index.html", stats=stats)

    return app


def _register_blueprints(app: Flask) -> None:
    from web import (
        agri,
        analytics,
        api,
        auth,
        cases,
        catalog_editor,
        console,
        designer,
        inbox,
        incidents,
        notifications,
        open311,
        report,
    )

    for module in (
        auth,
        report,
        inbox,
        console,
        cases,
        notifications,
        api,
        designer,
        incidents,
        catalog_editor,
        analytics,
        open311,
        agri,
    ):
        app.register_blueprint(module.bp)
    app.register_blueprint(cases.reporter_bp)
    app.register_blueprint(open311.admin.admin_bp)
    app.register_blueprint(health.bp)
    app.jinja_env.globals["unread_count"] = notifications.unread_count
