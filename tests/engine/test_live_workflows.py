"""Live workflows kept between steps: reused only when they are exactly the stored state."""

from __future__ import annotations

import gc
import weakref

import pytest

from engine import WorkflowHost
from engine.core.live_workflows import (
    LiveWorkflowMismatch,
    LiveWorkflows,
    capacity_from_env,
    dismantle,
)
from engine.core.persistence import make_session_factory
from tests.engine.helpers import audit_count, only_task, start_ticket


@pytest.fixture
def ticket(host, diagram):
    host.deploy(diagram("ticket.bpmn"), actor="designer")
    return host


def test_the_next_step_reuses_the_workflow_the_last_step_saved(ticket):
    live = ticket.runtime.live_workflows
    iid = start_ticket(ticket)
    ticket.complete_task(only_task(ticket, iid).id, {"note": "收到"}, actor="staff")
    ticket.complete_task(
        only_task(ticket, iid).id, {"reply": "已修好", "satisfied": True}, actor="staff"
    )
    ticket.complete_task(only_task(ticket, iid).id, {"verdict": "ok"}, actor="dispatcher")
    assert (live.hits, live.misses) == (3, 0)
    assert ticket.instance(iid).status == "completed"
    assert len(live) == 0, "a finished instance is not kept"


def test_a_step_another_process_made_is_never_lost(ticket, db, clock):
    """Host A keeps the instance live; host B (another web worker) signs the case for. A's
    next step must continue from B's state, not from its own older live copy."""
    iid = start_ticket(ticket)
    other = WorkflowHost(make_session_factory(db), clock)
    other.complete_task(only_task(other, iid).id, {"note": "乙签收"}, actor="staff:b")

    handle = only_task(ticket, iid)
    assert handle.task_name == "handle"
    ticket.complete_task(handle.id, {"reply": "已修好", "satisfied": True}, actor="staff:a")

    live = ticket.runtime.live_workflows
    assert (live.hits, live.misses) == (0, 1)
    assert ticket.instance_data(iid)["note"] == "乙签收"
    assert only_task(ticket, iid).task_name == "verify"
    assert audit_count(ticket, "task.completed", iid) == 2


def test_a_step_that_rolls_back_leaves_no_live_workflow_behind(ticket):
    iid = start_ticket(ticket)
    task = only_task(ticket, iid)
    failing = {"on": True}

    def projector(outcome):
        if failing["on"]:
            raise RuntimeError("投影失败")

    ticket.runtime.register_projector("ticket", projector)
    with pytest.raises(RuntimeError, match="投影失败"):
        ticket.complete_task(task.id, {"note": "第一次"}, actor="staff")
    failing["on"] = False

    # The workflow the failed step advanced is gone: the task is still open in the database
    # and in the workflow restored from it.
    ticket.complete_task(task.id, {"note": "第二次"}, actor="staff")
    assert ticket.instance_data(iid)["note"] == "第二次"
    assert audit_count(ticket, "task.completed", iid) == 1


def test_the_cache_keeps_at_most_its_capacity(ticket):
    live = ticket.runtime.live_workflows
    live.capacity = 2
    first, *_rest = [start_ticket(ticket) for _ in range(3)]
    assert len(live) == 2
    ticket.complete_task(only_task(ticket, first).id, {"note": "收到"}, actor="staff")
    assert live.misses == 1, "the least recently used instance was dropped"


def test_capacity_zero_restores_every_step(host, diagram):
    host.runtime.live_workflows.capacity = 0
    host.deploy(diagram("ticket.bpmn"), actor="designer")
    iid = start_ticket(host)
    host.complete_task(only_task(host, iid).id, {"note": "收到"}, actor="staff")
    assert len(host.runtime.live_workflows) == 0
    assert host.runtime.live_workflows.hits == 0


