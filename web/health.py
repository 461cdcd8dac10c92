"""``/healthz`` (liveness) and ``/readyz`` (readiness) for load balancers and orchestrators.

``/healthz`` answers as long as the process serves requests: it touches nothing else, so a
database outage does not get every web process restarted. ``/readyz`` says whether this
process should get traffic: the database answers, its schema is at the code's head, and —
only when this process runs the timer scheduler itself — the scheduler's latest sweep
finished within three intervals. A scheduler in a separate ``juhaoban worker`` process is
not this process's readiness (the web pages work without it); its health shows in
``/metrics`` as timer lag (``juhaoban_timer_lag_max_seconds``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, jsonify

from engine.core import WorkflowHost, database_revision, schema_state

log = logging.getLogger(__name__)

bp = Blueprint("health", __name__)

# A readiness probe must answer quickly even when the database hangs (a dead TCP peer).
CHECK_TIMEOUT_S = 3.0
# The scheduler is dead when its latest sweep finished longer ago than this many intervals.
SCHEDULER_TOLERANCE = 3.0


def _bounded(check: Callable[[], dict[str, Any]], timeout: float) -> dict[str, Any]:
    """Run ``check`` in a daemon thread and give up waiting after ``timeout`` seconds (the
    thread finishes or dies with its connection later; the probe has its answer)."""
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result.update(check())
        except Exception as err:  # noqa: BLE001 - any failure is the check's answer
            result.update(status="fail", message=f"{type(err).__name__}: {err}")

    worker = threading.Thread(target=run, name="readyz-check", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        return {"status": "fail", "message": f"{timeout:g} 秒内没有应答"}
    return result


def _database(host: WorkflowHost) -> dict[str, Any]:
    database_revision(host)  # one indexed read: the database answers
    return {"status": "ok"}


def _schema(host: WorkflowHost) -> dict[str, Any]:
    state = schema_state(host)
    if pending := state.pending:
        return {
            "status": "fail",
            "current": state.current,
            "head": state.head,
            "pending": list(pending),
            "message": f"数据库结构落后 {len(pending)} 个版本：请运行 {state.upgrade_command}",
        }
    return {"status": "ok", "current": state.head}


def _scheduler() -> dict[str, Any]:
    scheduler = current_app.extensions.get("juhaoban.scheduler")
    if scheduler is None:
        return {"status": "skipped", "message": "本进程不运行定时器（由 juhaoban worker 负责）"}
    if scheduler.alive(tolerance=SCHEDULER_TOLERANCE):
        return {"status": "ok"}
    return {
        "status": "fail",
        "message": f"定时器扫描已超过 {SCHEDULER_TOLERANCE:g} 个周期没有完成",
    }


@bp.get("/healthz")
def healthz() -> Any:
    host: WorkflowHost = current_app.extensions["juhaoban.host"]
    return jsonify(status="ok", now=host.clock.now().isoformat())


@bp.get("/readyz")
def readyz() -> Any:
    host: WorkflowHost = current_app.extensions["juhaoban.host"]
    checks = {"database": _bounded(lambda: _database(host), CHECK_TIMEOUT_S)}
    if checks["database"]["status"] == "ok":
        checks["schema"] = _bounded(lambda: _schema(host), CHECK_TIMEOUT_S)
    else:
        checks["schema"] = {"status": "fail", "message": "数据库不可达，无法检查"}
    checks["scheduler"] = _scheduler()
    ready = all(check["status"] in ("ok", "skipped") for check in checks.values())
    if not ready:
        log.info("not ready: %s", {k: v for k, v in checks.items() if v["status"] == "fail"})
    return jsonify(status="ok" if ready else "fail", checks=checks), 200 if ready else 503


__all__ = ["bp"]
