"""The in-memory base for the simulated mix: the steps the platform took, replayed bare.

``bench/lifecycle.py``'s ``Bare`` runs one happy path (start, sign-for, two assists, handle,
callback); the simulator's cases also return, extend, escalate, wait on reminders and
supervision timers, so a platform step runs more engine tasks than a bare one (ADR 0023,
finding 1). This module records, for a sample of the simulated cases, what the platform did
to them — the start with its data, each completed task with its validated form, each timer
firing, at its virtual instant — and replays exactly that on plain SpiffWorkflow workflows
kept in memory, with the same diagrams and service logic and nothing stored. Its step is
the base of ``step_ratio_to_bare_same_mix`` (ADR 0023, decision 1).

Recording wraps three engine functions in this process only (the benchmark's); the wrappers
append a tuple and add no reads, so the platform's measured time barely moves.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from engine.core import instances, row_processes, timers
from engine.core.instance_state import element_id, waiting_timers
from engine.core.runtime import step_scope

_CATCH_UP_ROUNDS = 20


@dataclass
class _Case:
    county: str
    events: list[tuple[Any, ...]] = field(default_factory=list)
    done: int = 0  # events replayed so far
    workflow: BpmnWorkflow | None = None
    diverged: bool = False


@dataclass
class MixReplay:
    """Records every ``sample``-th started instance; :meth:`replay` plays what is new."""

    sample: int = 10
    cases: dict[int, _Case] = field(default_factory=dict)
    seconds: float = 0.0
    steps: int = 0  # starts and task completions replayed (the headline ratio's count)
    timers: int = 0
    _form: dict[str, Any] | None = None

    def install(self) -> None:
        start, advance = row_processes.start_instance, instances.advance_and_save
        validate = instances.validate_form

        def recorded_start(process_key: str, data: dict[str, Any], **kw: Any) -> Any:
            record = start(process_key, data, **kw)
            if record.id is not None and record.id % self.sample == 0:
                case = self.cases[record.id] = _Case(kw["county"])
                case.events.append(("start", kw["now"], dict(data)))
            return record

        def recorded_form(*args: Any, **kw: Any) -> dict[str, Any]:
            self._form = validate(*args, **kw)
            return self._form

        def recorded_advance(record: Any, workflow: Any, *args: Any, **kw: Any) -> int:
            case = self.cases.get(record.id)
            if case is not None:
                task = kw.get("completed_task")
                if kw.get("action") == "timer.fired":
                    case.events.append(("timer", kw["now"]))
                elif task is not None and self._form is not None:
                    unit = task.data.get("assisting_unit")
                    case.events.append(("task", kw["now"], element_id(task), unit, self._form))
            self._form = None
            return advance(record, workflow, *args, **kw)

        row_processes.start_instance = recorded_start
        instances.validate_form = recorded_form
        instances.advance_and_save = recorded_advance
        timers.advance_and_save = recorded_advance

    def replay(self, bare: Any) -> None:
        """Play every recorded event not played yet, case by case, on ``bare``'s diagrams
        and services (``bench.lifecycle.Bare``)."""
        for case in self.cases.values():
            while case.done < len(case.events) and not case.diverged:
                event = case.events[case.done]
                case.done += 1
                t0 = time.perf_counter()
                ok = self._play(case, event, bare)
                self.seconds += time.perf_counter() - t0
                if not ok:
                    case.diverged = True
                elif event[0] == "timer":
                    self.timers += 1
                else:
                    self.steps += 1

    @staticmethod
    def _play(case: _Case, event: tuple[Any, ...], bare: Any) -> bool:
        kind, now = event[0], event[1]
        with step_scope(now, None, instance_id=None, county=case.county):  # type: ignore[arg-type]  # bare: no session
            if kind == "start":
                workflow = BpmnWorkflow(bare.spec, bare.subs, script_engine=bare.engine)
                workflow.task_tree.data.update(event[2])
                workflow.do_engine_steps()
                case.workflow = workflow
                return True
            workflow = case.workflow
            if workflow is None:
                return False
            if kind == "timer":
                return _fire(workflow, now)
            _kind, _now, name, unit, form = event
            task = next(
                (
                    t
                    for t in workflow.get_tasks(state=TaskState.READY, manual=True)
                    if element_id(t) == name and t.data.get("assisting_unit") == unit
                ),
                None,
            )
            if task is None:
                return False
            task.set_data(**form)
            task.run()
            workflow.do_engine_steps()
            return True

    def figures(self) -> dict[str, Any]:
        diverged = sum(1 for c in self.cases.values() if c.diverged)
        return {
            "mix_sampled_cases": len(self.cases),
            "mix_diverged_cases": diverged,
            "mix_steps_replayed": self.steps,
            "mix_timer_firings_replayed": self.timers,
            "bare_same_mix_step_ms": round(1000 * self.seconds / max(1, self.steps), 3),
        }


def _fire(workflow: BpmnWorkflow, now: datetime) -> bool:
    """What the sweep does to a due instance (``engine.core.timers.fire_instance``); False
    when nothing was due here although the platform fired a timer (the replay diverged)."""
    for round_ in range(_CATCH_UP_ROUNDS):
        if not [name for name, at in waiting_timers(workflow) if at < now]:
            return round_ > 0
        workflow.refresh_timers()
        workflow.do_engine_steps()
    return False
