"""/healthz and /readyz: what a load balancer or an orchestrator asks before sending traffic."""

from __future__ import annotations

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from engine.core.persistence import make_engine, migrations
from engine.scheduler import TimerScheduler
from tests.web.api_apps import app_on


@pytest.fixture
def app(database_url, tmp_path, shipped_catalogs):
    app = app_on(database_url, tmp_path, shipped_catalogs)
    yield app
    app.extensions["juhaoban.host"].session_factory.kw["bind"].dispose()


def _bind(app):
    return app.extensions["juhaoban.host"].session_factory.kw["bind"]


def test_a_fresh_app_is_live_and_ready(app):
    client = app.test_client()
    assert client.get("/healthz").get_json()["status"] == "ok"
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["schema"] == {"status": "ok", "current": migrations.head_revision()}
    # The scheduler runs in `juhaoban worker` here: not this process's readiness.
    assert body["checks"]["scheduler"]["status"] == "skipped"


def test_a_database_behind_head_is_not_ready_and_names_the_command(app):
    migrations.stamp(_bind(app), migrations.BASELINE)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    schema = body["checks"]["schema"]
    assert (body["status"], schema["status"]) == ("fail", "fail")
    assert schema["current"] == migrations.BASELINE
    assert schema["pending"][-1] == migrations.head_revision()
    assert migrations.BASELINE not in schema["pending"]
    assert "juhaoban db upgrade" in schema["message"]
    assert body["checks"]["database"]["status"] == "ok"
    # Liveness does not depend on the database: restarting the process would not help.
    assert app.test_client().get("/healthz").status_code == 200


def test_an_unreachable_database_is_not_ready(app, tmp_path):
    host = app.extensions["juhaoban.host"]
    original = _bind(app)
    gone = make_engine(f"sqlite:///{tmp_path / 'no-such-dir' / 'db.sqlite'}")
    host.session_factory.configure(bind=gone)
    try:
        response = app.test_client().get("/readyz")
    finally:
        host.session_factory.configure(bind=original)
        gone.dispose()
    assert response.status_code == 503
    checks = response.get_json()["checks"]
    assert checks["database"]["status"] == "fail"
    assert "unable to open database file" in checks["database"]["message"]
    assert checks["schema"]["status"] == "fail"


def test_a_scheduler_in_this_process_must_have_swept_recently(app):
    host = app.extensions["juhaoban.host"]
    scheduler = TimerScheduler(host, interval_s=30, scheduler_class=BackgroundScheduler)
    scheduler.start(paused=True)  # running, but no job fires during the test
    app.extensions["juhaoban.scheduler"] = scheduler
    client = app.test_client()
    try:
        assert client.get("/readyz").get_json()["checks"]["scheduler"] == {"status": "ok"}
        # Its latest sweep finished more than three intervals ago: stuck or dead.
        scheduler.last_sweep_finished -= 91
        stalled = client.get("/readyz")
        assert stalled.status_code == 503
        assert stalled.get_json()["checks"]["scheduler"]["status"] == "fail"
        assert "3 个周期" in stalled.get_json()["checks"]["scheduler"]["message"]
        scheduler.sweep_now()
        assert client.get("/readyz").status_code == 200
    finally:
        scheduler.shutdown()
