"""The unit inbox's read models and the unit lead's desk: a unit's tasks, one task with the
forms of its diagram version, the unit's table and reassigning a task (audited)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.complaints import (
    AssignmentDesk,
    AssignmentRejected,
    InboxFilters,
    TaskRecord,
    assignment_table,
    case_view,
    inbox_page,
    inbox_totals,
    unit_staff,
    unit_task,
)
from engine.core.persistence.models import AuditEvent
from engine.core.transactions import run_step
from engine.people import create_account
from tests.engine.complaints.conftest import beijing
from tests.engine.complaints.helpers import report

MAJIAYING = "xiguocheng-002"  # D07-07: the water bureau signs for it


@pytest.fixture
def unit_case(desk, clock):
    """A case waiting for its unit's sign-for, and two people of that unit."""
    clock.set(beijing("2022-04-11 09:00"))
    submitted = report(desk, "D07-07", MAJIAYING)
    unit = desk.complaint(submitted.complaint_id).primary_unit
    for username, role in (("lead", "unit_lead"), ("staff", "unit_staff")):
        run_step(
            desk.host.session_factory,
            lambda s, username=username, role=role: create_account(
                username=username,
                display_name=username.upper(),
                password="password-123",
                role=role,
                unit_id=unit,
                county="julu",
                now=clock.now(),
                session=s,
            ),
        )
    return submitted, unit


def test_the_unit_sees_its_sign_for_task(desk, clock, unit_case):
    submitted, unit = unit_case
    host, now = desk.host, clock.now()
    end = beijing("2022-04-12 00:00")
    rows = inbox_page(host, unit, InboxFilters(), county="julu", now=now, day_end=end, limit=10)
    (row,) = [r for r in rows if r.complaint_id == submitted.complaint_id]
    assert row.task_name == "sign_for" and row.tracking_code == submitted.tracking_code
    totals = inbox_totals(host, unit, county="julu", now=now, day_end=end, username="staff")
    assert totals.total == len(rows) and totals.mine == 0
    assert (
        inbox_page(host, unit, InboxFilters(), county="other", now=now, day_end=end, limit=10) == []
    )

    found = unit_task(host, row.task_id, county="julu")
    assert found is not None and isinstance(found.task, TaskRecord)
    assert found.complaint_id == submitted.complaint_id and "sign_for" in found.forms
    assert unit_task(host, row.task_id, county="other") is None
    assert unit_task(host, "no-such-task", county="julu") is None


def test_the_lead_keeps_the_table_and_reassigns_a_task(desk, clock, unit_case):
    submitted, unit = unit_case
    host = desk.host
    assert [p.username for p in unit_staff(host, unit, county="julu")] == ["staff", "lead"]
    assignments = AssignmentDesk(host)
    scopes = {"D07": "D07 供水", "D07-07": "D07-07"}

    assignments.set_entry(unit, "D07", "staff", scopes=scopes, county="julu", actor="lead")
    (entry,) = assignment_table(host, unit, county="julu")
    assert (entry.scope, entry.username, entry.unit_id) == ("D07", "staff", unit)
    with pytest.raises(AssignmentRejected):
        assignments.set_entry(unit, "D99", "staff", scopes=scopes, county="julu", actor="lead")
    assignments.remove_entry(unit, entry.id, county="julu", actor="lead")
    assert assignment_table(host, unit, county="julu") == []

    (task,) = [
        t for t in case_view(host, submitted.complaint_id).open_tasks if t.task_name == "sign_for"
    ]
    assignments.reassign(task.id, "staff", unit_id=unit, county="julu", actor="lead")
    (again,) = [t for t in case_view(host, submitted.complaint_id).open_tasks if t.id == task.id]
    assert again.assignee == "staff"
    with pytest.raises(AssignmentRejected):
        assignments.reassign(task.id, "nobody", unit_id=unit, county="julu", actor="lead")
    with host.session_factory() as session:
        actors = session.execute(
            select(AuditEvent.action, AuditEvent.actor).where(
                AuditEvent.action.in_(
                    ("task.reassigned", "assignment.changed", "assignment.removed")
                )
            )
        ).all()
    assert ("task.reassigned", "lead") in actors and ("assignment.removed", "lead") in actors
