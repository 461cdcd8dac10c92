"""Two people completing the same task at once: exactly one wins, the other is told."""

from __future__ import annotations

import multiprocessing
import threading

import pytest

from engine import TaskAlreadyCompleted
from tests.engine.helpers import audit_count, only_task, start_ticket
from tests.engine.workers import complete_same_task


@pytest.fixture
def ticket(host, diagram):
    host.deploy(diagram("ticket.bpmn"), actor="designer")
    return host


def _check_one_winner(host, iid, outcomes, version_before):
    assert sorted(o[1] for o in outcomes) == ["already", "ok"]
    winner = next(o[0] for o in outcomes if o[1] == "ok")
    loser_message = next(o[2] for o in outcomes if o[1] == "already")
    assert winner in loser_message, "the loser is told who completed the task"
    assert only_task(host, iid).task_name == "handle"
    assert audit_count(host, "task.completed", iid) == 1
    assert host.instance(iid).version == version_before + 1


def test_two_threads_complete_the_same_task(ticket):
    iid = start_ticket(ticket)
    task = only_task(ticket, iid)
    version = ticket.instance(iid).version
    barrier = threading.Barrier(2)
    outcomes: list[tuple[str, str, str]] = []

    def attempt(actor: str) -> None:
        barrier.wait()
        try:
            ticket.complete_task(task.id, {"note": actor}, actor=actor)
            outcomes.append((actor, "ok", ""))
        except TaskAlreadyCompleted as err:
            outcomes.append((actor, "already", str(err)))

    threads = [threading.Thread(target=attempt, args=(f"staff:{n}",)) for n in ("li", "wang")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    _check_one_winner(ticket, iid, outcomes, version)


@pytest.mark.slow
def test_two_processes_complete_the_same_task(ticket, database_url, clock):
    iid = start_ticket(ticket)
    task = only_task(ticket, iid)
    version = ticket.instance(iid).version
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [
        ctx.Process(
            target=complete_same_task,
            args=(database_url, clock.now(), task.id, actor, barrier, results),
        )
        for actor in ("staff:li", "staff:wang")
    ]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    _check_one_winner(ticket, iid, outcomes, version)
