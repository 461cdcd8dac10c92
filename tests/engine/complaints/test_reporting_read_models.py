"""The reporter's and the JSON API's reads (engine.complaints.read_models.reporting): each in
a read session of its own, returning frozen copies, scoped by county and visibility."""

from __future__ import annotations

import dataclasses

import pytest

from engine.complaints import (
    ComplaintRecord,
    case_detail,
    notifications_of,
    public_steps,
    report_by_code,
    report_by_id,
    reports_of,
    task_detail,
    task_record,
    visible_reports,
)
from engine.people import Account
from tests.engine.complaints.helpers import report, tasks

MAJIAYING = "xiguocheng-002"


def _account(role: str, username: str, *, unit: str | None = None, county: str = "julu"):
    return Account(1, username, username, role, unit, (), county)


def test_a_report_by_code_or_id_is_a_frozen_copy_of_its_county(desk) -> None:
    host = desk.host
    submitted = report(desk, "D07-07", MAJIAYING, reporter_account="resident-1")
    code = submitted.tracking_code
    found = report_by_code(host, " " + code.lower() + " ", county="julu")
    assert isinstance(found, ComplaintRecord) and found.id == submitted.complaint_id
    with pytest.raises(dataclasses.FrozenInstanceError):
        # The test shows the frozen dataclass refuses it
        found.status = "closed"  # type: ignore[misc]
    assert report_by_code(host, code, county="elsewhere") is None
    assert report_by_code(host, "  ", county="julu") is None
    assert report_by_id(host, submitted.complaint_id) == found
    assert report_by_id(host, 999_999) is None
    steps = public_steps(host, found)
    assert steps[0].label == "诉求已受理" and steps[-1].unit == "water_supply"


def test_my_reports_and_the_cases_an_account_may_list(desk) -> None:
    host = desk.host
    mine = report(desk, "D07-07", MAJIAYING, reporter_account="resident-1")
    other = report(desk, "D07-07", MAJIAYING, reporter_account="resident-2")
    resident = _account("resident", "resident-1")
    assert [c.id for c in reports_of(host, resident)] == [mine.complaint_id]
    assert [c.id for c in visible_reports(host, resident, limit=10)] == [mine.complaint_id]
    dispatcher = _account("dispatcher", "d1")
    listed = {c.id for c in visible_reports(host, dispatcher, limit=10)}
    assert listed == {mine.complaint_id, other.complaint_id}
    assert visible_reports(host, dispatcher, status="closed", limit=10) == []
    assert len(visible_reports(host, dispatcher, limit=1)) == 1
    assert visible_reports(host, _account("dispatcher", "d2", county="elsewhere"), limit=10) == []
    assert reports_of(host, dispatcher) == []


def test_case_detail_tasks_and_notifications(desk) -> None:
    host = desk.host
    submitted = report(desk, "D07-07", MAJIAYING)
    detail = case_detail(host, submitted.complaint_id)
    assert detail is not None and detail.case.complaint.id == submitted.complaint_id
    names = sorted(t.task_name for t in detail.tasks)
    assert names == sorted(t.task_name for t in tasks(desk, submitted)) and "sign_for" in names
    sign_for = next(t for t in detail.tasks if t.task_name == "sign_for")
    assert sign_for.due_at is not None and "sign_for" in detail.deadlines
    assert case_detail(host, 999_999) is None

    ready = next(t for t in tasks(desk, submitted) if t.task_name == "sign_for")
    record = task_record(host, ready.id)
    assert record is not None and record.task_name == "sign_for"
    assert task_record(host, "no-such-task") is None
    shown = task_detail(host, record)
    assert shown.case is not None and shown.case.tracking_code == submitted.tracking_code
    assert isinstance(shown.form_fields, list)

    (note, *_) = notifications_of(host, ["water_supply"])
    assert note.case is not None and note.case.complaint_id == submitted.complaint_id
    assert note.read is False
    assert notifications_of(host, ["nobody"]) == []
