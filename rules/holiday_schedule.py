"""One year's public-holiday schedule as a frozen value: holidays and swapped working days."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any


class Festival(StrEnum):
    """The statutory festivals; the value is the name used in official schedules."""

    NEW_YEAR = "元旦"
    SPRING_FESTIVAL = "春节"
    QINGMING = "清明节"
    LABOUR_DAY = "劳动节"
    DRAGON_BOAT = "端午节"
    MID_AUTUMN = "中秋节"
    NATIONAL_DAY = "国庆节"


# Other spellings an administrator may type, mapped to the official name.
FESTIVAL_ALIASES: dict[str, Festival] = {
    **{festival.value: festival for festival in Festival},
    "新年": Festival.NEW_YEAR,
    "春节假期": Festival.SPRING_FESTIVAL,
    "清明": Festival.QINGMING,
    "五一": Festival.LABOUR_DAY,
    "五一劳动节": Festival.LABOUR_DAY,
    "劳动节假期": Festival.LABOUR_DAY,
    "端午": Festival.DRAGON_BOAT,
    "中秋": Festival.MID_AUTUMN,
    "国庆": Festival.NATIONAL_DAY,
}

WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


@dataclass(frozen=True)
class Holiday:
    """A run of days off, ``start`` to ``end`` inclusive, named by its festival(s).

    :param name: Chinese label shown to users, e.g. ``国庆节、中秋节`` or ``元旦（补假）``.
    """

    name: str
    start: date
    end: date

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


@dataclass(frozen=True)
class SwappedWorkingDay:
    """A Saturday or Sunday that is a working day (调休上班), optionally naming its festival."""

    day: date
    name: str = ""


@dataclass(frozen=True)
class YearSchedule:
    """The days off and swapped working days of one calendar year.

    Weekdays not listed are working days, weekend days not listed are days off.

    :param source: where the schedule comes from, e.g. the State Council notice number.
    """

    year: int
    holidays: tuple[Holiday, ...]
    working_days: tuple[SwappedWorkingDay, ...] = ()
    source: str = ""
    _off: dict[date, str] = field(init=False, repr=False, compare=False, hash=False)
    _on: dict[date, str] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        off: dict[date, str] = {}
        for holiday in self.holidays:
            for day in holiday.days():
                # Overlapping runs (a festival on another's day) read as both names.
                off[day] = f"{off[day]}、{holiday.name}" if day in off else holiday.name
        object.__setattr__(self, "_off", off)
        object.__setattr__(self, "_on", {w.day: w.name for w in self.working_days})

    def holiday_name(self, day: date) -> str | None:
        """The holiday ``day`` belongs to, or ``None`` if it is not a listed holiday."""
        return self._off.get(day)

    def is_swapped_working_day(self, day: date) -> bool:
        return day in self._on

    def swapped_name(self, day: date) -> str:
        return self._on.get(day, "")

    def is_working_day(self, day: date) -> bool:
        if day in self._on:
            return True
        return day.weekday() < 5 and day not in self._off

    def to_dict(self) -> dict[str, Any]:
        """Plain data in the shape `parse_year_schedule` reads, for storage as JSON."""
        return {
            "year": self.year,
            "source": self.source,
            "holidays": [
                {"name": h.name, "start": h.start.isoformat(), "end": h.end.isoformat()}
                for h in self.holidays
            ],
            "working_days": [
                {"date": w.day.isoformat(), "name": w.name} if w.name else w.day.isoformat()
                for w in self.working_days
            ],
        }


def format_day(day: date, *, with_year: bool = False) -> str:
    """``10月1日（周四）``, with the year in front when asked."""
    text = f"{day.month}月{day.day}日（{WEEKDAY_NAMES[day.weekday()]}）"
    return f"{day.year}年{text}" if with_year else text
