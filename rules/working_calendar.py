"""Which days are working days: entered schedules, then package data, then the statutory law."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from chinese_calendar import constants as package_data

from .holiday_schedule import Holiday, SwappedWorkingDay, YearSchedule
from .statutory_holidays import statutory_schedule

# Years the chinesecalendar package has official data for (2004–2026 in v1.11).
PACKAGE_FIRST_YEAR = min(package_data.holidays).year
PACKAGE_LAST_YEAR = max(package_data.holidays).year
_PACKAGE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


class DaySource(StrEnum):
    ENTERED = "entered"  # the State Council schedule an administrator entered
    PACKAGE = "package"  # official data shipped in the chinesecalendar package
    STATUTORY = "statutory"  # computed from the law; provisional


@dataclass(frozen=True)
class DayStatus:
    """What the calendar says about one day.

    :param holiday: the holiday the day belongs to (``国庆节``), ``None`` on ordinary days
        and on plain weekends.
    :param swapped: a Saturday or Sunday that is a working day (调休上班).
    :param provisional: the answer comes from the statutory fallback and may change once
        the State Council's schedule for the year is entered.
    """

    day: date
    working: bool
    provisional: bool
    source: DaySource
    holiday: str | None = None
    swapped: bool = False
    swapped_name: str = ""


def _runs(days: list[tuple[date, str]]) -> tuple[Holiday, ...]:
    runs: list[Holiday] = []
    for day, name in sorted(days):
        last = runs[-1] if runs else None
        if last and last.name == name and last.end + timedelta(days=1) == day:
            runs[-1] = Holiday(name, last.start, day)
        else:
            runs.append(Holiday(name, day, day))
    return tuple(runs)


def package_schedule(year: int) -> YearSchedule | None:
    """The official schedule of ``year`` from the chinesecalendar package, if it has one."""
    if not PACKAGE_FIRST_YEAR <= year <= PACKAGE_LAST_YEAR:
        return None
    off = [
        (d, _PACKAGE_NAMES.get(n, n)) for d, n in package_data.holidays.items() if d.year == year
    ]
    on = [
        SwappedWorkingDay(d, _PACKAGE_NAMES.get(n, n))
        for d, n in sorted(package_data.workdays.items())
        if d.year == year
    ]
    return YearSchedule(
        year, _runs(off), tuple(on), source="chinesecalendar 软件包（国务院历年放假安排）"
    )


class WorkingCalendar:
    """The working-day calendar, answering for any date without raising.

    For each year the first available of these decides: a schedule an administrator entered,
    the package's official data, the statutory holidays (provisional, no swapped days).
    """

    def __init__(self, schedules: Iterable[YearSchedule] = ()) -> None:
        self._entered: dict[int, YearSchedule] = {}
        for schedule in schedules:
            if schedule.year in self._entered:
                raise ValueError(f"{schedule.year} 年的放假安排录入了两次，请只保留一份")
            self._entered[schedule.year] = schedule
        self._years: dict[int, tuple[YearSchedule, DaySource]] = {}

    def schedule_for(self, year: int) -> tuple[YearSchedule, DaySource]:
        """The schedule that decides ``year`` and where it comes from."""
        found = self._years.get(year)
        if found is None:
            if year in self._entered:
                found = (self._entered[year], DaySource.ENTERED)
            elif (package := package_schedule(year)) is not None:
                found = (package, DaySource.PACKAGE)
            else:
                found = (statutory_schedule(year), DaySource.STATUTORY)
            self._years[year] = found
        return found

    def day(self, day: date) -> DayStatus:
        schedule, source = self.schedule_for(day.year)
        swapped = schedule.is_swapped_working_day(day)
        return DayStatus(
            day=day,
            working=schedule.is_working_day(day),
            provisional=source is DaySource.STATUTORY,
            source=source,
            holiday=schedule.holiday_name(day),
            swapped=swapped,
            swapped_name=schedule.swapped_name(day),
        )

    def is_working_day(self, day: date) -> bool:
        return self.schedule_for(day.year)[0].is_working_day(day)

    def is_provisional(self, day: date) -> bool:
        return self.schedule_for(day.year)[1] is DaySource.STATUTORY

    def provisional_years(self, first: int, last: int) -> tuple[int, ...]:
        """The years from ``first`` to ``last`` (inclusive) decided by the statutory fallback."""
        return tuple(
            y for y in range(first, last + 1) if self.schedule_for(y)[1] is DaySource.STATUTORY
        )

    def warnings(self, first: int, last: int) -> tuple[str, ...]:
        """Chinese warnings for administrators, one per provisional year in the range.

        The engine passes e.g. this year and next, so the warning shows up well before
        deadlines start to reach into a year without an entered schedule.
        """
        return tuple(
            f"{year} 年国务院放假安排尚未录入，涉及该年的办理时限按法定节假日推算，标记为暂定。"
            "请在国务院办公厅发布通知后录入该年的放假和调休上班日期。"
            for year in self.provisional_years(first, last)
        )
