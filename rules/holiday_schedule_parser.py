"""Read an administrator's year schedule from plain data, naming every mistake in Chinese."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .holiday_schedule import (
    FESTIVAL_ALIASES,
    WEEKDAY_NAMES,
    Festival,
    Holiday,
    SwappedWorkingDay,
    YearSchedule,
)

FIRST_YEAR = 2000
LAST_YEAR = 2100
_TOP_KEYS = frozenset({"year", "holidays", "working_days", "source"})
_HOLIDAY_KEYS = frozenset({"name", "start", "end"})
_WORKING_KEYS = frozenset({"date", "name"})
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_KNOWN = "、".join(f.value for f in Festival)


@dataclass(frozen=True)
class ScheduleProblem:
    """One mistake: the field path (``holidays[1].start``) and a Chinese sentence."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}：{self.message}"


class ScheduleInvalid(ValueError):
    """The entered schedule has mistakes; nothing was accepted."""

    def __init__(self, problems: tuple[ScheduleProblem, ...]) -> None:
        self.problems = problems
        super().__init__("放假安排有误：" + "；".join(str(p) for p in problems))


def parse_year_schedule(data: object) -> YearSchedule:
    """Turn ``{"year", "holidays": [{"name", "start", "end"}], "working_days": [...]}``
    into a `YearSchedule`.

    Dates are ``YYYY-MM-DD`` strings or `datetime.date` values (YAML gives the latter).
    A one-day holiday may omit ``end``. A working day is a date or ``{"date", "name"}``.

    :raises ScheduleInvalid: listing every problem found, each naming its field and value.
    """
    schedule, problems = _read(data)
    if problems or schedule is None:
        raise ScheduleInvalid(tuple(problems))
    return schedule


def check_year_schedule(data: object) -> tuple[ScheduleProblem, ...]:
    """The problems `parse_year_schedule` would report; empty when the data is valid."""
    return tuple(_read(data)[1])


class _Reader:
    def __init__(self) -> None:
        self.problems: list[ScheduleProblem] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(ScheduleProblem(path, message))

    def unknown_keys(self, path: str, value: Mapping[Any, Any], allowed: frozenset[str]) -> None:
        for key in value:
            if key not in allowed:
                known = "、".join(sorted(allowed))
                self.fail(
                    f"{path}{key}" if path else str(key), f"未知字段「{key}」，可用字段：{known}"
                )

    def year(self, value: object) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int | str):
            self.fail("year", f"年份「{value}」应为 {FIRST_YEAR}–{LAST_YEAR} 之间的整数")
            return None
        text = str(value).strip()
        if not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
            self.fail("year", f"年份「{value}」应为 {FIRST_YEAR}–{LAST_YEAR} 之间的整数")
            return None
        return int(text)

    def day(self, path: str, value: object, year: int | None) -> date | None:
        parsed: date | None = None
        if isinstance(value, datetime):
            parsed = value.date()
        elif isinstance(value, date):
            parsed = value
        elif isinstance(value, str) and _DATE.match(value.strip()):
            try:
                parsed = date.fromisoformat(value.strip())
            except ValueError:
                parsed = None
        if parsed is None:
            self.fail(path, f"日期「{value}」格式不正确，应写作 YYYY-MM-DD，例如 2027-10-01")
            return None
        if year is not None and parsed.year != year:
            self.fail(path, f"日期 {parsed.isoformat()} 不在 {year} 年内")
            return None
        return parsed

    def festival_name(self, path: str, value: object) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.fail(path, f"节日名称「{value}」不能为空，可用：{_KNOWN}")
            return None
        names: list[str] = []
        for part in re.split(r"[、,，/]", value):
            festival = FESTIVAL_ALIASES.get(part.strip())
            if festival is None:
                self.fail(path, f"未知的节日名称「{part.strip()}」，可用：{_KNOWN}")
                return None
            names.append(festival.value)
        return "、".join(dict.fromkeys(names))


