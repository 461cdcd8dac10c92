"""The tasks of a workflow in given states, in SpiffWorkflow's own depth-first order, cheaply.

``BpmnWorkflow.get_tasks(state=...)`` walks the tree through a general iterator (a filter
object per task, depth bookkeeping, a list rebuilt at every node); the platform asks it for
the ready human tasks and the live tasks twice on every step, which cost more than the
engine's own tree walks (ADR 0023). This walk visits the same tasks in the same order —
including the descent into subprocesses right after the task that started them — with a
plain stack. ``tests/engine/test_task_walk.py`` compares it with ``get_tasks`` at every
step of real complaint lifecycles.
"""

from __future__ import annotations

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState


def _lowest_state_descended(mask: int) -> int:
    """SpiffWorkflow's rule: predicted tasks are followed only when the filter wants them,
    definite tasks only when it wants definite or predicted ones."""
    if mask & TaskState.PREDICTED_MASK:
        return int(TaskState.MAYBE)
    if mask & TaskState.DEFINITE_MASK:
        return int(TaskState.FUTURE)
    return int(TaskState.COMPLETED)


def tasks_in_state(workflow: BpmnWorkflow, mask: int, *, manual: bool | None = None) -> list[Task]:
    """What ``workflow.get_tasks(state=mask, manual=manual)`` returns, in the same order."""
    lowest = _lowest_state_descended(mask)
    finished_only = mask <= TaskState.FINISHED_MASK
    subprocesses = workflow.subprocesses
    found: list[Task] = []
    stack: list[Task] = [workflow.task_tree]
    while stack:
        task = stack.pop()
        state = task._state
        if state & mask and (manual is None or task.task_spec.manual == manual):
            found.append(task)
        subprocess = subprocesses.get(task.id)
        children = task._children
        if not (children or subprocess is not None):
            continue
        if state < lowest and subprocess is None:
            continue
        # Pushed in reverse: the subprocess's root is visited first, then the children.
        lookup = task.workflow.tasks
        for child_id in reversed(children):
            child = lookup.get(child_id)
            if child is not None:
                stack.append(child)
        if subprocess is not None and not (state >= TaskState.FINISHED_MASK and finished_only):
            stack.append(subprocess.task_tree)
    return found
