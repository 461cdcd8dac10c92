"""Which timers fired inside a step, so that every firing is audited, not only the sweep's.

A timer can fire outside the sweep: a step that (re)creates a boundary timer whose instant has
already passed (a handling task re-opened after a refused extension, once its deadline went by
during the approval) fires it at once, inside the dispatcher's step. Firing is read from the
tree: a firing gives the timer's task definite children on its outgoing flow (predicted ones do
not count, nor the cancelled children of a timer that was withdrawn with its task).
"""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

# The actor of every timer firing (the sweep writes the same: engine.core.timers.SYSTEM_ACTOR).
TIMER_ACTOR = "system:timer"
_RAN = TaskState.DEFINITE_MASK | TaskState.COMPLETED | TaskState.ERROR


def timer_outputs(workflow: BpmnWorkflow) -> dict[UUID, tuple[str, int]]:
    """Per timer task: the timer's name and how many outputs its firings have produced."""
    counts: dict[UUID, tuple[str, int]] = {}
    for task in _every_task(workflow):
        definition = getattr(task.task_spec, "event_definition", None)
        if isinstance(definition, TimerEventDefinition):
            ran = sum(
                1
                for child in task.children
                # Engine-internal specs (a boundary event's join) have no BPMN id.
                if child.has_state(_RAN) and getattr(child.task_spec, "bpmn_id", None)
            )
            counts[task.id] = (definition.name, ran)
    return counts


def _every_task(workflow: BpmnWorkflow) -> Iterator[Task]:
    """Every task of the workflow and its subprocesses, in no order.

    Read twice on every step: the task maps are several times cheaper to walk than
    ``get_tasks()``'s tree iterator, and the order does not matter here.
    """
    yield from workflow.tasks.values()
    for subprocess in workflow.subprocesses.values():
        yield from subprocess.tasks.values()


def fired_between(
    before: dict[UUID, tuple[str, int]], after: dict[UUID, tuple[str, int]]
) -> list[str]:
    """The names of the timers that fired between two readings, once per firing."""
    fired: list[str] = []
    for task_id, (name, count) in after.items():
        earlier = before.get(task_id, (name, 0))[1]
        fired.extend([name] * max(0, count - earlier))
    return sorted(fired)
