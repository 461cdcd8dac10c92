"""Live workflows kept between steps, so that the next step on an instance need not restore it.

Restoring a complaint instance (~90 tasks) from its JSON is the dearest part of a step after
SpiffWorkflow's own work. A step *takes* the live workflow of its instance, if one is kept
and it is exactly the stored state, and keeps it again with the text it saved. The database
stays the only truth:

- an entry is used only when the row's ``state_json`` is, character for character, the text
  that was written from that very workflow, under the same spec object — so a step another
  process made, or a step of ours that rolled back after saving, makes the entry a miss,
  never a stale hit (no commit hook is needed for that);
- a taken workflow leaves the cache, so two threads never share one, and a step that fails
  after mutating it simply loses it (the next step restores from the row);
- the cache is a bounded LRU: memory does not grow with the number of instances.

With ``JUHAOBAN_CHECK_LIVE_WORKFLOWS=1`` (the test suite sets it) every hit is compared
with a fresh restore, task by task, and a difference raises: a live object that behaves
unlike its stored JSON (a tuple that would come back a list, aliased data) is found by the
tests, not in production.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.bpmn.specs import BpmnProcessSpec

DEFAULT_CAPACITY = 256
CAPACITY_ENV = "JUHAOBAN_LIVE_WORKFLOWS"
CHECK_ENV = "JUHAOBAN_CHECK_LIVE_WORKFLOWS"


class LiveWorkflowMismatch(AssertionError):
    """A kept workflow differs from the one its stored state restores to."""


@dataclass
class _Entry:
    state_json: str
    workflow: BpmnWorkflow


def capacity_from_env(
    environ: dict[str, str] | None = None, *, default: int = DEFAULT_CAPACITY
) -> int:
    env = os.environ if environ is None else environ
    raw = env.get(CAPACITY_ENV, str(default))
    try:
        capacity = int(raw)
    except ValueError:
        message = f"{CAPACITY_ENV} must be a whole number of workflows, not {raw!r}"
        raise ValueError(message) from None
    if capacity < 0:
        raise ValueError(f"{CAPACITY_ENV} must not be negative, got {capacity}")
    return capacity


class LiveWorkflows:
    """A bounded, thread-safe LRU of live workflows by instance id."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY, *, check: bool | None = None) -> None:
        self.capacity = capacity
        self.check = os.environ.get(CHECK_ENV) == "1" if check is None else check
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[int, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def take(self, instance_id: int, state_json: str, spec: BpmnProcessSpec) -> BpmnWorkflow | None:
        """The live workflow whose stored state is ``state_json``, removed from the cache."""
        with self._lock:
            entry = self._entries.pop(instance_id, None)
            usable = (
                entry is not None and entry.workflow.spec is spec and entry.state_json == state_json
            )
            if usable:
                self.hits += 1
            else:
                self.misses += 1
        if entry is not None and not usable:
            dismantle(entry.workflow)  # out of date: nobody else holds it
        return entry.workflow if usable and entry is not None else None

    def keep(self, instance_id: int, state_json: str, workflow: BpmnWorkflow) -> None:
        """Keep ``workflow``, whose stored text is ``state_json``."""
        if self.capacity == 0:
            return
        dropped = []
        with self._lock:
            replaced = self._entries.get(instance_id)
            if replaced is not None and replaced.workflow is not workflow:
                dropped.append(replaced.workflow)
            self._entries[instance_id] = _Entry(state_json, workflow)
            self._entries.move_to_end(instance_id)
            while len(self._entries) > self.capacity:
                dropped.append(self._entries.popitem(last=False)[1].workflow)
        for old in dropped:
            dismantle(old)

    def forget(self, instance_id: int) -> None:
        with self._lock:
            self._entries.pop(instance_id, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def dismantle(workflow: BpmnWorkflow) -> None:
    """Break the reference cycles of a workflow nobody will use again, so that reference
    counting frees it at once.

    A workflow and its tasks point at each other (and subprocesses at their top workflow),
    so a dropped one waits for a full garbage collection — which must traverse every live
    workflow kept, seconds at full scale: a quarter of the simulator's time over a full
    county's open cases (ADR 0023). Used only where the workflow provably has no other
    holder: an entry evicted from or refused by this cache, an instance that ended (it is
    never kept). A use afterwards fails loudly (its attributes are gone), never silently.
    """
    subprocesses = list(workflow.subprocesses.values())
    for owner in [*subprocesses, workflow]:
        for task in list(owner.tasks.values()):
            task.__dict__.clear()
        owner.__dict__.clear()


def compare_restored(live: BpmnWorkflow, restored: BpmnWorkflow) -> None:
    """Raise :class:`LiveWorkflowMismatch` naming the first difference that a step could see."""

    def tasks(workflow: BpmnWorkflow) -> dict[Any, Any]:
        found = dict(workflow.tasks)
        for sub in workflow.subprocesses.values():
            found.update(sub.tasks)
        return found

    if live.data != restored.data:
        raise LiveWorkflowMismatch(f"workflow data: {live.data!r} != {restored.data!r}")
    mine, theirs = tasks(live), tasks(restored)
    if mine.keys() != theirs.keys():
        differing = sorted(map(str, mine.keys() ^ theirs.keys()))
        raise LiveWorkflowMismatch(f"task ids differ: {differing}")
    for task_id, task in mine.items():
        other = theirs[task_id]
        for name in ("state", "data", "internal_data", "triggered"):
            a, b = getattr(task, name), getattr(other, name)
            if a != b or type(a) is not type(b):
                raise LiveWorkflowMismatch(
                    f"task {task.task_spec.name} ({task_id}) {name}: {a!r} != {b!r}"
                )
        if [c.id for c in task.children] != [c.id for c in other.children]:
            raise LiveWorkflowMismatch(f"task {task.task_spec.name} ({task_id}) children differ")
    if len(live.bpmn_events) != len(restored.bpmn_events):
        raise LiveWorkflowMismatch("pending BPMN events differ")
