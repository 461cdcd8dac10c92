"""Official holiday schedules entered by administrators, and the working calendar built on them."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from engine.core.audit import record_event
from engine.working_calendar.models import HolidayScheduleEntry
from rules import WorkingCalendar, YearSchedule, parse_year_schedule


def enter_schedule(
    data: dict[str, Any], *, county: str, actor: str, now: datetime, session: Session
) -> YearSchedule:
    """Store (or replace) a year's official schedule.

    :raises ScheduleInvalid: naming each bad field; nothing is stored.
    """
    schedule = parse_year_schedule(data)
    row = session.scalars(
        select(HolidayScheduleEntry).where(
            HolidayScheduleEntry.county == county, HolidayScheduleEntry.year == schedule.year
        )
    ).first()
    before = row.data if row is not None else None
    if row is None:
        row = HolidayScheduleEntry(
            county=county, year=schedule.year, data={}, entered_by=actor, entered_at=now
        )
        session.add(row)
    row.data = schedule.to_dict()
    row.entered_by = actor
    row.entered_at = now
    record_event(
        county=county,
        at=now,
        actor=actor,
        action="calendar.entered",
        before=before,
        after=row.data,
        detail={"year": schedule.year},
        session=session,
    )
    return schedule


_STAMPS = (
    select(HolidayScheduleEntry.year, HolidayScheduleEntry.entered_at)
    .where(HolidayScheduleEntry.county == bindparam("county"))
    .order_by(HolidayScheduleEntry.year)
)
_SCHEDULES = (
    select(HolidayScheduleEntry.year, HolidayScheduleEntry.entered_at, HolidayScheduleEntry.data)
    .where(HolidayScheduleEntry.county == bindparam("county"))
    .order_by(HolidayScheduleEntry.year)
)


class CalendarProvider:
    """Working calendars per county, rebuilt only when the entered schedules change."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[tuple[Any, ...], WorkingCalendar]] = {}
        self._lock = threading.Lock()

    def calendar(self, *, county: str, session: Session) -> WorkingCalendar:
        # Every deadline a step computes asks for the calendar: the stamps (year, entry time)
        # are read in the step's transaction, the schedules themselves only when they changed.
        stamps = tuple(
            (year, entered_at)
            for year, entered_at in session.execute(_STAMPS, {"county": county}).all()
        )
        cached = self._cache.get(county)
        if cached is not None and cached[0] == stamps:
            return cached[1]
        rows = session.execute(_SCHEDULES, {"county": county}).all()
        key = tuple((year, entered_at) for year, entered_at, _data in rows)
        calendar = WorkingCalendar(parse_year_schedule(data) for _y, _e, data in rows)
        with self._lock:
            self._cache[county] = (key, calendar)
        return calendar
