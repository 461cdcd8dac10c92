"""Deadlines on the working-day calendar: what a unit sees as its due time and reminders."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from responsibility_catalog import TimeLimit
from rules.deadline_policy import DeadlinePolicy, DeadlinePolicyInvalid
from rules.deadlines import (
    Deadline,
    due_after_hours,
    due_after_working_days,
    fraction_point,
    schedule_limit,
    working_days_left,
)
from rules.holiday_schedule_parser import parse_year_schedule
from rules.working_calendar import WorkingCalendar
from tests.rules.test_holiday_schedule import SAMPLE_2027

BEIJING = timezone(timedelta(hours=8))
CALENDAR = WorkingCalendar()
ENTERED = WorkingCalendar([parse_year_schedule(SAMPLE_2027)])
OFFICE = DeadlinePolicy()


def bj(*args: int) -> datetime:
    return datetime(*args, tzinfo=BEIJING)  # type: ignore[misc]  # datetime's fields come as *args


@pytest.mark.parametrize(
    ("start", "n", "due", "provisional"),
    [
        # An ordinary week: Monday's report, 5 working days → next Monday evening.
        (bj(2026, 3, 2, 8, 0), 5, bj(2026, 3, 9, 18, 0), False),
        # Crossing National Day 2026 (1–7 Oct off, Saturday 10 Oct worked).
        (bj(2026, 9, 29, 10, 0), 5, bj(2026, 10, 12, 18, 0), False),
        (bj(2026, 9, 30, 16, 0), 1, bj(2026, 10, 8, 18, 0), False),
        (bj(2026, 10, 3, 11, 0), 3, bj(2026, 10, 10, 18, 0), False),
        # A swapped working Sunday (20 Sep) and Saturday (10 Oct) count.
        (bj(2026, 9, 19, 10, 0), 1, bj(2026, 9, 20, 18, 0), False),
        (bj(2026, 10, 9, 9, 0), 1, bj(2026, 10, 10, 18, 0), False),
        # Late on Friday: the day itself never counts.
        (bj(2026, 3, 6, 23, 30), 1, bj(2026, 3, 9, 18, 0), False),
        # Into 2027, which has no schedule yet: New Year's Day is skipped, provisionally.
        (bj(2026, 12, 31, 10, 0), 1, bj(2027, 1, 4, 18, 0), True),
    ],
)
def test_due_after_working_days_decision_table(
    start: datetime, n: int, due: datetime, provisional: bool
) -> None:
    deadline = due_after_working_days(start, n, CALENDAR, OFFICE)
    assert deadline.at == due
    assert deadline.at.tzinfo is UTC
    assert deadline.provisional is provisional


def test_national_day_deadline_explains_the_holiday_and_the_swapped_saturday() -> None:
    deadline = due_after_working_days(bj(2026, 9, 29, 10, 0), 5, CALENDAR)
    assert deadline.local == bj(2026, 10, 12, 18, 0)
    assert "国庆节10月1日至10月7日放假" in deadline.explanation
    assert "10月10日（周六）调休上班" in deadline.explanation
    assert "2026年10月12日（周一）18:00截止" in deadline.explanation
    assert "暂定" not in deadline.explanation


def test_2027_deadline_without_a_schedule_is_provisional_and_skips_statutory_days() -> None:
    deadline = due_after_working_days(bj(2027, 9, 30, 10, 0), 3, CALENDAR)
    # 1–3 Oct statutory, 4–5 Oct make-up days → 6, 7, 8 Oct.
    assert deadline.local == bj(2027, 10, 8, 18, 0)
    assert deadline.provisional is True
    assert "国庆节10月1日至10月3日放假" in deadline.explanation
    assert "2027 年国务院放假安排尚未录入，按法定节假日推算，时限为暂定" in deadline.explanation


def test_2027_deadline_with_the_entered_schedule_is_final_and_counts_its_swapped_saturday() -> None:
    deadline = due_after_working_days(bj(2027, 9, 30, 10, 0), 3, ENTERED)
    # 1–7 Oct off; 8 Oct (Friday), 9 Oct (swapped Saturday), 11 Oct (Monday).
    assert deadline.local == bj(2027, 10, 11, 18, 0)
    assert deadline.provisional is False
    assert "10月9日（周六）调休上班" in deadline.explanation
    assert "暂定" not in deadline.explanation


def test_close_of_business_comes_from_the_policy() -> None:
    winter = DeadlinePolicy(office_hours=((time(8, 30), time(12, 0)), (time(14, 0), time(17, 30))))
    deadline = due_after_working_days(bj(2026, 3, 2, 9, 0), 1, CALENDAR, winter)
    assert deadline.local == bj(2026, 3, 3, 17, 30)


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        (bj(2026, 3, 2, 9, 0), 2, bj(2026, 3, 2, 11, 0)),
        (bj(2026, 3, 2, 11, 0), 2, bj(2026, 3, 2, 15, 0)),  # lunch break not counted
        (bj(2026, 3, 2, 7, 0), 0.5, bj(2026, 3, 2, 9, 0)),  # before opening: from 08:30
        (bj(2026, 3, 6, 17, 30), 2, bj(2026, 3, 9, 10, 0)),  # Friday evening → Monday
        (bj(2026, 9, 30, 17, 0), 2, bj(2026, 10, 8, 9, 30)),  # over National Day
        (bj(2026, 9, 19, 20, 0), 1, bj(2026, 9, 20, 9, 30)),  # swapped Sunday is worked
        (bj(2026, 3, 2, 10, 0), 2, bj(2026, 3, 2, 12, 0)),  # ends exactly at lunch
    ],
)
def test_hour_limits_count_office_hours_on_working_days(
    start: datetime, hours: float, due: datetime
) -> None:
    assert due_after_hours(start, hours, CALENDAR).at == due


def test_natural_hour_policy_counts_the_clock() -> None:
    duty_desk = DeadlinePolicy(hour_limits="natural")
    deadline = due_after_hours(bj(2026, 9, 30, 17, 0), 2, CALENDAR, duty_desk)
    assert deadline.local == bj(2026, 9, 30, 19, 0)
    assert "自然时间" in deadline.explanation


def test_hour_limit_over_a_holiday_says_so() -> None:
    deadline = due_after_hours(bj(2026, 9, 30, 17, 0), 2, CALENDAR)
    assert "国庆节10月1日至10月7日放假" in deadline.explanation
    assert "2 个工作小时" in deadline.explanation


def test_reminder_at_80_percent_across_national_day_lands_on_the_swapped_saturday() -> None:
    start = bj(2026, 9, 29, 10, 0)
    due = due_after_working_days(start, 5, CALENDAR).at
    # 43.5 office hours in total; 80 % = 34.8 h → Saturday 10 Oct (worked) at 16:48.
    reminder = fraction_point(start, due, 0.8, CALENDAR)
    assert reminder.local == bj(2026, 10, 10, 16, 48)
    assert reminder.provisional is False
    assert "80%" in reminder.explanation


def test_reminder_never_falls_in_a_holiday_week() -> None:
    # Halfway by the clock (29 Sep 10:00 → 12 Oct 18:00) is 6 Oct 02:00, in the middle of the
    # holiday; halfway by office time (21.75 of 43.5 h) is the second working day after it.
    start = bj(2026, 9, 29, 10, 0)
    due = due_after_working_days(start, 5, CALENDAR).at
    halfway = fraction_point(start, due, 0.5, CALENDAR)
    assert halfway.local == bj(2026, 10, 9, 9, 15)


def test_full_fraction_is_the_deadline_and_no_office_time_means_the_deadline() -> None:
    start = bj(2026, 9, 29, 10, 0)
    due = due_after_working_days(start, 5, CALENDAR).at
    assert fraction_point(start, due, 1, CALENDAR).at == due
    inside_holiday = fraction_point(bj(2026, 10, 2, 9, 0), bj(2026, 10, 5, 9, 0), 0.8, CALENDAR)
    assert inside_holiday.local == bj(2026, 10, 5, 9, 0)
    assert "没有办公时间" in inside_holiday.explanation


STARTS = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(BEIJING)
)


@settings(max_examples=200, deadline=None)
@given(
    start=STARTS,
    n=st.integers(min_value=1, max_value=20),
    fraction=st.floats(min_value=0.01, max_value=1.0),
    entered=st.booleans(),
)
def test_fraction_point_is_always_in_office_hours_on_a_working_day(
    start: datetime, n: int, fraction: float, entered: bool
) -> None:
    calendar = ENTERED if entered else CALENDAR
    due = due_after_working_days(start, n, calendar)
    point = fraction_point(start, due.at, fraction, calendar)
    local = point.local
    assert start <= point.at <= due.at
    assert calendar.is_working_day(local.date())
    assert any(a <= local.time() <= b for a, b in OFFICE.office_hours)
    assert point.provisional <= due.provisional
    earlier = fraction_point(start, due.at, fraction / 2, calendar)
    assert earlier.at <= point.at


@settings(max_examples=200, deadline=None)
@given(start=STARTS, n=st.integers(min_value=1, max_value=20))
def test_working_day_deadline_is_close_of_business_of_a_working_day(
    start: datetime, n: int
) -> None:
    due = due_after_working_days(start, n, CALENDAR)
    assert due.local.time() == time(18, 0)
    assert CALENDAR.is_working_day(due.local.date())
    assert due.local.date() > start.date()
    assert working_days_left(start, due.at, CALENDAR).days == n
    assert due_after_working_days(start, n + 1, CALENDAR).at > due.at


DUE = bj(2026, 10, 12, 18, 0)


@pytest.mark.parametrize(
    ("now", "days", "overdue", "text"),
    [
        (bj(2026, 9, 29, 10, 0), 5, False, "剩余 5 个工作日"),
        (bj(2026, 10, 3, 10, 0), 4, False, "剩余 4 个工作日"),  # 8, 9, 10 (Sat), 12 Oct
        (bj(2026, 10, 12, 9, 0), 0, False, "今日到期"),
        (bj(2026, 10, 12, 19, 0), 0, True, "已超期（"),
        (bj(2026, 10, 14, 9, 0), -2, True, "已超期 2 个工作日"),
    ],
)
def test_working_days_left_for_the_inbox(
    now: datetime, days: int, overdue: bool, text: str
) -> None:
    left = working_days_left(now, DUE, CALENDAR)
    assert (left.days, left.overdue) == (days, overdue)
    assert left.explanation.startswith(text)
    assert left.provisional is False


def test_working_days_left_into_2027_is_provisional() -> None:
    left = working_days_left(bj(2026, 12, 30, 9, 0), bj(2027, 1, 5, 18, 0), CALENDAR)
    assert left.days == 3  # 31 Dec, 4 Jan, 5 Jan
    assert left.provisional is True
    assert left.explanation.endswith("暂定")


def test_deadline_travels_as_plain_data() -> None:
    deadline = due_after_working_days(bj(2026, 9, 29, 10, 0), 5, CALENDAR)
    data = deadline.to_dict()
    assert data["at"] == "2026-10-12T10:00:00+00:00"
    assert Deadline(
        datetime.fromisoformat(data["at"]), data["provisional"], data["explanation"]
    ) == (deadline)


@pytest.mark.parametrize(
    "call",
    [
        lambda: due_after_working_days(datetime(2026, 3, 2, 9, 0), 5, CALENDAR),
        lambda: due_after_working_days(bj(2026, 3, 2, 9, 0), 0, CALENDAR),
        lambda: due_after_hours(bj(2026, 3, 2, 9, 0), -1, CALENDAR),
        lambda: fraction_point(bj(2026, 3, 2), bj(2026, 3, 9), 0, CALENDAR),
        lambda: fraction_point(bj(2026, 3, 2), bj(2026, 3, 9), 1.5, CALENDAR),
        lambda: working_days_left(datetime(2026, 3, 2), bj(2026, 3, 9), CALENDAR),
    ],
    ids=[
        "naive-start",
        "zero-days",
        "negative-hours",
        "zero-fraction",
        "fraction-over-1",
        "naive-now",
    ],
)
def test_bad_arguments_are_refused(call: object) -> None:
    with pytest.raises(ValueError):
        call()  # type: ignore[operator]  # each case is a callable


@pytest.mark.parametrize(
    "hours",
    [
        (),
        ((time(14, 0), time(12, 0)),),
        ((time(8, 30), time(12, 0)), (time(11, 0), time(18, 0))),
    ],
    ids=["no-window", "ends-before-start", "overlapping"],
)
def test_nonsense_office_hours_are_refused(hours: tuple[tuple[time, time], ...]) -> None:
    with pytest.raises(DeadlinePolicyInvalid):
        DeadlinePolicy(office_hours=hours)


def test_a_catalog_limit_becomes_due_and_reminder_instants_for_the_process() -> None:
    stage = schedule_limit(bj(2026, 9, 29, 10, 0), TimeLimit.parse("5个工作日"), CALENDAR)
    assert stage.to_dict() == {
        "due": "2026-10-12T10:00:00+00:00",
        "remind_at": "2026-10-10T08:48:00+00:00",
        "provisional": False,
        "explanation": stage.explanation,
    }
    assert stage.explanation.startswith("时限5个工作日：")
    sign_for = schedule_limit(bj(2026, 9, 30, 17, 0), TimeLimit.parse("2小时"), CALENDAR)
    assert sign_for.due == bj(2026, 10, 8, 9, 30)
    assert sign_for.remind_at == bj(2026, 10, 8, 9, 6)  # 80 % of 2 office hours


def test_a_limit_reaching_into_2027_is_provisional_for_the_process() -> None:
    stage = schedule_limit(bj(2026, 12, 28, 9, 0), TimeLimit.parse("10个工作日"), CALENDAR)
    assert stage.to_dict()["provisional"] is True
    assert "暂定" in stage.explanation
