"""The engine's one clock: every "now" in the platform comes from here."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta


class Clock(ABC):
    """A source of aware UTC instants.

    Production uses :class:`SystemClock`; tests and the simulator use :class:`VirtualClock`
    so that timers fire deterministically without sleeping.
    """

    @abstractmethod
    def now(self) -> datetime:
        """The current instant, aware, in UTC."""

    def timestamp(self) -> float:
        """``now()`` as POSIX seconds (SpiffWorkflow stamps every task it creates)."""
        return self.now().timestamp()


class SystemClock(Clock):
    def now(self) -> datetime:
        return datetime.now(UTC)


class VirtualClock(Clock):
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        _require_aware(start)
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        return self._now

    def set(self, instant: datetime) -> None:
        _require_aware(instant)
        with self._lock:
            self._now = instant.astimezone(UTC)

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._now = self._now + delta
            return self._now


def _require_aware(instant: datetime) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"naive datetime {instant!r}: the clock works in aware UTC only")


_system_clock = SystemClock()
# The clock SpiffWorkflow's timer code reads (see engine.core.spiff_clock). A ContextVar so that
# two hosts on different virtual clocks in one process (tests, simulator) do not interfere.
current_clock: ContextVar[Clock] = ContextVar("juhaoban_clock", default=_system_clock)