def test_check_mode_finds_a_live_workflow_unlike_its_stored_state(ticket):
    """A tuple in task data would come back from JSON as a list: the suite's check mode
    (on in every test) names the difference instead of letting the two behave apart."""
    live = ticket.runtime.live_workflows
    live.check = True
    iid = start_ticket(ticket)
    workflow = live._entries[iid].workflow
    task = next(t for t in workflow.get_tasks() if t.task_spec.name == "sign_for")
    task.data["pair"] = (1, 2)

    with pytest.raises(LiveWorkflowMismatch, match=r"sign_for .*data.*\(1, 2\)"):
        ticket.complete_task(only_task(ticket, iid).id, {"note": "收到"}, actor="staff")
    # Nothing was saved: the step's own restore from the row goes on normally.
    ticket.complete_task(only_task(ticket, iid).id, {"note": "收到"}, actor="staff")
    assert only_task(ticket, iid).task_name == "handle"


def test_capacity_from_the_environment():
    assert capacity_from_env({}) == 256
    assert capacity_from_env({}, default=4096) == 4096
    assert capacity_from_env({"JUHAOBAN_LIVE_WORKFLOWS": "0"}) == 0
    with pytest.raises(ValueError, match="JUHAOBAN_LIVE_WORKFLOWS.*'many'"):
        capacity_from_env({"JUHAOBAN_LIVE_WORKFLOWS": "many"})
    with pytest.raises(ValueError, match="must not be negative"):
        capacity_from_env({"JUHAOBAN_LIVE_WORKFLOWS": "-1"})


def test_the_suite_runs_with_the_check_on():
    assert LiveWorkflows().check, "tests/conftest.py sets JUHAOBAN_CHECK_LIVE_WORKFLOWS=1"


def _freed_without_collection(host, instance_ids, act) -> list[bool]:
    """Run ``act`` with the garbage collector off; which of the instances' live workflows
    were freed by reference counting alone."""
    live = host.runtime.live_workflows
    refs = [weakref.ref(live._entries[i].workflow) for i in instance_ids]
    gc.disable()
    try:
        act()
        return [ref() is None for ref in refs]
    finally:
        gc.enable()


def test_evicted_and_ended_workflows_are_freed_at_once(ticket):
    """A full collection traverses every kept workflow (seconds at full scale), so the ones
    dropped must not wait for it: eviction and the end of an instance free them."""
    live = ticket.runtime.live_workflows
    live.capacity = 2
    first, second = start_ticket(ticket), start_ticket(ticket)
    assert _freed_without_collection(ticket, [first], lambda: start_ticket(ticket)) == [True]

    def finish() -> None:
        for form, actor in (
            ({"note": "收到"}, "staff"),
            ({"reply": "已修好", "satisfied": True}, "staff"),
            ({"verdict": "ok"}, "dispatcher"),
        ):
            ticket.complete_task(only_task(ticket, second).id, form, actor=actor)

    assert _freed_without_collection(ticket, [second], finish) == [True]
    assert ticket.instance(second).status == "completed"


def test_a_dismantled_workflow_fails_loudly_if_used(ticket):
    iid = start_ticket(ticket)
    workflow = ticket.runtime.live_workflows._entries[iid].workflow
    dismantle(workflow)
    with pytest.raises(AttributeError):
        workflow.get_tasks()


def test_a_workflow_is_kept_only_once_its_step_is_done_with_it(ticket, monkeypatch):
    """Another thread's step may find a kept entry out of date and dismantle it; so while a
    step still reads its workflow (the audit after the save), it must not be in the cache.
    (Found by the PostgreSQL run of test_two_threads_complete_the_same_task.)"""
    from engine.core import instances

    iid = start_ticket(ticket)
    live = ticket.runtime.live_workflows
    seen_during_audit = []
    record = instances.record_event

    def auditing(**kwargs):
        if kwargs.get("instance_id") == iid:
            seen_during_audit.append(iid in live._entries)
        return record(**kwargs)

    monkeypatch.setattr(instances, "record_event", auditing)
    ticket.complete_task(only_task(ticket, iid).id, {"note": "收到"}, actor="staff")
    assert seen_during_audit and not any(seen_during_audit)
    assert iid in live._entries  # kept once the step was done
