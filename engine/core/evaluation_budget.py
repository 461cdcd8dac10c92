"""The time and size budget every script, condition and timer expression of a step runs under.

A designer's diagram is trusted code (only designers deploy), but a careless loop must not
stop the county. Each engine step opens one budget (CPU time of the thread and memory growth
of the process); every evaluation inside the step draws on it, so a step can never hold the
database's write lock for longer than its budget. ``docs/adr/0012-bounded-evaluation.md``
says why this is an interpreter-level guard rather than a worker process.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from engine.core.errors import EngineError

DEFAULT_CPU_MS = 200
DEFAULT_MEMORY_MB = 64
_MB = 1024 * 1024


@dataclass(frozen=True)
class Budget:
    """What one step may spend on diagram code: CPU seconds and bytes of memory growth."""

    cpu_seconds: float = DEFAULT_CPU_MS / 1000
    memory_bytes: int = DEFAULT_MEMORY_MB * _MB

    def describe(self) -> str:
        return f"{self.cpu_seconds * 1000:.0f} 毫秒 CPU、{self.memory_bytes // _MB} MB 内存"


def budget_from_env(environ: os._Environ[str] | dict[str, str] | None = None) -> Budget:
    """The budget configured by ``JUHAOBAN_SCRIPT_CPU_MS`` and ``JUHAOBAN_SCRIPT_MEMORY_MB``.

    :raises ValueError: a value that is not a positive whole number (named in the message).
    """
    env = os.environ if environ is None else environ
    values: dict[str, int] = {}
    for name, default in (
        ("JUHAOBAN_SCRIPT_CPU_MS", DEFAULT_CPU_MS),
        ("JUHAOBAN_SCRIPT_MEMORY_MB", DEFAULT_MEMORY_MB),
    ):
        raw = env.get(name, "").strip()
        if not raw:
            values[name] = default
            continue
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value <= 0:
            raise ValueError(f"环境变量 {name} 应为正整数，当前为 {raw!r}")
        values[name] = value
    return Budget(
        cpu_seconds=values["JUHAOBAN_SCRIPT_CPU_MS"] / 1000,
        memory_bytes=values["JUHAOBAN_SCRIPT_MEMORY_MB"] * _MB,
    )


class BudgetExceeded(EngineError):
    """Diagram code went over its step's budget; the step was stopped and rolled back.

    :param kind: ``cpu`` (time), ``memory`` (growth of the process) or ``size`` (one
        operation would build an object beyond the limits, e.g. ``10 ** (10 ** 8)``).
    :param element_id: the BPMN element whose code was running, when known.
    """

    def __init__(self, kind: str, detail: str, *, element_id: str | None = None) -> None:
        self.kind = kind
        self.detail = detail
        self.element_id = element_id
        where = f"元素 {element_id} 的" if element_id else ""
        super().__init__(f"{where}脚本或表达式超出预算：{detail}")

    def at(self, element_id: str | None) -> BudgetExceeded:
        """The same breach, named at ``element_id`` (filled in where the task is known)."""
        if self.element_id or not element_id:
            return self
        return BudgetExceeded(self.kind, self.detail, element_id=element_id)


@dataclass
class StepBudget:
    """The budget left to one step; evaluations add what they spent."""

    budget: Budget
    cpu_spent: float = 0.0
    element_id: str | None = field(default=None)


_current: ContextVar[StepBudget | None] = ContextVar("juhaoban_step_budget", default=None)
_default_budget = Budget()


def set_default_budget(budget: Budget) -> None:
    """The budget used by evaluations outside any step (validation, previews)."""
    global _default_budget
    _default_budget = budget


def current_budget() -> StepBudget:
    """The running step's budget, or a fresh one for an evaluation outside any step."""
    return _current.get() or StepBudget(_default_budget)


@contextmanager
def step_budget(budget: Budget | None = None) -> Iterator[StepBudget]:
    """Open one budget for a whole step (nested steps keep the outer one)."""
    outer = _current.get()
    if outer is not None:
        yield outer
        return
    state = StepBudget(budget or _default_budget)
    token = _current.set(state)
    try:
        yield state
    finally:
        _current.reset(token)
