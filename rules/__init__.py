"""Pure decisions over plain data: routing by the catalog, the working-day calendar, deadlines.

No database, no Flask, no clock reads: everything a decision needs comes in as arguments.
"""

from __future__ import annotations

from .contested import MatterDisputes, rank_contested
from .deadline_policy import CHINA_TZ, DeadlinePolicy, DeadlinePolicyInvalid
from .deadlines import (
    REMIND_FRACTION,
    Deadline,
    StageDeadline,
    WorkingDaysLeft,
    due_after_hours,
    due_after_working_days,
    fraction_point,
    schedule_limit,
    schedule_until,
    schedule_working_days,
    working_days_left,
)
from .decision import ComplaintFacts, MatterRef, Outcome, Reason, RoutingDecision, UnitRef
from .explanation import explain
from .extensions import extension_due, extension_possible, extension_problems
from .holiday_schedule import Festival, Holiday, SwappedWorkingDay, YearSchedule
from .holiday_schedule_parser import (
    ScheduleInvalid,
    ScheduleProblem,
    check_year_schedule,
    parse_year_schedule,
)
from .routing import RoutingTable, route, route_on, routing_table
from .search import MatterHit, search_matters
from .statutory_holidays import statutory_schedule
from .working_calendar import DaySource, DayStatus, WorkingCalendar

__all__ = [
    "CHINA_TZ",
    "REMIND_FRACTION",
    "ComplaintFacts",
    "DaySource",
    "DayStatus",
    "Deadline",
    "DeadlinePolicy",
    "DeadlinePolicyInvalid",
    "Festival",
    "Holiday",
    "MatterDisputes",
    "MatterHit",
    "MatterRef",
    "Outcome",
    "Reason",
    "RoutingDecision",
    "RoutingTable",
    "ScheduleInvalid",
    "ScheduleProblem",
    "StageDeadline",
    "SwappedWorkingDay",
    "UnitRef",
    "WorkingCalendar",
    "WorkingDaysLeft",
    "YearSchedule",
    "check_year_schedule",
    "due_after_hours",
    "due_after_working_days",
    "explain",
    "extension_due",
    "extension_possible",
    "extension_problems",
    "fraction_point",
    "parse_year_schedule",
    "rank_contested",
    "route",
    "route_on",
    "routing_table",
    "schedule_limit",
    "schedule_until",
    "schedule_working_days",
    "search_matters",
    "statutory_schedule",
    "working_days_left",
]
