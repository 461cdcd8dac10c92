"""Sane ranges for timer values: how far, how often and how many times a timer may fire.

A designer's typo (``"P200Y"`` for ``"P200D"``, ``"R/PT1S"``) must not reach the county: a
duration of centuries overflows SpiffWorkflow's date arithmetic (which also walks month by
month), and an unbounded second-by-second cycle grows an instance without end. Deployment
checks literal timer values with :func:`timer_value_problem`; the run time checks evaluated
ones with the same function. The ISO 8601 text is parsed here, never by SpiffWorkflow.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

# The farthest a timer may point ahead (a duration, or one interval of a cycle): 10 years.
MAX_TIMER_SPAN = timedelta(days=3653)
# The window a timeDate (or a cycle's start/end) must fall in.
MIN_TIMER_YEAR = 2000
MAX_TIMER_YEAR = 2100
# Every cycle firing adds tasks that are never pruned: keep cycles bounded and not too fast.
MAX_CYCLE_REPETITIONS = 1000
MIN_CYCLE_INTERVAL = timedelta(minutes=1)
MIN_UNBOUNDED_CYCLE_INTERVAL = timedelta(hours=1)
# No sane timer value is longer; a longer one is refused before any number is read.
MAX_TIMER_TEXT = 200

TIMER_KINDS = ("timeDate", "timeDuration", "timeCycle")

# Average calendar lengths: SpiffWorkflow counts real months, the bound only needs the size.
_SECONDS = {
    "Y": 365.25 * 86400,
    "M": 365.25 / 12 * 86400,
    "W": 7 * 86400,
    "D": 86400,
    "H": 3600,
    "TM": 60,
    "S": 1,
}
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_DURATION = re.compile(
    rf"^P(?!$)(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}W)?(?:{_NUMBER}D)?"
    rf"(?:T(?=\d)(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?$",
    re.IGNORECASE,
)
_WEEK_DATE = re.compile(r"^(\d{4})-?W(\d{2})-?(\d)(T.+)?$", re.IGNORECASE)
_CYCLE = re.compile(r"^R(\d*)$", re.IGNORECASE)


class _Invalid(ValueError):
    """The value is not what the kind needs; the message is the reason for the designer."""


def timer_value_problem(kind: str, value: object) -> str | None:
    """Why a timer value is out of range or malformed, in Chinese; ``None`` when it is fine.

    :param kind: ``"timeDate"``, ``"timeDuration"`` or ``"timeCycle"``.
    :param value: the evaluated (unquoted) value, e.g. ``"P5D"`` or ``"R12/P30D"``.
    """
    if not isinstance(value, str):
        return f"定时器的值应为 ISO 8601 字符串，实际是 {type(value).__name__} 类型"
    text = value.strip()
    if len(text) > MAX_TIMER_TEXT:
        return f"定时器的值长 {len(text):,} 个字符，超过 {MAX_TIMER_TEXT} 个字符的上限"
    try:
        if kind == "timeDuration":
            _check_span(text, _duration_seconds(text))
        elif kind == "timeDate":
            _check_date(text)
        elif kind == "timeCycle":
            _check_cycle(text)
        else:
            return f"未知的定时器类型 {kind}"
    except _Invalid as err:
        return str(err)
    return None


def _duration_seconds(text: str) -> float:
    match = _DURATION.match(text)
    if match is None:
        raise _Invalid(f"{text} 不是合法的 ISO 8601 时长（例如 P5D 表示 5 天，PT4H 表示 4 小时）")
    total = 0.0
    for unit, number in zip(_SECONDS, match.groups(), strict=True):
        if number is not None:
            total += float(number.replace(",", ".")) * _SECONDS[unit]
    return total


def _check_span(text: str, seconds: float) -> None:
    if seconds > MAX_TIMER_SPAN.total_seconds():
        raise _Invalid(
            f"定时器时长 {text}（约 {_describe(seconds)}）超过 "
            f"{MAX_TIMER_SPAN.days // 365} 年的上限：请检查数值和单位"
            "（Y 年、M 月、W 周、D 天；T 之后 H 时、M 分、S 秒）"
        )


def _check_date(text: str) -> datetime:
    if text[:1].upper() == "P":
        raise _Invalid(
            f"{text} 是时长，不是日期时间：时长请用 timeDuration，"
            "日期请写成 2026-03-02T08:00:00+08:00 这样的形式"
        )
    week = _WEEK_DATE.match(text)
    try:
        if week:
            year, number, day, _time = week.groups()
            moment = datetime.fromisocalendar(int(year), int(number), int(day))
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        raise _Invalid(
            f"{text} 不是合法的 ISO 8601 日期时间（例如 2026-03-02T08:00:00+08:00）"
        ) from None
    if not MIN_TIMER_YEAR <= moment.year <= MAX_TIMER_YEAR:
        raise _Invalid(
            f"定时器日期 {text} 的年份 {moment.year} 不在 {MIN_TIMER_YEAR}–{MAX_TIMER_YEAR} "
            "年之间：请检查日期"
        )
    return moment


def _check_cycle(text: str) -> None:
    parts = text.replace("--", "/").split("/")
    repeat = _CYCLE.match(parts[0])
    if repeat is None or len(parts) not in (2, 3):
        raise _Invalid(
            f"{text} 不是合法的 ISO 8601 循环（例如 R12/P30D 表示每 30 天一次、共 12 次）"
        )
    durations = [p for p in parts[1:] if p[:1].upper() == "P"]
    if len(durations) != 1:
        raise _Invalid(f"循环定时器 {text} 应含且只含一个间隔时长（例如 R12/P30D）")
    for part in parts[1:]:
        if part not in durations:
            _check_date(part)
    seconds = _duration_seconds(durations[0])
    _check_span(durations[0], seconds)
    count = repeat.group(1)
    if count and int(count) > MAX_CYCLE_REPETITIONS:
        raise _Invalid(
            f"循环定时器 {text} 重复 {int(count):,} 次，超过 {MAX_CYCLE_REPETITIONS:,} 次的上限："
            "每次触发都会让流程实例变大，请减少次数，或把频繁的提醒放到流程之外"
        )
    if seconds < MIN_CYCLE_INTERVAL.total_seconds():
        raise _Invalid(
            f"循环定时器 {text} 的间隔只有 {_describe(seconds)}，短于下限 "
            f"{_describe(MIN_CYCLE_INTERVAL.total_seconds())}：请加大间隔"
        )
    if not count and seconds < MIN_UNBOUNDED_CYCLE_INTERVAL.total_seconds():
        raise _Invalid(
            f"循环定时器 {text} 不限次数、间隔只有 {_describe(seconds)}：不限次数的循环间隔"
            f"至少 {_describe(MIN_UNBOUNDED_CYCLE_INTERVAL.total_seconds())}，"
            f"或写明次数（例如 R10/{durations[0]}）"
        )


def _describe(seconds: float) -> str:
    """A rough human reading of a span, for messages only."""
    for limit, unit in ((365.25 * 86400, "年"), (86400, "天"), (3600, "小时"), (60, "分钟")):
        if seconds >= limit:
            return f"{_amount(seconds / limit)} {unit}"
    return f"{_amount(seconds)} 秒"


def _amount(value: float) -> str:
    if value < 100:
        return f"{value:.3g}"
    return f"{value:,.0f}" if value < 1e12 else f"{value:.1e}"
