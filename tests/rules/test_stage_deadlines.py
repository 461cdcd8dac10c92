"""The deadline policy every process stage shares: due instant plus a reminder at 80 %."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest

from rules import (
    REMIND_FRACTION,
    WorkingCalendar,
    due_after_working_days,
    extension_due,
    fraction_point,
    schedule_until,
    schedule_working_days,
)
from rules.agri import REPLY_POLICY
from rules.complaint_stages import (
    DEFAULT_LIMITS,
    FIXED_STAGE_DAYS,
    jurisdiction_deadline,
    stage_deadline,
)
from rules.deadline_policy import DeadlinePolicy

BEIJING = timezone(timedelta(hours=8))
CALENDAR = WorkingCalendar()
# Tuesday before National Day 2026 (1–7 Oct off, Saturday 10 Oct worked).
BEFORE_NATIONAL_DAY = datetime(2026, 9, 29, 10, 0, tzinfo=BEIJING)


def test_every_stage_reminds_at_80_percent_of_the_limit() -> None:
    assert REMIND_FRACTION == 0.8
    assert REPLY_POLICY.remind_fraction == REMIND_FRACTION


def test_working_days_give_close_of_business_and_the_80_percent_reminder() -> None:
    stage = schedule_working_days(BEFORE_NATIONAL_DAY, 5, CALENDAR)
    due = due_after_working_days(BEFORE_NATIONAL_DAY, 5, CALENDAR)
    assert stage.due == due.at == datetime(2026, 10, 12, 18, 0, tzinfo=BEIJING)
    # 43.5 office hours in total; 80 % = 34.8 h → the swapped working Saturday at 16:48.
    assert stage.remind_at == datetime(2026, 10, 10, 16, 48, tzinfo=BEIJING)
    assert stage.provisional is due.provisional is False
    assert stage.explanation == due.explanation
    assert "国庆节" in stage.explanation


def test_the_reminder_fraction_and_the_office_hours_can_be_chosen() -> None:
    halfway = schedule_working_days(BEFORE_NATIONAL_DAY, 5, CALENDAR, remind_fraction=0.5)
    assert halfway.remind_at == datetime(2026, 10, 9, 9, 15, tzinfo=BEIJING)
    winter = DeadlinePolicy(office_hours=((time(8, 30), time(12, 0)), (time(13, 30), time(17, 0))))
    stage = schedule_working_days(BEFORE_NATIONAL_DAY, 1, CALENDAR, winter)
    assert stage.due == datetime(2026, 9, 30, 17, 0, tzinfo=BEIJING)
    # 5 h 30 left on the start day and 7 h the next: 80 % of 12 h 30 is 10 h → 14:30 the next.
    assert stage.remind_at == datetime(2026, 9, 30, 14, 30, tzinfo=BEIJING)


def test_a_stage_into_a_year_without_a_schedule_is_provisional() -> None:
    new_year = datetime(2026, 12, 31, 10, 0, tzinfo=BEIJING)
    assert schedule_working_days(new_year, 1, CALENDAR).provisional is True


def test_a_fixed_due_instant_keeps_its_form_and_gets_the_reminder() -> None:
    due = extension_due(datetime(2026, 10, 12).date())
    stage = schedule_until(
        BEFORE_NATIONAL_DAY, due, CALENDAR, provisional=False, explanation="延期至 2026-10-12"
    )
    assert stage.due is due
    assert stage.to_dict()["due"] == "2026-10-12T18:00:00+08:00"
    assert stage.remind_at == fraction_point(BEFORE_NATIONAL_DAY, due, 0.8, CALENDAR).at
    assert stage.explanation == "延期至 2026-10-12"


@pytest.mark.parametrize("days", [0, -1, True])
def test_a_number_of_working_days_must_be_positive(days: int) -> None:
    with pytest.raises(ValueError, match="工作日数应为正整数"):
        schedule_working_days(BEFORE_NATIONAL_DAY, days, CALENDAR)


def test_the_jurisdiction_stage_reminds_the_dispatch_centre_after_half_an_hour() -> None:
    stage = jurisdiction_deadline(BEFORE_NATIONAL_DAY)
    assert stage.to_dict() == {
        "due": "2026-09-29T10:30:00+08:00",
        "remind_at": "2026-09-29T10:30:00+08:00",
        "provisional": False,
        "explanation": "30 分钟内未确定管辖则提醒调度中心负责人",
    }


@pytest.mark.parametrize(("stage", "days"), sorted(FIXED_STAGE_DAYS.items()))
def test_stages_outside_the_catalog_have_fixed_working_days(stage: str, days: int) -> None:
    routing = {f"{stage}_limit": "10个工作日"}  # ignored: these stages are not the catalog's
    assert stage_deadline(stage, BEFORE_NATIONAL_DAY, routing, CALENDAR) == (
        schedule_working_days(BEFORE_NATIONAL_DAY, days, CALENDAR)
    )


def test_catalog_limits_come_from_the_routing_and_default_when_unrouted() -> None:
    routed = stage_deadline("handle", BEFORE_NATIONAL_DAY, {"handle_limit": "3个工作日"}, CALENDAR)
    assert routed.explanation.startswith("时限3个工作日：")
    assert routed.remind_at < routed.due
    unrouted = stage_deadline("sign_for", BEFORE_NATIONAL_DAY, {}, CALENDAR)
    assert DEFAULT_LIMITS["sign_for"] == "2小时"
    assert unrouted.explanation.startswith("时限2小时：")
    assert unrouted.due == datetime(2026, 9, 29, 12, 0, tzinfo=BEIJING)


def test_a_stage_without_a_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="未知的时限环节：rating"):
        stage_deadline("rating", BEFORE_NATIONAL_DAY, {}, CALENDAR)
