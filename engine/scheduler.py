"""APScheduler drives the sweep: a regular interval plus an exact wake-up at the next due time.

Jobs are thin: they ask the engine what is due (an indexed query) and fire it. The schedule of
timers lives in the database (``process_instance.next_due_at``), so a restarted or extra
worker needs nothing from another worker's memory.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler

from engine.core.host import WorkflowHost
from engine.core.timers import earliest_due
from engine.maintenance import forget_expired_keys, forget_pending_photos, optimize_database

log = logging.getLogger(__name__)

SWEEP_JOB = "timer-sweep"
WAKE_JOB = "timer-wake"
# Nightly, when nobody dispatches: the county's suggestion model learns the day's labels.
INTAKE_JOB = "intake-models"
INTAKE_CRON = {"hour": 2, "minute": 40, "timezone": "Asia/Shanghai"}
# SpiffWorkflow fires a timer only once "now" is strictly after its due time.
_WAKE_MARGIN = timedelta(milliseconds=5)


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class TimerScheduler:
    """Owns the APScheduler instance of one process.

    :param scheduler_class: swapped in tests (e.g. a paused scheduler) — never started twice.
    :param uploads_dir: where photos are stored; its refused forms' photos expire hourly.
    """

    def __init__(
        self,
        host: WorkflowHost,
        *,
        interval_s: float = 30.0,
        scheduler_class: type[BaseScheduler] = BackgroundScheduler,
        worker_id: str | None = None,
        uploads_dir: Path | None = None,
    ) -> None:
        self.host = host
        self.uploads_dir = uploads_dir
        self.interval_s = interval_s
        self.worker_id = worker_id or default_worker_id()
        self.scheduler = scheduler_class(timezone=UTC)
        self._wake_at: datetime | None = None
        self._lock = threading.Lock()
        # Monotonic time of the latest finished sweep (start counts as one), for /readyz.
        self.last_sweep_finished = time.monotonic()

    def start(self, *, paused: bool = False) -> None:
        self.scheduler.add_job(
            self.sweep_now,
            "interval",
            seconds=self.interval_s,
            id=SWEEP_JOB,
            max_instances=1,
            coalesce=True,
            replace_existing=True,
        )
        self.host.runtime.due_listeners.append(self.on_due)
        self.add_cron(self.optimize, job_id="db-optimize", minute=17)
        self.add_cron(self.forget_keys, job_id="idempotency-keys", minute=23)
        self.add_cron(self.rebuild_intake_models, job_id=INTAKE_JOB, **INTAKE_CRON)
        self.plan_wake()
        self.last_sweep_finished = time.monotonic()
        self.scheduler.start(paused=paused)

    def shutdown(self) -> None:
        if self.on_due in self.host.runtime.due_listeners:
            self.host.runtime.due_listeners.remove(self.on_due)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def sweep_now(self) -> None:
        result = self.host.sweep(worker_id=self.worker_id)
        if result.claimed:
            log.info(
                "sweep: %d claimed, %d fired, %d failed, %d incidents",
                result.claimed,
                result.fired,
                result.failed,
                result.incidents,
            )
        self.last_sweep_finished = time.monotonic()
        with self._lock:
            self._wake_at = None
        self.plan_wake()

    def alive(self, *, tolerance: float = 3.0) -> bool:
        """Whether the scheduler runs and its latest sweep finished within ``tolerance``
        intervals (a sweep stuck on a lock or a dead job thread shows up here)."""
        return (
            self.scheduler.running
            and time.monotonic() - self.last_sweep_finished <= tolerance * self.interval_s
        )

    def optimize(self) -> None:
        optimize_database(self.host.bind)

    def forget_keys(self) -> None:
        forgotten = forget_expired_keys(self.host.session_factory, now=self.host.clock.now())
        if forgotten:
            log.info("idempotency keys: %d expired, deleted", forgotten)
        if self.uploads_dir is not None:
            removed = forget_pending_photos(self.uploads_dir)
            if removed:
                log.info("photos of refused report forms: %d folders expired, removed", removed)

    def rebuild_intake_models(self) -> None:
        # Imported here: scikit-learn takes a second to load and only this job needs it.
        from engine.intake.training import rebuild_all

        rebuild_all(self.host.session_factory, now=self.host.clock.now())

    def plan_wake(self) -> None:
        with self.host.session_factory() as session:
            due = earliest_due(session=session)
        if due is not None:
            self.on_due(due)

    def on_due(self, due: datetime) -> None:
        """Make sure the process wakes up right after ``due`` (earlier wins)."""
        with self._lock:
            if self._wake_at is not None and self._wake_at <= due:
                return
            self._wake_at = due
        run_at = max(due + _WAKE_MARGIN, self.host.clock.now())
        self.scheduler.add_job(
            self.sweep_now,
            "date",
            run_date=run_at,
            id=WAKE_JOB,
            replace_existing=True,
            misfire_grace_time=None,
        )

    @property
    def planned_wake(self) -> datetime | None:
        job = self.scheduler.get_job(WAKE_JOB)
        return job.next_run_time if job is not None else None

    def add_cron(self, func: Callable[[], Any], *, job_id: str, **cron: Any) -> None:
        """Register a recurring job (red/black lists, reports, seasonal pushes ...)."""
        self.scheduler.add_job(func, "cron", id=job_id, replace_existing=True, **cron)
