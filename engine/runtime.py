"""What every step needs: the clock, the serializer, the definition cache, the script engine."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine

from engine import spiff_clock
from engine.clock import Clock, current_clock
from engine.definition_store import DefinitionCache
from engine.scripting import ServiceOperation, make_script_engine
from engine.serialization import StateSerializer

spiff_clock.install()
# Spiff logs every task state change at INFO; that costs ~5 % of a step.
logging.getLogger("spiff.task").setLevel(logging.WARNING)
logging.getLogger("spiff.workflow").setLevel(logging.WARNING)


class FixedClock(Clock):
    """The instant of one step: everything inside a step sees the same "now"."""

    def __init__(self, instant: datetime) -> None:
        self._instant = instant

    def now(self) -> datetime:
        return self._instant


@contextmanager
def frozen_at(instant: datetime) -> Iterator[None]:
    """Run SpiffWorkflow code as if it were ``instant``."""
    token = current_clock.set(FixedClock(instant))
    try:
        yield
    finally:
        current_clock.reset(token)


DueListener = Callable[[datetime], None]


@dataclass
class Runtime:
    """The engine's shared, immutable-after-start collaborators."""

    clock: Clock
    functions: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    services: Mapping[str, ServiceOperation] = field(default_factory=dict)
    max_timer_attempts: int = 3
    due_listeners: list[DueListener] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.serializer = StateSerializer()
        self.definitions = DefinitionCache(self.serializer)
        self.script_engine: PythonScriptEngine = make_script_engine(self.functions, self.services)

    def notify_due(self, due: datetime) -> None:
        for listener in self.due_listeners:
            listener(due)
