"""What every step needs: the clock, the serializer, the definition cache, the script engine."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine

from engine.core import log_context, spiff_clock, timer_bounds
from engine.core.clock import Clock, current_clock
from engine.core.definition_store import DefinitionCache
from engine.core.evaluation_budget import Budget, budget_from_env, step_budget
from engine.core.live_workflows import LiveWorkflows, capacity_from_env
from engine.core.scripting import ServiceOperation, make_script_engine
from engine.core.serialization import StateSerializer
from engine.core.step_failures import StepFailed, diagnose

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engine.core.projection import Projector

spiff_clock.install()
timer_bounds.install()
# Spiff logs every task state change at INFO; that costs ~5 % of a step.
logging.getLogger("spiff.task").setLevel(logging.WARNING)
logging.getLogger("spiff.workflow").setLevel(logging.WARNING)


class FixedClock(Clock):
    """The instant of one step: everything inside a step sees the same "now"."""

    def __init__(self, instant: datetime) -> None:
        self._instant = instant
        self._timestamp = instant.timestamp()

    def now(self) -> datetime:
        return self._instant

    def timestamp(self) -> float:
        return self._timestamp


@dataclass(frozen=True)
class StepContext:
    """What service operations called from inside a step may use: its instant, its
    transaction and the instance being advanced."""

    now: datetime
    session: Session
    instance_id: int | None
    county: str


_current_step: ContextVar[StepContext | None] = ContextVar("juhaoban_step", default=None)


def current_step() -> StepContext:
    step = _current_step.get()
    if step is None:
        raise RuntimeError("service operations run only inside an engine step")
    return step


@contextmanager
def step_scope(
    now: datetime,
    session: Session,
    *,
    instance_id: int | None,
    county: str,
    definition_id: int | None = None,
    budget: Budget | None = None,
    process: str | None = None,
    case_id: str | None = None,
    element: str | None = None,
) -> Iterator[None]:
    """Run SpiffWorkflow code as if it were ``now``, inside the step's transaction, with
    the diagram's scripts drawing on one budget.

    :raises StepFailed: the diagram failed (script error, budget breach, timer value out of
        range), named at its element; database and domain errors pass through as they are.
    """
    # For metrics (by process) and for the ids on every log record of the step.
    log_context.annotate(process=process, instance_id=instance_id, case_id=case_id, element=element)
    clock_token = current_clock.set(FixedClock(now))
    step_token = _current_step.set(StepContext(now, session, instance_id, county))
    try:
        with step_budget(budget):
            yield
    except Exception as err:
        failure = diagnose(
            err, county=county, instance_id=instance_id, definition_id=definition_id, at=now
        )
        if failure is err:
            raise
        if isinstance(failure, StepFailed):
            raise failure from err
        raise failure from None
    finally:
        _current_step.reset(step_token)
        current_clock.reset(clock_token)


DueListener = Callable[[datetime], None]


@dataclass
class Runtime:
    """The engine's shared, immutable-after-start collaborators."""

    clock: Clock
    functions: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    services: Mapping[str, ServiceOperation] = field(default_factory=dict)
    max_timer_attempts: int = 3
    due_listeners: list[DueListener] = field(default_factory=list)
    # Per process key: functions that keep domain projections (e.g. the complaint row)
    # in step with the workflow, called in the step's transaction.
    projectors: dict[str, list[Projector]] = field(default_factory=dict)
    # What one step may spend on diagram code (JUHAOBAN_SCRIPT_CPU_MS / _MEMORY_MB).
    budget: Budget = field(default_factory=budget_from_env)

    def __post_init__(self) -> None:
        self.serializer = StateSerializer()
        self.definitions = DefinitionCache(self.serializer)
        self.live_workflows = LiveWorkflows(capacity_from_env())
        self.script_engine: PythonScriptEngine = make_script_engine(self.functions, self.services)

    def register_services(self, operations: Mapping[str, ServiceOperation]) -> None:
        """Make service-task operations available to every diagram this runtime runs."""
        self.services = {**self.services, **operations}
        self.script_engine.environment.services.update(operations)

    def register_projector(self, process_key: str, projector: Projector) -> None:
        self.projectors.setdefault(process_key, []).append(projector)

    def notify_due(self, due: datetime) -> None:
        for listener in self.due_listeners:
            listener(due)
