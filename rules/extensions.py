"""Whether a unit's extension request can go to the dispatcher: the date and the allowance."""

from __future__ import annotations

from datetime import date, datetime, time

from .deadline_policy import CHINA_TZ
from .working_calendar import WorkingCalendar

# An approved extension ends at close of business on the requested day.
EXTENSION_CLOSE = time(18, 0)


def extension_possible(*, allowed: int, used: int) -> bool:
    """Whether the catalog's allowance for the matter has extensions left."""
    return used < allowed


def extension_due(until: date) -> datetime:
    """The new handling deadline of an extension to ``until``: 18:00 Beijing time that day."""
    return datetime.combine(until, EXTENSION_CLOSE, tzinfo=CHINA_TZ)


def extension_problems(
    until: date | None,
    *,
    current_due: datetime | None,
    now: datetime,
    calendar: WorkingCalendar,
    allowed: int,
    used: int,
) -> dict[str, str]:
    """Field -> reason for every way the request is wrong; empty when it may go ahead.

    The requested day must be a working day after today and after the current handling
    deadline, and the matter's allowance (``allowed`` in the catalog) must not be used up.
    """
    if not extension_possible(allowed=allowed, used=used):
        if allowed <= 0:
            return {"outcome": "该事项按责任清单不可延期"}
        return {"outcome": f"该事项按责任清单最多可延期 {allowed} 次，已用完"}
    if until is None:
        return {"extension_until": "请填写申请延至的日期"}
    today = now.astimezone(CHINA_TZ).date()
    if until <= today:
        day = until.isoformat()
        return {"extension_until": f"申请延至 {day} 须晚于今天（{today.isoformat()}）"}
    if current_due is not None:
        due_day = current_due.astimezone(CHINA_TZ).date()
        if until <= due_day:
            return {
                "extension_until": (
                    f"申请延至 {until.isoformat()} 须晚于当前办理时限（{due_day.isoformat()}）"
                )
            }
    if not calendar.is_working_day(until):
        return {"extension_until": f"申请延至 {until.isoformat()} 不是工作日，请选择工作日"}
    return {}
