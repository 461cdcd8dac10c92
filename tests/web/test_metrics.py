"""/metrics: what a county's Prometheus reads, parsed by prometheus_client's own parser."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from engine.core.persistence.models import Incident, ProcessInstance
from tests.web.api_apps import app_on


@pytest.fixture
def app(database_url, tmp_path, shipped_catalogs):
    """On SQLite and PostgreSQL: the lag arithmetic differs between them."""
    app = app_on(database_url, tmp_path, shipped_catalogs)
    yield app
    app.extensions["juhaoban.host"].session_factory.kw["bind"].dispose()


@pytest.fixture
def clock(app):
    return app.extensions["juhaoban.host"].clock


REPORT = {"village_id": "xiguocheng-002", "matter_id": "D07-07", "description": "路面塌陷"}
OUTSIDE = {"REMOTE_ADDR": "203.0.113.7"}


def scrape(app, **kwargs) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics fetched from loopback: (name, sorted labels) -> value."""
    response = app.test_client().get("/metrics", **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def delta(before, after, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def test_steps_requests_cases_and_timers_after_reports_and_a_sweep(app, clock):
    host = app.extensions["juhaoban.host"]
    client = app.test_client()
    before = scrape(app)

    codes = [client.post("/api/complaints", json=REPORT).status_code for _ in range(3)]
    assert codes == [201, 201, 201]
    after_reports = scrape(app)
    # Each report is one step of the complaint process, counted and timed.
    assert (
        delta(before, after_reports, "juhaoban_steps_total", process="complaint", outcome="ok") == 3
    )
    assert (
        delta(before, after_reports, "juhaoban_step_duration_seconds_count", process="complaint")
        == 3
    )
    assert (
        delta(before, after_reports, "juhaoban_step_duration_seconds_sum", process="complaint") > 0
    )
    assert (
        delta(
            before,
            after_reports,
            "juhaoban_http_requests_total",
            endpoint="api.submit",
            method="POST",
            status="201",
        )
        == 3
    )
    # The scrape before this one is counted too (it was answered before this one began).
    assert (
        delta(
            before,
            after_reports,
            "juhaoban_http_requests_total",
            endpoint="metrics",
            method="GET",
            status="200",
        )
        == 1
    )
    assert value(after_reports, "juhaoban_open_cases", stage="sign_for") == 3
    assert value(after_reports, "juhaoban_timers_due", process="complaint") == 0
    assert value(after_reports, "juhaoban_database_up") == 1

    # Let every complaint's first timer fall due, the latest 10 minutes ago.
    with host.session_factory() as session:
        due = sorted(session.scalars(select(ProcessInstance.next_due_at)).all())
    assert len(due) == 3
    clock.set(due[-1] + timedelta(minutes=10))
    oldest_lag = (clock.now() - due[0]).total_seconds()
    waiting = scrape(app)
    assert value(waiting, "juhaoban_timers_due", process="complaint") == 3
    assert value(waiting, "juhaoban_timer_lag_max_seconds", process="complaint") == pytest.approx(
        oldest_lag
    )
    assert value(waiting, "juhaoban_timer_lag_seconds_bucket", le="+Inf", process="complaint") == 3
    assert value(waiting, "juhaoban_timer_lag_seconds_gcount", process="complaint") == 3
    lags = [(clock.now() - at).total_seconds() for at in due]
    assert value(waiting, "juhaoban_timer_lag_seconds_gsum", process="complaint") == pytest.approx(
        sum(lags), abs=0.01
    )
    within_15_minutes = sum(lag <= 900 for lag in lags)
    assert (
        value(waiting, "juhaoban_timer_lag_seconds_bucket", le="900", process="complaint")
        == within_15_minutes
    )

    fired = host.sweep(clock.now())
    assert fired.instance_ids and len(fired.instance_ids) == 3
    swept = scrape(app)
    assert value(swept, "juhaoban_timers_due", process="complaint") == 0
    # One step per instance whose timer fired; the sweep itself timed once.
    assert delta(waiting, swept, "juhaoban_steps_total", process="complaint", outcome="ok") == 3
    assert delta(waiting, swept, "juhaoban_step_duration_seconds_count", process="complaint") == 3
    assert delta(waiting, swept, "juhaoban_sweep_duration_seconds_count") == 1
    assert delta(waiting, swept, "juhaoban_sweep_instances_total", result="fired") == fired.fired
    assert value(swept, "juhaoban_sweep_last_finished_timestamp_seconds") > 0
    # Buckets are cumulative: every step fits the +Inf bucket.
    assert value(
        swept, "juhaoban_step_duration_seconds_bucket", le="+Inf", process="complaint"
    ) == value(swept, "juhaoban_step_duration_seconds_count", process="complaint")


def test_open_incidents_are_counted_by_kind(app):
    host = app.extensions["juhaoban.host"]
    before = scrape(app)
    with host.session_factory.begin() as session:
        session.add(
            Incident(
                county="julu",
                kind="script",
                message="测试",
                created_at=host.clock.now(),
            )
        )
    after = scrape(app)
    assert value(after, "juhaoban_incidents_open", kind="script") == 1
    assert value(before, "juhaoban_incidents_open", kind="script") == 0


def test_only_loopback_or_the_token_may_read_metrics(app, monkeypatch):
    client = app.test_client()
    refused = client.get("/metrics", environ_base=OUTSIDE)
    assert refused.status_code == 403
    assert "JUHAOBAN_METRICS_TOKEN" in refused.get_data(as_text=True)
    assert "juhaoban_" not in refused.get_data(as_text=True)

    monkeypatch.setenv("JUHAOBAN_METRICS_TOKEN", "s3cret-token")
    good = client.get(
        "/metrics", environ_base=OUTSIDE, headers={"Authorization": "Bearer s3cret-token"}
    )
    assert good.status_code == 200 and "juhaoban_open_cases" in good.get_data(as_text=True)
    wrong = client.get("/metrics", environ_base=OUTSIDE, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    # A reverse proxy on the same machine connects from loopback for everyone: a forwarded
    # request is someone else's unless ProxyFix (JUHAOBAN_PROXY_HOPS) resolved the address.
    forwarded = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.7"})
    assert forwarded.status_code == 403


def test_several_processes_add_up_with_prometheus_multiproc_dir(tmp_path):
    """gunicorn workers and `juhaoban worker` on one machine: one /metrics adds them up."""
    shared = tmp_path / "prometheus"
    shared.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(shared)}
    count_steps = (
        "from engine.core.metrics import STEPS, observe_sweep\n"
        "STEPS.labels('complaint', 'ok').inc(2)\n"
        "observe_sweep(0.5, fired=3, failed=0, skipped=0)\n"
    )
    for _process in range(2):  # two processes that have since exited
        subprocess.run([sys.executable, "-c", count_steps], env=env, check=True, timeout=60)
    scrape_once = (
        "import sys\n"
        "from engine.core.config import EngineConfig\n"
        "from web import create_app\n"
        f"config = EngineConfig.from_env({{'JUHAOBAN_INSTANCE_DIR': {str(tmp_path)!r}}})\n"
        "app = create_app({'ENGINE_CONFIG': config, 'TESTING': True, 'SECRET_KEY': 't'})\n"
        "sys.stdout.write(app.test_client().get('/metrics').get_data(as_text=True))\n"
    )
    body = subprocess.run(
        [sys.executable, "-c", scrape_once],
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    ).stdout
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }
    assert value(samples, "juhaoban_steps_total", process="complaint", outcome="ok") == 4
    assert value(samples, "juhaoban_sweep_duration_seconds_count") == 2
    assert value(samples, "juhaoban_sweep_instances_total", result="fired") == 6
    assert value(samples, "juhaoban_database_up") == 1


def test_behind_a_trusted_proxy_the_forwarded_client_decides(
    tmp_path, shipped_catalogs, monkeypatch
):
    monkeypatch.setenv("JUHAOBAN_PROXY_HOPS", "1")
    app = app_on(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path, shipped_catalogs)
    try:
        client = app.test_client()  # the proxy connects from loopback
        outside = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.7"})
        assert outside.status_code == 403
        local = client.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"})
        assert local.status_code == 200
    finally:
        app.extensions["juhaoban.host"].session_factory.kw["bind"].dispose()
