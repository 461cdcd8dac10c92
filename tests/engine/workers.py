"""Entry points for tests that run the engine in other processes (spawned, so importable)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from engine import TaskAlreadyCompleted, VirtualClock, WorkflowHost
from engine.core.persistence import make_engine, make_session_factory


def make_host(url: str, now: datetime) -> WorkflowHost:
    return WorkflowHost(make_session_factory(make_engine(url)), VirtualClock(now))


def complete_same_task(
    url: str, now: datetime, task_id: str, actor: str, barrier: Any, results: Any
) -> None:
    host = make_host(url, now)
    barrier.wait()
    try:
        host.complete_task(task_id, {}, actor=actor)
        results.put((actor, "ok", ""))
    except TaskAlreadyCompleted as err:
        results.put((actor, "already", str(err)))


def sweep_until_done(
    url: str, now: datetime, worker_id: str, batch_size: int, start: Any | None = None
) -> int:
    host = make_host(url, now)
    if start is not None:
        start.wait()
    return host.sweep(now, worker_id=worker_id, batch_size=batch_size).fired
