"""Office time for simulated people: units and the dispatcher act on working days between
08:30 and 17:30 Beijing time, so a report at 22:00 is signed for the next morning."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from rules import CHINA_TZ, WorkingCalendar

OPEN = time(8, 30)
CLOSE = time(17, 30)
_DAY = timedelta(hours=9)


class OfficeHours:
    def __init__(self, calendar: WorkingCalendar | None = None) -> None:
        self.calendar = calendar or WorkingCalendar()
        self._working: dict[date, bool] = {}

    def is_working_day(self, day: date) -> bool:
        known = self._working.get(day)
        if known is None:
            known = self._working[day] = self.calendar.is_working_day(day)
        return known

    def next_open(self, instant: datetime) -> datetime:
        """``instant`` if the office is open then, else the next opening."""
        local = instant.astimezone(CHINA_TZ)
        day = local.date()
        if self.is_working_day(day) and OPEN <= local.time() < CLOSE:
            return instant
        if self.is_working_day(day) and local.time() < OPEN:
            return datetime.combine(day, OPEN, CHINA_TZ).astimezone(UTC)
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return datetime.combine(day, OPEN, CHINA_TZ).astimezone(UTC)

    def add(self, instant: datetime, minutes: float) -> datetime:
        """``minutes`` of office time after ``instant``."""
        at = self.next_open(instant)
        left = timedelta(minutes=max(0.0, minutes))
        while True:
            local = at.astimezone(CHINA_TZ)
            closing = datetime.combine(local.date(), CLOSE, CHINA_TZ)
            room = closing - local
            if left < room:
                return (local + left).astimezone(UTC)
            left -= room
            at = self.next_open(closing.astimezone(UTC))
