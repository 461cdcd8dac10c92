"""Several workers on PostgreSQL share due timers; a killed worker loses none of them."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from engine.core.instances import start_instance
from engine.core.persistence.models import AuditEvent, ProcessInstance
from engine.core.timers import DEFAULT_LEASE
from engine.core.transactions import run_step
from tests.engine.workers import sweep_until_done

# Row-lock sharing between worker processes is a PostgreSQL feature: run on it only.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
]


@pytest.fixture
def pg_only(database_url):
    return database_url


def _start_many(host, diagram, count: int) -> list[int]:
    """Start ``count`` instances whose timer falls due in one hour (1,000 per transaction)."""
    host.deploy(diagram("wait_until.bpmn"), actor="designer")
    due = (host.clock.now() + timedelta(hours=1)).isoformat()
    ids: list[int] = []

    def chunk(session, offset: int) -> None:
        for n in range(offset, min(offset + 1000, count)):
            row = start_instance(
                "wait_until",
                {"due": due, "fired": 0},
                runtime=host.runtime,
                now=host.clock.now(),
                actor="test",
                county="julu",
                business_key=str(n),
                session=session,
            )
            ids.append(row.id)

    for offset in range(0, count, 1000):
        run_step(host.session_factory, lambda s, o=offset: chunk(s, o))
    return ids


def _fired_counts(host) -> dict[int, int]:
    with host.session_factory() as session:
        rows = session.execute(
            select(AuditEvent.instance_id, func.count(AuditEvent.id))
            .where(AuditEvent.action == "timer.fired")
            .group_by(AuditEvent.instance_id)
        ).all()
    return dict(rows)


def _assert_each_fired_once(host, ids):
    counts = _fired_counts(host)
    assert set(counts) == set(ids), f"{len(set(ids) - set(counts))} timers never fired"
    assert set(counts.values()) == {1}, "some timer fired more than once"
    with host.session_factory() as session:
        statuses = session.execute(
            select(ProcessInstance.status, func.count()).group_by(ProcessInstance.status)
        ).all()
    assert dict(statuses) == {"completed": len(ids)}


def test_sigkill_mid_sweep_loses_and_duplicates_nothing(pg_only, host, diagram, clock):
    ids = _start_many(host, diagram, 1000)
    now = clock.now() + timedelta(hours=2)
    ctx = multiprocessing.get_context("spawn")
    doomed = ctx.Process(target=sweep_until_done, args=(pg_only, now, "doomed", 50))
    doomed.start()
    deadline = time.monotonic() + 120
    while sum(_fired_counts(host).values()) < 100:
        assert time.monotonic() < deadline and doomed.is_alive(), "worker never got going"
        time.sleep(0.01)
    os.kill(doomed.pid, signal.SIGKILL)
    doomed.join()
    fired_before_kill = sum(_fired_counts(host).values())
    assert 100 <= fired_before_kill < 1000, "the kill must land in the middle of the sweep"

    # Unclaimed timers go at once; the dead worker's claims wait for their lease to expire.
    host.sweep(now + timedelta(seconds=1), worker_id="early")
    rescue = host.sweep(now + DEFAULT_LEASE + timedelta(seconds=1), worker_id="rescuer")
    assert rescue.failed == 0
    _assert_each_fired_once(host, ids)


def test_four_workers_share_ten_thousand_due_timers(pg_only, host, diagram, clock):
    ids = _start_many(host, diagram, 10_000)
    now = clock.now() + timedelta(hours=2)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        fired = pool.starmap(
            sweep_until_done, [(pg_only, now, f"w{n}", 100, None) for n in range(4)]
        )
    assert sum(fired) == 10_000
    assert sum(1 for f in fired if f > 0) >= 2, f"work was not shared: {fired}"
    _assert_each_fired_once(host, ids)
