"""Route SpiffWorkflow's timer evaluation through the engine clock.

SpiffWorkflow 3.2 calls ``datetime.now(timezone.utc)`` inside its timer module and offers
no hook. We replace that module's ``datetime`` name with a subclass whose ``now()`` asks the
clock in :data:`engine.core.clock.current_clock`; everything else behaves like ``datetime``.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from SpiffWorkflow.bpmn.specs.event_definitions import timer as _spiff_timer

from engine.core.clock import current_clock


class _ClockDatetime(datetime):
    @classmethod
    # datetime.now promises an instance of the subclass; the clock's instant is a datetime.
    def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
        instant = current_clock.get().now()
        return instant.astimezone(tz) if tz is not None else instant.astimezone(UTC)


def install() -> None:
    """Idempotently route SpiffWorkflow's reads of the time through the engine clock."""
    _spiff_timer.datetime = _ClockDatetime
    install_task_stamps()


class _ClockTime:
    """Stands in for the ``time`` module inside ``SpiffWorkflow.task`` (state-change stamps)."""

    @staticmethod
    def time() -> float:
        return current_clock.get().timestamp()


def install_task_stamps() -> None:
    from SpiffWorkflow import task as _spiff_task

    _spiff_task.time = _ClockTime
