"""The working calendar shared by every domain: official holiday schedules and the working-day
calendar built on them (deadlines count working days)."""

from engine.working_calendar.store import CalendarProvider, enter_schedule

__all__ = [
    "CalendarProvider",
    "enter_schedule",
]
