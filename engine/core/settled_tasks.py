"""A finished task's serialized form, kept on the task and reused while it cannot change.

Every step stores the whole instance (spec-less JSON, ADR 0002); converting its ~60 tasks to
dicts is most of a save, and ~70 % of them are finished (ADR 0023). A finished task whose
parent is finished too has a fixed form: its state, data and internal data no longer change,
and its data is stored as a delta against its parent's, which is finished as well. What can
still change — its state (a reset), its children (a loop grows the tree) and the event flag —
is the key the kept form is checked against, so the stored text stays exactly what a fresh
conversion writes (``tests/engine/test_settled_tasks.py`` compares them at every step).
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.serializer.default.workflow import TaskConverter
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

_KEPT = "_juhaoban_settled_form"
_FINISHED = int(TaskState.COMPLETED | TaskState.CANCELLED | TaskState.ERROR)


class SettledTaskConverter(TaskConverter):
    def to_dict(self, task: Task) -> dict[str, Any]:
        key = (task._state, task.last_state_change, task.triggered, tuple(task._children))
        kept = task.__dict__.get(_KEPT)
        if kept is not None and kept[0] == key:
            form: dict[str, Any] = kept[1]
            return form
        form = super().to_dict(task)
        parent = task.parent
        if task._state & _FINISHED and (parent is None or parent._state & _FINISHED):
            task.__dict__[_KEPT] = (key, form)
        return form
