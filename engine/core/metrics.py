"""The engine's own Prometheus metrics: steps, their latency and the timer sweep.

Only what happens in this process is counted here (in-process counters and histograms,
cheap enough for every step: one ``perf_counter`` pair and two labelled updates, a few
microseconds against a step of milliseconds). Figures that live in the database (timers
due and their lag, open incidents, open cases) are read at scrape time by the web layer
(:mod:`web.metrics`), so every process reports the same truth.

Several processes (gunicorn workers, ``juhaoban worker``): set ``PROMETHEUS_MULTIPROC_DIR``
to an empty directory shared by them *before they start*; prometheus_client then keeps
these values in files there and ``/metrics`` adds them up across processes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import Counter, Gauge, Histogram

from engine.core import log_context
from engine.core.errors import ConcurrentUpdate
from engine.core.step_failures import StepFailed

log = logging.getLogger("engine.steps")

STEPS = Counter(
    "juhaoban_steps",
    "Workflow steps run, by process key and outcome (ok, failed = diagram failure and "
    "incident, conflict = gave up after concurrent updates, error = refused or other error)",
    ["process", "outcome"],
)
STEP_SECONDS = Histogram(
    "juhaoban_step_duration_seconds",
    "Duration of one workflow step with its transaction (retries included), by process key",
    ["process"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
SWEEP_SECONDS = Histogram(
    "juhaoban_sweep_duration_seconds",
    "Duration of one timer sweep (claim and fire everything due)",
    buckets=(0.001, 0.005, 0.025, 0.1, 0.5, 1.0, 5.0, 15.0, 30.0, 60.0, 300.0),
)
SWEEP_TIMERS = Counter(
    "juhaoban_sweep_instances",
    "Instances handled by timer sweeps, by result (fired, failed, skipped)",
    ["result"],
)
SWEEP_FINISHED = Gauge(
    "juhaoban_sweep_last_finished_timestamp_seconds",
    "Wall-clock time at which the latest timer sweep of any process finished",
    multiprocess_mode="max",
)


@contextmanager
def measure_step() -> Iterator[log_context.StepLog]:
    """Count and time one step; the step's ids are on every log record meanwhile.

    Steps that never reach a workflow (no process named by :func:`engine.core.runtime.step_scope`,
    e.g. a timer claim or a catalog edit) are not counted.
    """
    step, token = log_context.begin()
    started = time.perf_counter()
    outcome = "ok"
    try:
        yield step
    except StepFailed:
        outcome = "failed"
        raise
    except ConcurrentUpdate:
        outcome = "conflict"
        raise
    except BaseException:
        outcome = "error"
        raise
    finally:
        if step.process_key is not None:
            elapsed = time.perf_counter() - started
            STEPS.labels(step.process_key, outcome).inc()
            STEP_SECONDS.labels(step.process_key).observe(elapsed)
            # DEBUG: one line per step would be most of a busy county's log.
            log.debug("step %s %s in %.1f ms", step.process_key, outcome, elapsed * 1000)
        log_context.end(token)


def observe_sweep(seconds: float, *, fired: int, failed: int, skipped: int) -> None:
    SWEEP_SECONDS.observe(seconds)
    if fired:
        SWEEP_TIMERS.labels("fired").inc(fired)
    if failed:
        SWEEP_TIMERS.labels("failed").inc(failed)
    if skipped:
        SWEEP_TIMERS.labels("skipped").inc(skipped)
    SWEEP_FINISHED.set(time.time())


__all__ = ["STEPS", "STEP_SECONDS", "SWEEP_SECONDS", "measure_step", "observe_sweep"]
