"""Official holiday schedules entered by administrators, and the working calendar built on them."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from sqlalchemy import select
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


class CalendarProvider:
    """Working calendars per county, rebuilt only when the entered schedules change."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[tuple[Any, ...], WorkingCalendar]] = {}
        self._lock = threading.Lock()

    def calendar(self, *, county: str, session: Session) -> WorkingCalendar:
        rows = session.execute(
            select(
                HolidayScheduleEntry.year,
                HolidayScheduleEntry.entered_at,
                HolidayScheduleEntry.data,
            )
            .where(HolidayScheduleEntry.county == county)
            .order_by(HolidayScheduleEntry.year)
        ).all()
        key = tuple((year, entered_at) for year, entered_at, _data in rows)
        cached = self._cache.get(county)
        if cached is not None and cached[0] == key:
            return cached[1]
        calendar = WorkingCalendar(parse_year_schedule(data) for _y, _e, data in rows)
        with self._lock:
            self._cache[county] = (key, calendar)
        return calendar
