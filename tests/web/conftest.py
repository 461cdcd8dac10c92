"""Web fixtures: an app on a fresh database with the demo county, users and diagrams."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from engine.catalog_store import seed_versions
from engine.config import EngineConfig
from engine.transactions import run_step
from tests.engine.complaints.conftest import BPMN_DIR
from web import create_app
from web.demo_users import DEMO_PASSWORD, create_demo_users

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def app(tmp_path, clock, shipped_catalogs):  # type: ignore[no-untyped-def]
    config = EngineConfig.from_env({"JUHAOBAN_INSTANCE_DIR": str(tmp_path)})
    app = create_app(
        {
            "ENGINE_CONFIG": config,
            "TESTING": True,
            "CLOCK": clock,
            "SECRET_KEY": "test",
            "COUNT_CACHE_SECONDS": 0,
        }
    )
    host = app.extensions["juhaoban.host"]
    run_step(
        host.session_factory,
        lambda s: seed_versions(
            shipped_catalogs, county="julu", actor="test", now=clock.now(), session=s
        ),
    )
    host.deploy_file(BPMN_DIR / "complaint.bpmn", actor="designer")
    run_step(
        host.session_factory, lambda s: create_demo_users(county="julu", now=clock.now(), session=s)
    )
    return app


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


@pytest.fixture
def login(app) -> Callable[[str], FlaskClient]:  # type: ignore[no-untyped-def]
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
def live_url(app):  # type: ignore[no-untyped-def]
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
def browser():  # type: ignore[no-untyped-def]
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
