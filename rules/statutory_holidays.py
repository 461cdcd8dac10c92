"""The statutory holidays of a year, computed from the law when no official schedule exists.

国务院《全国年节及纪念日放假办法》 fixes which days everybody has off; the State Council's
yearly notice (放假安排) then moves days around (调休). Without that notice we can only
know the statutory days and the make-up days (补假) the law requires when one of them falls
on a weekend. No swapped working day is ever invented here.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from lunar_python import Lunar, Solar

from .holiday_schedule import Festival, Holiday, YearSchedule

# The revision of the 办法 in force for a year: (first year, Spring Festival from New Year's
# Eve?, Spring Festival days, Labour Day days, lunar festivals and Qingming included?).
_REVISIONS: tuple[tuple[int, bool, int, int, bool], ...] = (
    (2025, True, 4, 2, True),  # 2024 revision, in force 2025-01-01
    (2014, False, 3, 1, True),  # 2013 revision
    (2008, True, 3, 1, True),  # 2007 revision
    (0, False, 3, 3, False),  # 1999 revision
)
SOURCE = "按国务院《全国年节及纪念日放假办法》推算的法定节假日（暂定，未含调休）"


def _solar(lunar_year: int, month: int, day: int) -> date:
    solar = Lunar.fromYmd(lunar_year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def qingming_day(year: int) -> date:
    """The day of the Qingming solar term (清明) in Beijing time."""
    term = Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"]
    return date(term.getYear(), term.getMonth(), term.getDay())


def _festival_days(year: int) -> list[tuple[Festival, list[date]]]:
    _, from_eve, spring_days, labour_days, lunar_festivals = next(
        r for r in _REVISIONS if year >= r[0]
    )
    new_year = _solar(year, 1, 1)
    spring_start = new_year - timedelta(days=1) if from_eve else new_year
    found: list[tuple[Festival, list[date]]] = [
        (Festival.NEW_YEAR, [date(year, 1, 1)]),
        (Festival.SPRING_FESTIVAL, [spring_start + timedelta(days=i) for i in range(spring_days)]),
        (Festival.LABOUR_DAY, [date(year, 5, i) for i in range(1, labour_days + 1)]),
        (Festival.NATIONAL_DAY, [date(year, 10, i) for i in range(1, 4)]),
    ]
    if lunar_festivals:
        found += [
            (Festival.QINGMING, [qingming_day(year)]),
            (Festival.DRAGON_BOAT, [_solar(year, 5, 5)]),
            (Festival.MID_AUTUMN, [_solar(year, 8, 15)]),
        ]
    return sorted(found, key=lambda item: item[1][0])


def _runs(name: str, days: list[date]) -> list[Holiday]:
    """Consecutive days grouped into holiday runs."""
    runs: list[Holiday] = []
    for day in days:
        if runs and runs[-1].end + timedelta(days=1) == day:
            runs[-1] = Holiday(name, runs[-1].start, day)
        else:
            runs.append(Holiday(name, day, day))
    return runs


@lru_cache(maxsize=256)
def statutory_schedule(year: int) -> YearSchedule:
    """The statutory days off of ``year`` plus the make-up days (补假) the law requires.

    A statutory day on a Saturday or Sunday is made up on the first following weekday that
    is not already off. The result has no swapped working days.
    """
    days = _festival_days(year)
    off = {day for _, run in days for day in run}
    holidays: list[Holiday] = []
    for festival, run in days:
        holidays.append(Holiday(festival.value, run[0], run[-1]))
        owed = sum(1 for day in run if day.weekday() >= 5)
        candidate = run[-1]
        makeup: list[date] = []
        while len(makeup) < owed:
            candidate += timedelta(days=1)
            if candidate.weekday() < 5 and candidate not in off:
                makeup.append(candidate)
                off.add(candidate)
        holidays += _runs(f"{festival.value}（补假）", makeup)
    return YearSchedule(year=year, holidays=tuple(holidays), source=SOURCE)
