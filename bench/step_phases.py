"""Where a platform step's time goes: timers wrapped around the step's phases, in this process.

Used by ``bench/simulation.py --breakdown`` only. Every wrapped function adds its *exclusive*
time (its own, minus the wrapped functions it calls) to one phase, so the phases add up to
the simulator loop's time without double counting: SQL run inside the ORM flush counts as
SQL, a catalog lookup run inside SpiffWorkflow's engine step counts as a lookup. The
wrappers are installed by replacing module and class attributes in the benchmark's process;
engine code is not changed. The wrappers cost ~1 µs a call and a step makes ~100 wrapped
calls (an estimate, not measured apart from the machine's noise), which is why the plain run,
without ``--breakdown``, gives the ratio.

Timers run only while :attr:`Phases.active` is set, so the bare SpiffWorkflow lifecycles run
between slices (which share the diagrams and the service classes) are not counted.
"""

from __future__ import annotations

import functools
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

_clock = time.perf_counter


class Phases:
    """Exclusive wall time and call counts by phase name."""

    def __init__(self) -> None:
        self.active = False
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.calls: defaultdict[str, int] = defaultdict(int)
        self.serialized_chars = 0
        self.serialized_tasks = 0
        # SQL statements by the phase that issued them (the innermost wrapped caller).
        self.sql_by_phase: defaultdict[str, int] = defaultdict(int)
        self._stack: list[list[Any]] = []

    def enter(self, phase: str) -> None:
        self._stack.append([phase, _clock(), 0.0])

    def leave(self) -> None:
        phase, started, inner = self._stack.pop()
        elapsed = _clock() - started
        self.seconds[phase] += elapsed - inner
        self.calls[phase] += 1
        if self._stack:
            self._stack[-1][2] += elapsed

    def wrap(self, function: Callable[..., Any], phase: str) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if not self.active:
                return function(*args, **kwargs)
            self.enter(phase)
            try:
                return function(*args, **kwargs)
            finally:
                self.leave()

        return timed


def _replace_everywhere(original: Any, replacement: Any) -> None:
    """Rebind every ``from x import f`` copy of ``original`` in the engine and simulator."""
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(("engine", "simulation", "rules")):
            continue
        for attribute, value in list(vars(module).items()):
            if value is original:
                setattr(module, attribute, replacement)


def install(phases: Phases) -> None:
    """Wrap the step's phases (see the module docstring). Call before the runtime is built:
    it binds the service operations when it is created."""
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.task import Task
    from sqlalchemy.orm.session import Session, SessionTransaction

    import engine.core.audit as audit
    import engine.core.instance_rows as instance_rows
    import engine.core.instance_state as instance_state
    import engine.core.instances as instances
    import engine.core.notifications as notifications
    import engine.core.serialization as serialization
    import engine.core.timer_audit as timer_audit
    from engine.complaints.projection import ComplaintProjector
    from engine.complaints.services import ComplaintServices

    def on_class(cls: type, names: list[str], phase: str) -> None:
        for name in names:
            setattr(cls, name, phases.wrap(getattr(cls, name), phase))

    def on_function(module: Any, name: str, phase: str) -> None:
        original = getattr(module, name)
        _replace_everywhere(original, phases.wrap(original, phase))

    # SpiffWorkflow's own work in a step (what bare in-memory SpiffWorkflow also does).
    on_class(
        BpmnWorkflow,
        ["do_engine_steps", "refresh_timers", "refresh_waiting_tasks", "send_event"],
        "spiff_engine",
    )
    on_class(Task, ["run"], "spiff_engine")
    # Lookups the diagram's service tasks make (catalog, routing, working-day calendar).
    on_class(
        ComplaintServices,
        [
            "route_complaint",
            "schedule_deadline",
            "check_extension",
            "hold_deadline",
            "extend_deadline",
            "notify",
            "file_amendment",
        ],
        "services_catalog_calendar",
    )
    # The instance's JSON: written at every step, read only on a live-workflow miss.
    dump = serialization.StateSerializer.dump_workflow

    def dump_counted(self: Any, workflow: Any) -> str:
        text = dump(self, workflow)
        if phases.active:
            phases.serialized_chars += len(text)
            phases.serialized_tasks += len(workflow.tasks) + sum(
                len(sub.tasks) for sub in workflow.subprocesses.values()
            )
        return text

    # The bench times the engine's own serializer in this process only, so it patches the class.
    serialization.StateSerializer.dump_workflow = phases.wrap(dump_counted, "serialize_instance")  # type: ignore[method-assign]
    on_class(serialization.StateSerializer, ["load_workflow"], "restore_instance")
    # Reads of the task tree the platform makes around a step (audit before/after, timers,
    # the ready human tasks, the process variables for the projection).
    for name in ("ready_human_tasks", "snapshot", "workflow_view", "next_due_at", "timer_tasks"):
        on_function(instance_state, name, "platform_tree_reads")
    on_function(instance_state, "_uncaught_errors", "platform_tree_reads")
    on_function(timer_audit, "timer_outputs", "platform_tree_reads")
    # Writes of a step, each as its own phase (their SQL is counted under "sql_execute").
    on_function(instance_rows, "write_instance", "instance_row_write")
    on_function(instance_state, "_sync_human_tasks", "human_task_projection")
    on_function(instance_state, "_notify_new_tasks", "notifications")
    on_function(notifications, "notify", "notifications")
    on_class(ComplaintProjector, ["__call__"], "complaint_projection")
    on_function(audit, "record_event", "audit")
    # Reads that open a step.
    for name in ("load_task_and_instance", "load_instance", "load_task"):
        on_function(instance_rows, name, "load_rows")
    on_function(instances, "load_workflow", "load_rows")
    on_function(instances, "advance_and_save", "step_glue")
    # The transaction: ORM flush bookkeeping, commit (the WAL write and sync), SQL statements.
    on_class(Session, ["flush"], "orm_flush")
    on_class(SessionTransaction, ["commit"], "commit")

    @event.listens_for(Engine, "before_cursor_execute")
    def _before(*_args: Any) -> None:
        if phases.active:
            phases.sql_by_phase[phases._stack[-1][0] if phases._stack else "unattributed"] += 1
            phases.enter("sql_execute")

    @event.listens_for(Engine, "after_cursor_execute")
    def _after(*_args: Any) -> None:
        if phases.active and phases._stack and phases._stack[-1][0] == "sql_execute":
            phases.leave()

    @event.listens_for(Engine, "handle_error")
    def _error(*_args: Any) -> None:
        if phases.active and phases._stack and phases._stack[-1][0] == "sql_execute":
            phases.leave()


def install_loop(phases: Phases, loop: Any) -> None:
    """The simulator around the platform: intake glue, acting, sweeping, planning."""
    for name, phase in (
        ("_arrive", "sim_intake_glue"),
        ("_act", "sim_act_glue"),
        ("_sweep", "sim_sweep_glue"),
        ("_plan", "sim_planning"),
        ("_advance", "sim_advance_glue"),
    ):
        setattr(loop, name, phases.wrap(getattr(loop, name), phase))


def per_step_ms(phases: Phases, steps: int, loop_s: float) -> dict[str, float]:
    """Each phase's ms per step, largest first, with what no wrapper saw as ``unattributed``."""
    seen = sum(phases.seconds.values())
    shares = dict(phases.seconds) | {"unattributed": max(0.0, loop_s - seen)}
    ordered = sorted(shares.items(), key=lambda item: -item[1])
    return {name: round(1000 * seconds / max(1, steps), 3) for name, seconds in ordered}
