"""Time limits as absolute instants on the working-day calendar, each with its explanation.

All counting happens in China time; every instant returned is aware UTC. Rules:

* ``N个工作日`` ends at close of business of the N-th working day after the day the
  period starts (期间开始之日不计算在内).
* ``N小时`` counts office time on working days by default (`DeadlinePolicy.hour_limits`).
* A reminder at a fraction of a limit is placed by office time, so it lands in office hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from responsibility_catalog import TimeLimit

from .deadline_policy import (
    CHINA_TZ,
    DeadlinePolicy,
    add_working_time,
    end_of_day,
    to_china,
    working_time_between,
)
from .holiday_schedule import format_day
from .working_calendar import WorkingCalendar

DEFAULT_POLICY = DeadlinePolicy()
# Every stage reminds its handler once 80 % of the limit has passed (in office time): late
# enough not to nag, early enough to finish within the limit.
REMIND_FRACTION = 0.8


@dataclass(frozen=True)
class Deadline:
    """An instant computed on the calendar.

    :param at: the instant, aware UTC.
    :param provisional: some day counted lies in a year without an official schedule, so
        the instant may move once that year's schedule is entered.
    :param explanation: Chinese sentence for users: the limit, the result, the holidays
        and swapped working days crossed.
    """

    at: datetime
    provisional: bool
    explanation: str

    @property
    def local(self) -> datetime:
        """``at`` in China time, for display."""
        return self.at.astimezone(CHINA_TZ)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for process variables: ISO instant, flag and explanation."""
        return {
            "at": self.at.isoformat(),
            "provisional": self.provisional,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class WorkingDaysLeft:
    """Working days left until a deadline, for the inbox.

    :param days: working days after today up to the due day: ``0`` on the due day, negative
        (working days since the due day) once overdue.
    :param overdue: the deadline instant has passed (true also on the due day after it).
    """

    days: int
    overdue: bool
    provisional: bool
    explanation: str


@dataclass(frozen=True)
class StageDeadline:
    """The due instant of a time limit and its reminder, as a process stage needs them.

    :param due: when the stage becomes overdue, aware UTC.
    :param remind_at: when the reminder fires (`fraction_point` of the limit), aware UTC.
    """

    due: datetime
    remind_at: datetime
    provisional: bool
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        """``{"due", "remind_at", "provisional", "explanation"}`` with ISO instants (ADR 0004)."""
        return {
            "due": self.due.isoformat(),
            "remind_at": self.remind_at.isoformat(),
            "provisional": self.provisional,
            "explanation": self.explanation,
        }


def schedule_limit(
    start: datetime,
    limit: TimeLimit,
    calendar: WorkingCalendar,
    policy: DeadlinePolicy = DEFAULT_POLICY,
    *,
    remind_fraction: float = REMIND_FRACTION,
) -> StageDeadline:
    """Due instant and reminder of a catalog time limit (``2小时``, ``10个工作日``).

    :raises ValueError: if the limit is not positive or ``start`` is naive.
    """
    if limit.unit == "working_days":
        due = due_after_working_days(start, limit.amount, calendar, policy)
    else:
        due = due_after_hours(start, limit.amount, calendar, policy)
    remind = fraction_point(start, due.at, remind_fraction, calendar, policy)
    return StageDeadline(
        due=due.at,
        remind_at=remind.at,
        provisional=due.provisional,
        explanation=f"时限{limit}：{due.explanation}",
    )


def schedule_working_days(
    start: datetime,
    days: int,
    calendar: WorkingCalendar,
    policy: DeadlinePolicy = DEFAULT_POLICY,
    *,
    remind_fraction: float = REMIND_FRACTION,
) -> StageDeadline:
    """Due at close of business of the ``days``-th working day after ``start``, with the
    reminder at ``remind_fraction`` of the office time in between.

    :raises ValueError: if ``days`` is not a positive integer or ``start`` is naive.
    """
    due = due_after_working_days(start, days, calendar, policy)
    return schedule_until(
        start,
        due.at,
        calendar,
        policy,
        provisional=due.provisional,
        explanation=due.explanation,
        remind_fraction=remind_fraction,
    )


def schedule_until(
    start: datetime,
    due: datetime,
    calendar: WorkingCalendar,
    policy: DeadlinePolicy = DEFAULT_POLICY,
    *,
    provisional: bool,
    explanation: str,
    remind_fraction: float = REMIND_FRACTION,
) -> StageDeadline:
    """A stage due at a fixed instant (an approved extension), with the reminder at
    ``remind_fraction`` of the office time from ``start`` to ``due``.

    ``due`` is kept as given (not converted to UTC), so the process sees the instant it was
    told.
    """
    remind = fraction_point(start, due, remind_fraction, calendar, policy)
    return StageDeadline(due, remind.at, provisional, explanation)


def due_after_working_days(
    start: datetime,
    n: int,
    calendar: WorkingCalendar,
    policy: DeadlinePolicy = DEFAULT_POLICY,
) -> Deadline:
    """Close of business of the ``n``-th working day after the day of ``start``.

    The start day never counts, whatever the time or kind of day; day 1 is the first
    working day after it. Swapped working days (调休) count, holidays and weekends do not.

    :raises ValueError: if ``n`` is not a positive integer or ``start`` is naive.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"工作日数应为正整数，收到「{n}」")
    local = to_china(start, "start")
    day, counted = local.date(), 0
    while counted < n:
        day += timedelta(days=1)
        counted += calendar.is_working_day(day)
    due = end_of_day(day, policy)
    notes, provisional = _crossings(calendar, local.date(), day)
    text = f"起点{_when(local)}，次日起算 {n} 个工作日，至{_when(due)}截止{notes}"
    return Deadline(due.astimezone(UTC), provisional, text)


def due_after_hours(
    start: datetime,
    hours: float,
    calendar: WorkingCalendar,
    policy: DeadlinePolicy = DEFAULT_POLICY,
) -> Deadline:
    """The instant ``hours`` after ``start``, in office time (default) or clock time.

    In office time, a report at 17:00 on the eve of a holiday with a 2-hour limit is due
    one hour into the first working day after the holiday.

    :raises ValueError: if ``hours`` is not positive or ``start`` is naive.
    """
    if isinstance(hours, bool) or not isinstance(hours, int | float) or not hours > 0:
        raise ValueError(f"小时数应为正数，收到「{hours}」")
    local = to_china(start, "start")
    if policy.hour_limits == "natural":
        due = local + timedelta(hours=hours)
        text = f"自{_when(local)}起 {_num(hours)} 小时（自然时间），至{_when(due)}截止"
        return Deadline(due.astimezone(UTC), False, text)
    due = add_working_time(local, timedelta(hours=hours), calendar, policy)
    notes, provisional = _crossings(calendar, local.date(), due.date())
    text = (
        f"自{_when(local)}起 {_num(hours)} 个工作小时（办公时间 {policy.describe_hours()}），"
        f"至{_when(due)}截止{notes}"
    )
    return Deadline(due.astimezone(UTC), provisional, text)


def fraction_point(
    start: datetime,
    due: datetime,
    fraction: float,
    calendar: WorkingCalendar,
    policy: DeadlinePolicy = DEFAULT_POLICY,
) -> Deadline:
    """The instant when ``fraction`` of the office time from ``start`` to ``due`` has passed.

    Placed by office time on working days, so it falls in office hours on a working day
    (never in a holiday week). With no office time in between, it is ``due`` itself.

    :raises ValueError: unless ``0 < fraction <= 1``.
    """
    if isinstance(fraction, bool) or not isinstance(fraction, int | float):
        raise ValueError(f"比例应在 0 和 1 之间，收到「{fraction}」")
    if not 0 < fraction <= 1:
        raise ValueError(f"比例应在 0 和 1 之间，收到「{fraction}」")
    local, due_local = to_china(start, "start"), to_china(due, "due")
    total = working_time_between(local, due_local, calendar, policy)
    percent = f"{fraction * 100:g}%"
    if total <= timedelta():
        point = max(due_local, local)
        text = f"{_when(local)}至{_when(due_local)}之间没有办公时间，{percent} 时点即截止时刻"
    else:
        point = add_working_time(local, total * fraction, calendar, policy)
        text = f"办理时间（按办公时间计）已过 {percent} 的时刻：{_when(point)}"
    notes, provisional = _crossings(calendar, local.date(), point.date())
    return Deadline(point.astimezone(UTC), provisional, text + notes)


def working_days_left(
    now: datetime,
    due: datetime,
    calendar: WorkingCalendar,
) -> WorkingDaysLeft:
    """Working days from today (China time) to the due day, negative once overdue."""
    today, due_local = to_china(now, "now").date(), to_china(due, "due")
    due_day = due_local.date()
    overdue = now >= due
    lo, hi = (today, due_day) if due_day >= today else (due_day, today)
    count = sum(
        calendar.is_working_day(lo + timedelta(days=i)) for i in range(1, (hi - lo).days + 1)
    )
    days = count if due_day >= today else -count
    # Inbox lists call this once per row: ask only whether a year involved is provisional
    # rather than building the full holiday explanation.
    provisional = any(
        calendar.is_provisional(date(year, 1, 1)) for year in range(lo.year, hi.year + 1)
    )
    if not overdue:
        text = "今日到期" if days == 0 else f"剩余 {days} 个工作日"
        text += f"（{_when(due_local)}截止）"
    elif days == 0:
        text = f"已超期（{_when(due_local)}截止）"
    else:
        text = f"已超期 {-days} 个工作日（{_when(due_local)}截止）"
    if provisional:
        text += "，暂定"
    return WorkingDaysLeft(days, overdue, provisional, text)


def _when(instant: datetime) -> str:
    return f"{format_day(instant.date(), with_year=True)}{instant:%H:%M}"


def _num(value: float) -> str:
    return f"{value:g}"


def _crossings(calendar: WorkingCalendar, first: date, last: date) -> tuple[str, bool]:
    """Holidays and swapped working days from ``first`` to ``last``, and whether any is
    provisional, as a Chinese clause to append to an explanation."""
    runs: list[tuple[str, date, date]] = []
    swapped: list[str] = []
    provisional_years: list[int] = []
    with_year = first.year != last.year
    for offset in range((last - first).days + 1):
        status = calendar.day(first + timedelta(days=offset))
        if status.provisional and status.day.year not in provisional_years:
            provisional_years.append(status.day.year)
        if status.holiday and not status.working:
            if runs and runs[-1][0] == status.holiday and runs[-1][2] == status.day - timedelta(1):
                runs[-1] = (runs[-1][0], runs[-1][1], status.day)
            else:
                runs.append((status.holiday, status.day, status.day))
        if status.swapped:
            swapped.append(f"{format_day(status.day, with_year=with_year)}调休上班")
    parts = [f"{name}{_range(a, b, with_year)}放假" for name, a, b in runs] + swapped
    text = f"；期间{'，'.join(parts)}" if parts else ""
    if provisional_years:
        years = "、".join(str(y) for y in provisional_years)
        text += f"；{years} 年国务院放假安排尚未录入，按法定节假日推算，时限为暂定"
    return text + "。", bool(provisional_years)


def _range(a: date, b: date, with_year: bool) -> str:
    first = f"{a.year}年" if with_year else ""
    if a == b:
        return f"{first}{a.month}月{a.day}日"
    return f"{first}{a.month}月{a.day}日至{b.month}月{b.day}日"
