"""Office hours of the county government, and arithmetic on working time over the calendar."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Literal

from .working_calendar import WorkingCalendar

# China Standard Time. Mainland China has kept UTC+8 without daylight saving since 1991, so
# a fixed offset equals Asia/Shanghai for every date we handle, without reading tz files.
CHINA_TZ = timezone(timedelta(hours=8), "CST")

HourCounting = Literal["working", "natural"]


class DeadlinePolicyInvalid(ValueError):
    """A `DeadlinePolicy` whose office hours make no sense."""


@dataclass(frozen=True)
class DeadlinePolicy:
    """How a county counts time limits.

    :param office_hours: the office windows of a working day, in China time, ascending.
        The default (08:30–12:00, 14:00–18:00) is the longest of the summer and winter
        hours Hebei county offices keep, so a limit never ends while staff may be at work.
    :param hour_limits: ``"working"`` counts hour limits (``2小时``) in office time on
        working days; ``"natural"`` counts clock hours, for a duty desk staffed around the
        clock.
    """

    office_hours: tuple[tuple[time, time], ...] = (
        (time(8, 30), time(12, 0)),
        (time(14, 0), time(18, 0)),
    )
    hour_limits: HourCounting = "working"

    def __post_init__(self) -> None:
        if not self.office_hours:
            raise DeadlinePolicyInvalid("office_hours must list at least one window")
        previous = time.min
        for start, end in self.office_hours:
            if start.tzinfo is not None or end.tzinfo is not None:
                raise DeadlinePolicyInvalid("office_hours are naive China times")
            if not previous <= start < end:
                raise DeadlinePolicyInvalid(
                    f"office window {start}–{end} must end after it starts and follow {previous}"
                )
            previous = end
        if self.hour_limits not in ("working", "natural"):
            raise DeadlinePolicyInvalid(
                f"hour_limits must be working or natural: {self.hour_limits}"
            )

    @property
    def close_of_business(self) -> time:
        """The end of the last office window: when a day-based limit expires."""
        return self.office_hours[-1][1]

    def describe_hours(self) -> str:
        return "、".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in self.office_hours)


def to_china(instant: datetime, name: str) -> datetime:
    """``instant`` in China time; naive datetimes are refused because they are ambiguous."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {instant!r}")
    return instant.astimezone(CHINA_TZ)


def end_of_day(day: date, policy: DeadlinePolicy) -> datetime:
    return datetime.combine(day, policy.close_of_business, CHINA_TZ)


def _windows(
    day: date, calendar: WorkingCalendar, policy: DeadlinePolicy
) -> Iterator[tuple[datetime, datetime]]:
    if calendar.is_working_day(day):
        for start, end in policy.office_hours:
            yield datetime.combine(day, start, CHINA_TZ), datetime.combine(day, end, CHINA_TZ)


def working_time_between(
    start: datetime, end: datetime, calendar: WorkingCalendar, policy: DeadlinePolicy
) -> timedelta:
    """Office time on working days between two aware instants (zero if ``end <= start``)."""
    start, end = to_china(start, "start"), to_china(end, "end")
    total = timedelta()
    day = start.date()
    while day <= end.date():
        for open_at, close_at in _windows(day, calendar, policy):
            lo, hi = max(open_at, start), min(close_at, end)
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return total


def add_working_time(
    start: datetime, amount: timedelta, calendar: WorkingCalendar, policy: DeadlinePolicy
) -> datetime:
    """The first instant at which ``amount`` of office time has passed since ``start``.

    For a positive amount the result lies inside or at the end of an office window on a
    working day; it is returned in China time.
    """
    start = to_china(start, "start")
    if amount <= timedelta():
        return start
    remaining = amount
    day = start.date()
    while True:
        for open_at, close_at in _windows(day, calendar, policy):
            lo = max(open_at, start)
            if lo >= close_at:
                continue
            if remaining <= close_at - lo:
                return lo + remaining
            remaining -= close_at - lo
        day += timedelta(days=1)
