"""Which case a log record belongs to: the ids of the step being run, on every record.

:func:`engine.core.transactions.run_step` opens a :class:`StepLog` for each step and
:func:`engine.core.runtime.step_scope` fills in what the step is about (process, instance, case,
element). :class:`StepContextFilter`, attached to a handler, copies those ids onto every
record emitted meanwhile — by the engine, SpiffWorkflow or a diagram's service call — so a
JSON log line can be grepped by case without each ``log.info`` call passing ids around.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar, Token
from dataclasses import dataclass

# The record attributes the filter sets (``None`` when unknown); formatters read them.
# (Not ``process``: every LogRecord already has that, the operating system's process id.)
FIELDS = ("process_key", "instance_id", "case_id", "element")


@dataclass(slots=True)
class StepLog:
    """What is known about the running step; filled in as the step learns it."""

    process_key: str | None = None
    instance_id: int | None = None
    case_id: str | None = None
    element: str | None = None


_current: ContextVar[StepLog | None] = ContextVar("juhaoban_step_log", default=None)


def current() -> StepLog | None:
    return _current.get()


def begin() -> tuple[StepLog, Token[StepLog | None]]:
    """Open a fresh record for a step about to run; pass the token to :func:`end`."""
    step = StepLog()
    return step, _current.set(step)


def end(token: Token[StepLog | None]) -> None:
    _current.reset(token)


def annotate(
    *,
    process: str | None = None,
    instance_id: int | None = None,
    case_id: str | None = None,
    element: str | None = None,
) -> None:
    """Add what the caller knows to the running step (no-op outside a step)."""
    step = _current.get()
    if step is None:
        return
    if process is not None:
        step.process_key = process
    if instance_id is not None:
        step.instance_id = instance_id
    if case_id is not None:
        step.case_id = case_id
    if element is not None:
        step.element = element


class StepContextFilter(logging.Filter):
    """Puts the running step's ids on each record (attach to handlers, not loggers, so
    records of every logger pass through it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        step = _current.get()
        for name in FIELDS:
            if not hasattr(record, name):  # an explicit ``extra=`` wins
                setattr(record, name, getattr(step, name) if step is not None else None)
        return True


__all__ = ["FIELDS", "StepContextFilter", "StepLog", "annotate", "begin", "current", "end"]
