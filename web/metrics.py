"""``/metrics`` in the Prometheus text format, for the county's monitoring (README "Monitoring").

Two kinds of figures:

- counted in this process as things happen: HTTP requests here, workflow steps and sweeps
  in :mod:`engine.core.metrics`. With several processes they are added up through
  prometheus_client's multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``).
- read from the database at scrape time (:class:`DatabaseCollector`): timers due and their
  lag, open incidents, open cases by stage — the same answer whichever process is scraped,
  and correct even when the process that did the work has died.

Access: from the machine itself (loopback, not forwarded by a proxy) or with
``Authorization: Bearer <JUHAOBAN_METRICS_TOKEN>``; anyone else gets a 403.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Iterator

from flask import Flask, Response, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeHistogramMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from engine.core import WorkflowHost
from engine.operational_figures import read_operational_figures

log = logging.getLogger(__name__)

TOKEN_ENV = "JUHAOBAN_METRICS_TOKEN"
# Lag buckets of the timers due now: a minute late is a busy sweep, hours late a dead worker.
LAG_BUCKETS = (60, 300, 900, 3600, 4 * 3600, 24 * 3600)
# PostgreSQL gives up on a scrape query after this; SQLite's are index lookups and counts.
SCRAPE_STATEMENT_TIMEOUT_MS = 2000
_FORWARDING_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")

HTTP_REQUESTS = Counter(
    "juhaoban_http_requests",
    "HTTP requests answered, by Flask endpoint (unmatched = no route), method and status",
    ["endpoint", "method", "status"],
)
HTTP_SECONDS = Histogram(
    "juhaoban_http_request_duration_seconds",
    "Time from the request reaching Flask to its response, by Flask endpoint",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


class DatabaseCollector(Collector):
    """Aggregates over indexed columns, computed when Prometheus scrapes."""

    def __init__(self, host: WorkflowHost) -> None:
        self.host = host

    def describe(self) -> list[Metric]:
        return []  # nothing to check at registration: names are fixed and not queried

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "juhaoban_database_up",
            "1 if the scrape-time database queries answered (else the figures below are missing)",
        )
        started = time.perf_counter()
        try:
            families = self._query()
        except Exception as err:  # noqa: BLE001 - a scrape reports the failure, never a 500
            log.warning("metrics: database queries failed: %s", err)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families
        took = GaugeMetricFamily(
            "juhaoban_scrape_database_seconds", "Time the scrape-time database queries took"
        )
        took.add_metric([], time.perf_counter() - started)
        yield took

    def _query(self) -> list[Metric]:
        figures = read_operational_figures(
            self.host,
            self.host.clock.now(),
            lag_buckets_s=LAG_BUCKETS,
            statement_timeout_ms=SCRAPE_STATEMENT_TIMEOUT_MS,
        )
        due_count = GaugeMetricFamily(
            "juhaoban_timers_due",
            "Timers due now and not yet fired (running instances whose due time has passed)",
            labels=["process"],
        )
        max_lag = GaugeMetricFamily(
            "juhaoban_timer_lag_max_seconds",
            "How long the oldest due timer has been waiting (now minus its due time)",
            labels=["process"],
        )
        lag = GaugeHistogramMetricFamily(
            "juhaoban_timer_lag_seconds",
            "Lag of the timers due now (now minus due time); histogram_quantile gives percentiles",
            labels=["process"],
        )
        for timers in figures.due_timers:
            due_count.add_metric([timers.process], timers.count)
            max_lag.add_metric([timers.process], timers.oldest_lag_s)
            buckets = [(str(b), float(n)) for b, n in zip(LAG_BUCKETS, timers.within, strict=True)]
            lag.add_metric(
                [timers.process], [*buckets, ("+Inf", float(timers.count))], timers.lag_sum_s
            )
        open_incidents = GaugeMetricFamily(
            "juhaoban_incidents_open", "Unresolved incidents, by kind", labels=["kind"]
        )
        for kind, count in figures.open_incidents.items():
            open_incidents.add_metric([kind], count)
        open_cases = GaugeMetricFamily(
            "juhaoban_open_cases", "Open complaints, by stage", labels=["stage"]
        )
        for stage, count in figures.open_cases.items():
            open_cases.add_metric([stage], count)
        return [due_count, max_lag, lag, open_incidents, open_cases]


def _in_process_metrics() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Every process's counters, added up from the files they write.
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def _is_loopback(address: str | None) -> bool:
    try:
        return address is not None and ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def allowed() -> bool:
    """Whether the current request may read ``/metrics``."""
    token = os.environ.get(TOKEN_ENV, "")
    sent = request.headers.get("Authorization", "")
    bearer = sent.removeprefix("Bearer ").strip().encode()
    if token and sent.startswith("Bearer ") and hmac.compare_digest(bearer, token.encode()):
        return True
    if not _is_loopback(request.remote_addr):
        return False
    if "werkzeug.proxy_fix.orig" in request.environ:
        return True  # ProxyFix (JUHAOBAN_PROXY_HOPS) already put the client's address there
    # A reverse proxy on the same machine connects from loopback for every visitor.
    return not any(name in request.headers for name in _FORWARDING_HEADERS)


def _started() -> None:
    g.metrics_started = time.perf_counter()


def _count(response: Response) -> Response:
    endpoint = request.endpoint or "unmatched"  # raw paths of 404s would be unbounded
    HTTP_REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
    started = g.get("metrics_started")
    if started is not None:
        HTTP_SECONDS.labels(endpoint).observe(time.perf_counter() - started)
    return response


def metrics_view() -> Response:
    if not allowed():
        return Response(
            "禁止访问：/metrics 只对本机或持有监控令牌（JUHAOBAN_METRICS_TOKEN）的请求开放\n",
            status=403,
            mimetype="text/plain",
        )
    registry: CollectorRegistry = current_app.extensions["juhaoban.metrics_registry"]
    body = _in_process_metrics() + generate_latest(registry)
    return Response(body, headers={"Content-Type": CONTENT_TYPE_LATEST})


def init_app(app: Flask, host: WorkflowHost) -> None:
    # Registered first, so requests refused by later hooks (limits, CSRF) are timed too.
    app.before_request_funcs.setdefault(None, []).insert(0, _started)
    app.after_request(_count)
    registry = CollectorRegistry()
    registry.register(DatabaseCollector(host))
    app.extensions["juhaoban.metrics_registry"] = registry
    app.add_url_rule("/metrics", "metrics", metrics_view)


__all__ = ["DatabaseCollector", "allowed", "init_app"]
