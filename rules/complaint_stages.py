"""Time limits of the complaint stages: the ones the catalog sets and the ones it does not."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from responsibility_catalog import TimeLimit

from .deadline_policy import DeadlinePolicy
from .deadlines import (
    DEFAULT_POLICY,
    StageDeadline,
    schedule_limit,
    schedule_working_days,
)
from .working_calendar import WorkingCalendar

# An unrouted case waits on the dispatch centre, which is staffed: a clock half hour, not
# office time.
JURISDICTION_REMINDER = timedelta(minutes=30)
# Stage limits that are not in the catalog, in working days.
FIXED_STAGE_DAYS = {"contested": 1, "callback": 3, "consultation": 3}
# Limits of a case the catalog could not route (no matter, so no catalog limits).
DEFAULT_LIMITS = {"sign_for": "2小时", "handle": "5个工作日"}


def jurisdiction_deadline(start: datetime) -> StageDeadline:
    """Due and reminder both `JURISDICTION_REMINDER` after ``start``: the dispatch centre's
    lead is told once, at the end."""
    at = start + JURISDICTION_REMINDER
    return StageDeadline(at, at, False, "30 分钟内未确定管辖则提醒调度中心负责人")


def stage_deadline(
    stage: str,
    start: datetime,
    routing: Mapping[str, Any],
    calendar: WorkingCalendar,
    policy: DeadlinePolicy = DEFAULT_POLICY,
) -> StageDeadline:
    """Due and reminder of a working-calendar stage (every stage but ``jurisdiction``).

    :param routing: the routing result in process data; its ``<stage>_limit`` (``2小时``,
        ``5个工作日``) comes from the catalog, else `DEFAULT_LIMITS` applies.
    :raises ValueError: for a stage with no limit.
    """
    if stage in FIXED_STAGE_DAYS:
        return schedule_working_days(start, FIXED_STAGE_DAYS[stage], calendar, policy)
    text = routing.get(f"{stage}_limit") or DEFAULT_LIMITS.get(stage)
    if text is None:
        raise ValueError(f"未知的时限环节：{stage}")
    return schedule_limit(start, TimeLimit.parse(text), calendar, policy)
