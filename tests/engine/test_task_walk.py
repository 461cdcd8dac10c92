"""The platform's own tree walk returns what SpiffWorkflow's ``get_tasks`` returns, in order,
at every step of simulated complaints (returns, assists, timers, consultations, listing)."""

from __future__ import annotations

from SpiffWorkflow.util.task import TaskState

from engine.core import instance_state
from engine.core.task_walk import tasks_in_state
from tests.engine.simulated_month import simulate_month

MASKS = [
    (TaskState.READY, True),
    (TaskState.READY, None),
    (TaskState.READY | TaskState.WAITING, None),
    (TaskState.WAITING, None),
    (TaskState.LIKELY | TaskState.MAYBE, None),
    (TaskState.COMPLETED, None),
    (TaskState.FINISHED_MASK, False),
    (TaskState.ANY_MASK, None),
]


def test_walk_equals_get_tasks_at_every_step(tmp_path, monkeypatch):
    compared = {"steps": 0, "subprocess_tasks": 0}

    def checked_ready_human_tasks(workflow):
        for mask, manual in MASKS:
            expected = workflow.get_tasks(state=mask, manual=manual)
            assert [t.id for t in tasks_in_state(workflow, mask, manual=manual)] == [
                t.id for t in expected
            ], (TaskState.get_name(mask), manual)
        compared["steps"] += 1
        compared["subprocess_tasks"] += sum(len(s.tasks) for s in workflow.subprocesses.values())
        return original(workflow)

    original = instance_state.ready_human_tasks
    monkeypatch.setattr(instance_state, "ready_human_tasks", checked_ready_human_tasks)
    from engine.core import instances

    monkeypatch.setattr(instances, "ready_human_tasks", checked_ready_human_tasks)
    stats = simulate_month(tmp_path, seed=3)
    assert compared["steps"] > 2 * stats.steps  # before and after every step
    assert compared["subprocess_tasks"] > 0  # assisting units run in a subprocess
