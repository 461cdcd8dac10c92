"""Web fixtures: an app on a fresh database with the demo county, users and diagrams."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from cli.demo.seed import seed_demo_county
from cli.demo.users import DEMO_PASSWORD
from engine import VirtualClock
from engine.bootstrap import build_host
from engine.core.config import EngineConfig
from tests.engine.complaints.conftest import BPMN_DIR
from tests.web.county_app import county_app
from web import create_app

CHROMIUM = "/usr/bin/chromium"
# "Now" of the demo county: a Thursday 10:00 in Beijing, three days into a month.
DEMO_NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)


@pytest.fixture
def app(tmp_path, clock, shipped_catalogs):
    config = EngineConfig.from_env({"JUHAOBAN_INSTANCE_DIR": str(tmp_path)})
    return county_app(config, clock, shipped_catalogs)


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


@pytest.fixture
def login(app) -> Callable[[str], FlaskClient]:
    """``login("water")`` returns a test client signed in as that demo user."""

    def sign_in(username: str) -> FlaskClient:
        client = app.test_client()
        token = csrf_from(client.get("/auth/login").get_data(as_text=True))
        response = client.post(
            "/auth/login",
            data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token},
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return sign_in


@pytest.fixture
def live_url(app):
    """The test's app served on a free local port (threaded, like the real server)."""
    from werkzeug.serving import make_server

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (tools that download a browser fail here)."""
    if not Path(CHROMIUM).exists():  # pragma: no cover - CI installs it (see .ci/run)
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@dataclass(frozen=True)
class DemoCounty:
    config: EngineConfig
    now: datetime

    def app(self):
        """An app on the demo county's database, its clock at :attr:`now`."""
        return create_app(
            {
                "ENGINE_CONFIG": self.config,
                "TESTING": True,
                "CLOCK": VirtualClock(self.now),
                "SECRET_KEY": "test",
                "COUNT_CACHE_SECONDS": 0,
            }
        )


@pytest.fixture(scope="session")
def demo_county(tmp_path_factory) -> DemoCounty:
    """The whole ``juhaoban demo`` county (every diagram, history, analytics, agri story),
    built once per test session at :data:`DEMO_NOW` (~30 s). Read it; don't change it."""
    folder = tmp_path_factory.mktemp("demo_county")
    config = EngineConfig.from_env({"JUHAOBAN_INSTANCE_DIR": str(folder)})
    host = build_host(config, clock=VirtualClock(DEMO_NOW), create_tables=True)
    for path in sorted(BPMN_DIR.glob("*.bpmn")):
        host.deploy_file(path, actor="demo")
    seed_demo_county(host, echo=lambda _line: None)
    host.session_factory.kw["bind"].dispose()
    return DemoCounty(config, DEMO_NOW)


@pytest.fixture
def run(tmp_path, monkeypatch):
    """``juhaoban`` as a person types it, on a fresh SQLite instance folder."""
    from click.testing import CliRunner

    from cli.main import main

    monkeypatch.setenv("JUHAOBAN_INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("JUHAOBAN_DATABASE_URL", raising=False)
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def catalog(app, clock):
    """The catalog desk, with the revision process deployed, on a Monday morning."""
    from tests.engine.complaints.conftest import beijing

    clock.set(beijing("2026-03-02 09:00"))
    app.extensions["juhaoban.host"].deploy_file(
        BPMN_DIR / "catalog_revision.bpmn", actor="designer"
    )
    return app.extensions["juhaoban.catalog"]
