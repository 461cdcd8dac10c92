"""The working-day calendar: official data, entered schedules, and the statutory fallback."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from rules.holiday_schedule import Holiday, YearSchedule
from rules.holiday_schedule_parser import parse_year_schedule
from rules.statutory_holidays import qingming_day, statutory_schedule
from rules.working_calendar import DaySource, WorkingCalendar
from tests.rules.test_holiday_schedule import SAMPLE_2027

CALENDAR = WorkingCalendar()
ENTERED = WorkingCalendar([parse_year_schedule(SAMPLE_2027)])


@pytest.mark.parametrize(
    ("day", "working", "holiday", "swapped"),
    [
        (date(2026, 10, 1), False, "国庆节", False),
        (date(2026, 10, 7), False, "国庆节", False),  # a Wednesday off
        (date(2026, 10, 8), True, None, False),
        (date(2026, 9, 25), False, "中秋节", False),  # Mid-Autumn, a Friday
        (date(2026, 9, 20), True, None, True),  # Sunday worked for National Day
        (date(2026, 10, 10), True, None, True),  # Saturday worked for National Day
        (date(2026, 10, 11), False, None, False),  # an ordinary Sunday
        (date(2026, 2, 14), True, None, True),  # Saturday worked for Spring Festival
        (date(2026, 2, 16), False, "春节", False),  # 除夕
        (date(2026, 9, 28), True, None, False),  # an ordinary Monday
    ],
)
def test_2026_follows_the_official_schedule(
    day: date, working: bool, holiday: str | None, swapped: bool
) -> None:
    status = CALENDAR.day(day)
    assert (status.working, status.holiday, status.swapped) == (working, holiday, swapped)
    assert CALENDAR.is_working_day(day) is working
    assert status.provisional is False
    assert status.source is DaySource.PACKAGE


@pytest.mark.parametrize(
    ("day", "working", "holiday"),
    [
        (date(2027, 1, 1), False, "元旦"),
        (date(2027, 2, 5), False, "春节"),  # 除夕, Friday
        (date(2027, 2, 8), False, "春节"),  # 初三, Monday
        (date(2027, 2, 9), False, "春节（补假）"),  # 初一 and 初二 fell on the weekend
        (date(2027, 2, 11), True, None),
        (date(2027, 4, 5), False, "清明节"),
        (date(2027, 5, 3), False, "劳动节（补假）"),
        (date(2027, 6, 9), False, "端午节"),
        (date(2027, 9, 15), False, "中秋节"),
        (date(2027, 10, 1), False, "国庆节"),
        (date(2027, 10, 5), False, "国庆节（补假）"),
        (date(2027, 10, 6), True, None),  # no official week-long break is assumed
        (date(2027, 10, 9), False, None),  # and no Saturday is invented as a working day
    ],
)
def test_2027_without_a_schedule_uses_the_statutory_days_provisionally(
    day: date, working: bool, holiday: str | None
) -> None:
    status = CALENDAR.day(day)
    assert (status.working, status.holiday) == (working, holiday)
    assert status.provisional is True
    assert status.source is DaySource.STATUTORY


def test_statutory_fallback_never_makes_a_weekend_a_working_day() -> None:
    day = date(2027, 1, 1)
    while day.year == 2027:
        if day.weekday() >= 5:
            assert not CALENDAR.is_working_day(day), day
        day += timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "working", "swapped"),
    [
        (date(2027, 10, 6), False, False),  # the entered week-long break
        (date(2027, 10, 7), False, False),
        (date(2027, 10, 9), True, True),  # the entered swapped Saturday
        (date(2027, 9, 26), True, True),
        (date(2027, 2, 20), True, True),
        (date(2027, 10, 8), True, False),
    ],
)
def test_an_entered_2027_schedule_overrides_the_fallback(
    day: date, working: bool, swapped: bool
) -> None:
    status = ENTERED.day(day)
    assert (status.working, status.swapped) == (working, swapped)
    assert status.provisional is False
    assert status.source is DaySource.ENTERED
    assert ENTERED.is_provisional(day) is False


def test_an_entered_schedule_also_overrides_package_data() -> None:
    extra = YearSchedule(2026, (Holiday("国庆节", date(2026, 10, 1), date(2026, 10, 9)),))
    calendar = WorkingCalendar([extra])
    assert not calendar.is_working_day(date(2026, 10, 9))
    assert not calendar.is_working_day(date(2026, 10, 10))  # swapped day not in the entry
    assert CALENDAR.is_working_day(date(2026, 10, 9))


def test_a_year_entered_twice_is_refused() -> None:
    schedule = parse_year_schedule(SAMPLE_2027)
    with pytest.raises(ValueError, match="2027 年的放假安排录入了两次"):
        WorkingCalendar([schedule, schedule])


def test_provisional_years_and_administrator_warnings() -> None:
    assert CALENDAR.provisional_years(2025, 2028) == (2027, 2028)
    assert ENTERED.provisional_years(2025, 2028) == (2028,)
    warnings = CALENDAR.warnings(2026, 2027)
    assert len(warnings) == 1
    assert warnings[0].startswith(
        "2027 年国务院放假安排尚未录入，涉及该年的办理时限按法定节假日推算，标记为暂定"
    )
    assert ENTERED.warnings(2026, 2027) == ()


def test_every_day_from_2000_to_2100_has_an_answer() -> None:
    calendar = WorkingCalendar()
    day, last = date(2000, 1, 1), date(2100, 12, 31)
    working = 0
    while day <= last:
        working += calendar.day(day).working
        day += timedelta(days=1)
    # About 250 working days a year: nothing degenerate happened anywhere.
    assert 245 * 101 < working < 252 * 101


@pytest.mark.parametrize("year", range(2004, 2027))
def test_statutory_days_are_days_off_in_every_official_year(year: int) -> None:
    """The fallback agrees with two decades of State Council schedules (package data)."""
    for holiday in statutory_schedule(year).holidays:
        if "补假" in holiday.name:
            continue  # the official schedule may place make-up days elsewhere
        for day in holiday.days():
            assert not chinese_calendar.is_workday(day), (holiday, day)


@pytest.mark.parametrize(
    ("year", "festival", "expected"),
    [
        (2027, "春节", date(2027, 2, 5)),  # starts on 除夕 under the 2025 revision
        (2028, "春节", date(2028, 1, 25)),
        (2030, "春节", date(2030, 2, 2)),
        (2028, "中秋节", date(2028, 10, 3)),
        (2027, "端午节", date(2027, 6, 9)),
        (2050, "中秋节", date(2050, 9, 30)),
        (2100, "春节", date(2100, 2, 8)),
    ],
)
def test_lunar_festivals_fall_on_the_right_day(year: int, festival: str, expected: date) -> None:
    starts = {h.name: h.start for h in statutory_schedule(year).holidays}
    assert starts[festival] == expected


def test_qingming_solar_term_matches_package_data() -> None:
    for year in range(2000, 2100):
        terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30))
        assert qingming_day(year) == next(d for d, name in terms if name == "清明")


@pytest.mark.parametrize(
    ("year", "days_off", "days_on"),
    [
        # 2025 revision: 春节 four days from 除夕, 劳动节 two days.
        (2029, [date(2029, 2, 12), date(2029, 2, 15), date(2029, 5, 2)], [date(2029, 2, 16)]),
        # 1999 rules: 劳动节 three days, no 中秋 holiday (2001 中秋 was Monday 1 October).
        (2001, [date(2001, 5, 3)], [date(2001, 4, 5)]),
    ],
)
def test_statutory_fallback_follows_the_revision_in_force(
    year: int, days_off: list[date], days_on: list[date]
) -> None:
    assert not any(CALENDAR.is_working_day(d) for d in days_off)
    assert all(CALENDAR.is_working_day(d) for d in days_on)
