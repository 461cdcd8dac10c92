"""Reporting periods: Beijing calendar months and half-years as UTC instants ``[start, end)``.

Complaints store UTC; the county counts by its own calendar, so a complaint at 2026-03-31
23:30 Beijing time (15:30 UTC) belongs to March. Boundaries are computed here and compared
in SQL as plain ranges, which every index can serve.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from rules import CHINA_TZ


def _instant(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=CHINA_TZ).astimezone(UTC)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """First day (inclusive) and last day (inclusive) in Beijing time."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        return _instant(self.first)

    @property
    def end(self) -> datetime:
        return _instant(self.last + timedelta(days=1))

    @property
    def key(self) -> str:
        if self.first.day == 1 and _add_months(self.first, 1) - timedelta(days=1) == self.last:
            return f"{self.first:%Y-%m}"
        if (
            self.first.day == 1
            and self.first.month in (1, 7)
            and _add_months(self.first, 6) - timedelta(days=1) == self.last
        ):
            return f"{self.first.year}-H{1 if self.first.month == 1 else 2}"
        return f"{self.first:%Y-%m-%d}..{self.last:%Y-%m-%d}"

    @property
    def label(self) -> str:
        key = self.key
        if "H" in key:
            return f"{self.first.year}年{'上' if key.endswith('H1') else '下'}半年"
        if ".." not in key:
            return f"{self.first.year}年{self.first.month}月"
        return f"{self.first:%Y年%m月%d日}至{self.last:%Y年%m月%d日}"

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def shifted(self, months: int) -> Period:
        """The same calendar span ``months`` earlier (negative) or later: month ends stay
        month ends, so February compares with February."""
        first = _add_months(self.first, months)
        if self.first.day != 1:
            first = first.replace(day=min(self.first.day, 28))
        end_month = _add_months(self.last.replace(day=1), months)
        last_of_month = _add_months(end_month, 1) - timedelta(days=1)
        month_end = self.last == _add_months(self.last.replace(day=1), 1) - timedelta(days=1)
        last = last_of_month if month_end else end_month.replace(day=min(self.last.day, 28))
        return Period(first, last)

    def previous(self) -> Period:
        """The period of the same length just before (a month, a half-year, N days)."""
        key = self.key
        if "H" in key:
            return self.shifted(-6)
        if ".." not in key:
            return self.shifted(-1)
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1))

    def months(self) -> list[Period]:
        """The calendar months the period touches, clipped to it."""
        out, cursor = [], self.first.replace(day=1)
        while cursor <= self.last:
            last = _add_months(cursor, 1) - timedelta(days=1)
            out.append(Period(max(cursor, self.first), min(last, self.last)))
            cursor = _add_months(cursor, 1)
        return out


def local_date(instant: datetime) -> date:
    return instant.astimezone(CHINA_TZ).date()


def month(year: int, month_number: int) -> Period:
    first = date(year, month_number, 1)
    return Period(first, _add_months(first, 1) - timedelta(days=1))


def half_year(year: int, half: int) -> Period:
    first = date(year, 1 if half == 1 else 7, 1)
    return Period(first, _add_months(first, 6) - timedelta(days=1))


def last_complete_month(now: datetime) -> Period:
    first = _add_months(local_date(now).replace(day=1), -1)
    return month(first.year, first.month)


def last_complete_half_year(now: datetime) -> Period:
    today = local_date(now)
    return half_year(today.year - 1, 2) if today.month <= 6 else half_year(today.year, 1)


def last_complete_span(now: datetime, months: int) -> Period | None:
    """The span of ``months`` (dividing 12, aligned to 1 January) that ended at the start of
    this month, or None when this month does not start a span: with 6, the half-year just
    ended in January and July; with 12, last year in January; with 3, a quarter."""
    if months not in (1, 2, 3, 4, 6, 12):
        raise PeriodInvalid(f"报告周期 {months} 个月不能整除一年")
    today = local_date(now)
    if (today.month - 1) % months:
        return None
    first = _add_months(today.replace(day=1), -months)
    return Period(first, today.replace(day=1) - timedelta(days=1))


def current_half_year(now: datetime) -> Period:
    today = local_date(now)
    return half_year(today.year, 1 if today.month <= 6 else 2)


_KEY = re.compile(
    r"^(\d{4})-(\d{2})$|^(\d{4})-H([12])$|^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$"
)


class PeriodInvalid(ValueError):
    pass


# Years a reporting period may touch. The county's records start in this century; outside it
# a period's end (the next day or month) would leave what ``date`` can hold (year 9999).
FIRST_YEAR, LAST_YEAR = 2000, 2100


def shown(text: str, limit: int = 20) -> str:
    """What a message quotes of the text a user sent: enough to recognise it, never a
    100 KB query string echoed back into the page."""
    return text if len(text) <= limit else text[:limit] + "…"


def _year(text: str) -> int:
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodInvalid(f"年份“{year}”超出范围，应在 {FIRST_YEAR} 至 {LAST_YEAR} 年之间")
    return year


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise PeriodInvalid(f"日期“{shown(text)}”不存在或格式不对，应为 YYYY-MM-DD") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise PeriodInvalid(f"日期“{shown(text)}”超出范围，应在 {FIRST_YEAR} 至 {LAST_YEAR} 年之间")
    return day


def parse_key(key: str) -> Period:
    """``2026-03``, ``2026-H1`` or ``2026-01-01..2026-03-31``."""
    match = _KEY.match(key or "")
    if not match:
        raise PeriodInvalid(
            f"统计期“{shown(key)}”格式不对，应为 2026-03、2026-H1 或 2026-01-01..2026-03-31"
        )
    if match.group(1):
        number = int(match.group(2))
        if not 1 <= number <= 12:
            raise PeriodInvalid(f"月份“{number}”不存在")
        return month(_year(match.group(1)), number)
    if match.group(3):
        return half_year(_year(match.group(3)), int(match.group(4)))
    return between(match.group(5), match.group(6))


def between(first: str, last: str) -> Period:
    period = Period(_day(first), _day(last))
    if period.last < period.first:
        raise PeriodInvalid("结束日期早于开始日期")
    if period.days > 3 * 366:
        raise PeriodInvalid("统计期最长三年")
    return period
