"""Run-time bounds on the timer values SpiffWorkflow computes due times from.

SpiffWorkflow 3.2 turns a duration's years and months into days by walking the calendar
month by month, so ``"P99999999999Y"`` (or any computed value like it) would keep a step
busy for hours. Deploy-time lint catches literal values; values computed from process data
are checked here, before the library's arithmetic runs, against the same limits
(:mod:`engine.core.timer_limits`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from engine.core.errors import EngineError
from engine.core.timer_limits import timer_value_problem


class TimerOutOfRange(EngineError):
    """A timer's computed value is outside the limits; the step was stopped."""

    def __init__(self, kind: str, value: object, reason: str) -> None:
        self.kind = kind
        self.value = value
        super().__init__(f"定时器取值 {str(value)[:60]!r} 无效：{reason}")


def _checked(kind: str, parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def check_then_parse(expression: Any) -> Any:
        reason = timer_value_problem(kind, expression)
        if reason is not None:
            raise TimerOutOfRange(kind, expression, reason)
        return parse(expression)

    # Marks the wrapper so install() stays idempotent; functions take attributes mypy can't see.
    check_then_parse.__wrapped__ = parse  # type: ignore[attr-defined]
    return check_then_parse


def install() -> None:
    """Idempotently put the checks in front of SpiffWorkflow's duration and cycle parsing."""
    for name, kind in (
        ("parse_iso_duration", "timeDuration"),
        ("parse_iso_recurring_interval", "timeCycle"),
    ):
        current = getattr(TimerEventDefinition, name)
        if getattr(current, "__wrapped__", None) is None:
            setattr(TimerEventDefinition, name, staticmethod(_checked(kind, current)))