def _read(data: object) -> tuple[YearSchedule | None, list[ScheduleProblem]]:
    reader = _Reader()
    if not isinstance(data, Mapping):
        reader.fail("（整体）", "放假安排应为一个对象，包含 year、holidays、working_days 字段")
        return None, reader.problems
    reader.unknown_keys("", data, _TOP_KEYS)
    year = reader.year(data["year"]) if "year" in data else None
    if "year" not in data:
        reader.fail("year", "缺少年份 year")
    source = data.get("source", "")
    if not isinstance(source, str):
        reader.fail("source", f"来源「{source}」应为文字，例如国务院办公厅通知文号")
        source = ""
    holidays = _holidays(reader, data.get("holidays"), year)
    working = _working_days(reader, data.get("working_days", []), year)
    _cross_check(reader, holidays, working)
    if reader.problems or year is None:
        return None, reader.problems
    schedule = YearSchedule(
        year=year,
        holidays=tuple(h for _, h in holidays),
        working_days=tuple(w for _, w in working),
        source=source.strip(),
    )
    return schedule, reader.problems


def _holidays(reader: _Reader, value: object, year: int | None) -> list[tuple[str, Holiday]]:
    if value is None:
        reader.fail("holidays", "缺少放假日期列表 holidays")
        return []
    if not isinstance(value, list):
        reader.fail("holidays", "holidays 应为列表，每项包含 name、start、end")
        return []
    found: list[tuple[str, Holiday]] = []
    for index, item in enumerate(value):
        path = f"holidays[{index}]"
        if not isinstance(item, Mapping):
            reader.fail(path, f"「{item}」应为对象，包含 name、start、end")
            continue
        reader.unknown_keys(f"{path}.", item, _HOLIDAY_KEYS)
        name = reader.festival_name(f"{path}.name", item.get("name"))
        if "start" not in item:
            reader.fail(f"{path}.start", "缺少开始日期 start")
            continue
        start = reader.day(f"{path}.start", item["start"], year)
        end = reader.day(f"{path}.end", item["end"], year) if "end" in item else start
        if start is None or end is None or name is None:
            continue
        if end < start:
            reader.fail(
                f"{path}.end",
                f"结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()}",
            )
            continue
        found.append((path, Holiday(name, start, end)))
    return found


def _working_days(
    reader: _Reader, value: object, year: int | None
) -> list[tuple[str, SwappedWorkingDay]]:
    if not isinstance(value, list):
        reader.fail("working_days", "working_days 应为调休上班日期的列表（可为空）")
        return []
    found: list[tuple[str, SwappedWorkingDay]] = []
    for index, item in enumerate(value):
        path = f"working_days[{index}]"
        name: str | None = ""
        raw: object = item
        if isinstance(item, Mapping):
            reader.unknown_keys(f"{path}.", item, _WORKING_KEYS)
            raw = item.get("date")
            if "name" in item:
                name = reader.festival_name(f"{path}.name", item["name"])
        day = reader.day(path, raw, year)
        if day is None or name is None:
            continue
        if day.weekday() < 5:
            reader.fail(
                path,
                f"{day.isoformat()} 是{WEEKDAY_NAMES[day.weekday()]}，"
                "调休上班日只能是周六或周日（工作日本来就上班）",
            )
            continue
        found.append((path, SwappedWorkingDay(day, name)))
    return found


def _cross_check(
    reader: _Reader,
    holidays: list[tuple[str, Holiday]],
    working: list[tuple[str, SwappedWorkingDay]],
) -> None:
    """A day is listed at most once: in one holiday run or as one working day."""
    seen: dict[date, str] = {}
    for path, holiday in holidays:
        for day in holiday.days():
            if day in seen:
                reader.fail(path, f"{day.isoformat()} 已在 {seen[day]} 中列为放假日，放假日期重复")
                break
            seen[day] = f"{path}（{holiday.name}）"
    listed: dict[date, str] = {}
    for path, swapped in working:
        if swapped.day in seen:
            reader.fail(
                path,
                f"{swapped.day.isoformat()} 同时被列为放假日（{seen[swapped.day]}）和调休上班日",
            )
        elif swapped.day in listed:
            reader.fail(
                path, f"{swapped.day.isoformat()} 已在 {listed[swapped.day]} 中列出，调休上班日重复"
            )
        else:
            listed[swapped.day] = path
