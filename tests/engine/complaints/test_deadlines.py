"""Deadlines on the working-day calendar: holidays, swapped working days, provisional years."""

from __future__ import annotations

from datetime import timedelta

from tests.engine.complaints.conftest import beijing
from tests.engine.complaints.helpers import do, local, report

MAJIAYING = "xiguocheng-002"


def test_handling_deadline_crosses_national_day_and_counts_the_swapped_saturday(desk, clock):
    clock.set(beijing("2026-09-30 09:00"))
    submitted = report(desk, "D04-01", MAJIAYING)  # 占道经营: 5 working days to handle
    clock.set(beijing("2026-09-30 09:30"))
    do(desk, submitted, "sign_for", {"decision": "accept"}, actor="staff:cgj")
    complaint = desk.complaint(submitted.complaint_id)
    # Oct 1-7 off; working: Oct 8, 9, 10 (a Saturday worked in exchange), 12, 13.
    assert local(complaint.handle_due) == "2026-10-13 18:00"
    assert complaint.due_provisional is False


def test_sign_for_hours_continue_on_a_swapped_sunday(desk, clock):
    clock.set(beijing("2026-09-18 17:00"))  # Friday; Sat 19 off; Sun 20 is a working day
    submitted = report(desk, "D04-01", MAJIAYING)  # sign-for within 2 office hours
    assert local(desk.complaint(submitted.complaint_id).sign_for_due) == "2026-09-20 09:30"


def test_deadlines_in_a_year_without_official_schedule_are_provisional(desk, clock):
    clock.set(beijing("2027-09-30 09:00"))
    submitted = report(desk, "D04-01", MAJIAYING)
    do(desk, submitted, "sign_for", {"decision": "accept"}, actor="staff:cgj")
    complaint = desk.complaint(submitted.complaint_id)
    assert complaint.due_provisional is True
    # Statutory days Oct 1-3 (Fri-Sun) and the make-up days for the weekend (Mon 4, Tue 5)
    # are skipped: Oct 6, 7, 8, 11, 12.
    assert local(complaint.handle_due) == "2027-10-12 18:00"
    assert any("2027" in w for w in desk.calendar_warnings())


def test_an_entered_official_schedule_replaces_the_provisional_reckoning(desk, clock):
    clock.set(beijing("2027-09-30 09:00"))
    desk.enter_holiday_schedule(
        {
            "year": 2027,
            "source": "国务院办公厅关于2027年部分节假日安排的通知（演示）",
            "holidays": [
                {"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"},
                {"name": "国庆节", "start": "2027-10-01", "end": "2027-10-07"},
            ],
            "working_days": [{"date": "2027-10-09", "name": "国庆节"}],
        },
        actor="admin",
    )
    submitted = report(desk, "D04-01", MAJIAYING)
    do(desk, submitted, "sign_for", {"decision": "accept"}, actor="staff:cgj")
    complaint = desk.complaint(submitted.complaint_id)
    assert complaint.due_provisional is False
    # Oct 1-7 off; Oct 8 (Fri), 9 (Sat, worked), 11, 12, 13.
    assert local(complaint.handle_due) == "2027-10-13 18:00"
    assert not any("2027 年" in w for w in desk.calendar_warnings())


def test_a_schedule_entered_after_cases_were_timed_applies_to_the_next_deadline(desk, clock):
    """The calendar is cached per process; entering a schedule must reach the next step."""
    clock.set(beijing("2027-09-30 09:00"))
    before = report(desk, "D04-01", MAJIAYING)
    do(desk, before, "sign_for", {"decision": "accept"}, actor="staff:cgj")
    assert local(desk.complaint(before.complaint_id).handle_due) == "2027-10-12 18:00"
    schedule = {
        "year": 2027,
        "source": "国务院办公厅关于2027年部分节假日安排的通知（演示）",
        "holidays": [{"name": "国庆节", "start": "2027-10-01", "end": "2027-10-07"}],
        "working_days": [{"date": "2027-10-09", "name": "国庆节"}],
    }
    desk.enter_holiday_schedule(schedule, actor="admin")
    after = report(desk, "D04-01", MAJIAYING)
    do(desk, after, "sign_for", {"decision": "accept"}, actor="staff:cgj")
    assert local(desk.complaint(after.complaint_id).handle_due) == "2027-10-13 18:00"

    # Re-entered with another make-up day: the changed schedule, not the cached one.
    clock.advance(timedelta(minutes=1))  # the entry time is the cache's stamp
    desk.enter_holiday_schedule(schedule | {"working_days": []}, actor="admin")
    again = report(desk, "D04-01", MAJIAYING)
    do(desk, again, "sign_for", {"decision": "accept"}, actor="staff:cgj")
    # Oct 1-7 off, no Saturday worked: Oct 8, 11, 12, 13, 14.
    assert local(desk.complaint(again.complaint_id).handle_due) == "2027-10-14 18:00"
