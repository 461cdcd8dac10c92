"""The dispatcher console's read models: frozen records of the queues, found in one county."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select
from sqlalchemy.orm import defer

from engine.complaints import (
    ComplaintRecord,
    approval_requests,
    case_names,
    case_view,
    console_counts,
    console_home,
    console_task,
    consultation_cases,
    contested_cases,
    field_labels,
    find_case,
    listed_ledger,
    overdue_board,
    task_forms,
)
from engine.complaints.models import Complaint
from engine.complaints.read_models.records import StageRecord, TaskRecord
from tests.engine.complaints.conftest import beijing
from tests.engine.complaints.helpers import report

MAJIAYING = "xiguocheng-002"  # D07-07: the water bureau signs for it


def test_an_unrouted_case_is_listed_as_a_frozen_record(desk, clock):
    clock.set(beijing("2022-04-11 09:00"))
    submitted = report(desk, None, MAJIAYING, description="路灯不亮了")
    host = desk.host

    counts = console_counts(host, county="julu")
    assert counts["determine"] == 1 and counts["overdue"] == 0 and counts["duplicates"] == 0
    home = console_home(host, county="julu", limit=10, offset=0, screening_rows=10)
    (item,) = home.unrouted
    assert item.task_name == "determine" and home.duplicates == []
    assert isinstance(item.complaint, ComplaintRecord)
    assert item.complaint.id == submitted.complaint_id
    assert item.complaint.description == "路灯不亮了"
    with pytest.raises(dataclasses.FrozenInstanceError):
        # The test shows the frozen dataclass refuses it
        item.complaint.stage = "closed"  # type: ignore[misc]
    assert console_task(host, item.task_id) == item
    assert console_task(host, "no-such-task") is None
    # Another county sees nothing of it.
    assert console_home(host, county="other", limit=10, offset=0, screening_rows=10).unrouted == []
    assert console_counts(host, county="other")["determine"] == 0


def test_a_case_is_found_by_its_code_or_number_in_its_county(desk, clock):
    clock.set(beijing("2022-04-11 09:00"))
    submitted = report(desk, "D07-07", MAJIAYING)
    host = desk.host
    assert find_case(host, f" {submitted.tracking_code} ", county="julu") == submitted.complaint_id
    assert find_case(host, str(submitted.complaint_id), county="julu") == submitted.complaint_id
    assert find_case(host, submitted.tracking_code, county="other") is None
    assert find_case(host, "", county="julu") is None
    assert find_case(host, "NO-SUCH-CODE", county="julu") is None


def test_empty_boards_read_without_rows(desk, clock):
    clock.set(beijing("2022-04-11 09:00"))
    report(desk, "D07-07", MAJIAYING)
    host = desk.host
    found = approval_requests(host, county="julu", limit=10)
    assert (found.extensions, found.listings) == ([], [])
    assert contested_cases(host, county="julu", limit=10, offset=0) == (0, [])
    assert consultation_cases(host, county="julu") == ([], [])
    board = overdue_board(host, county="julu", limit=10, offset=0)
    assert (board.total, board.board, board.final, board.final_count) == (0, [], [], 0)
    assert listed_ledger(host, county="julu") == []


def test_case_view_holds_records_and_names_cases_by_instance(desk, clock):
    clock.set(beijing("2022-04-11 09:00"))
    submitted = report(desk, "D07-07", MAJIAYING)
    host = desk.host

    case = case_view(host, submitted.complaint_id)
    assert case is not None and isinstance(case.complaint, ComplaintRecord)
    assert all(isinstance(s, StageRecord) for s in case.stages) and case.stages
    assert "sign_for" in {t.task_name for t in case.open_tasks}
    assert all(isinstance(t, TaskRecord) for t in case.open_tasks)
    assert case.complaint.primary_unit in case.involved_units
    assert case.complaint.extension_possible is True
    assert case_view(host, 999_999) is None

    names = case_names(host, [submitted.instance_id, None, 999_999])
    assert list(names) == [submitted.instance_id]
    assert names[submitted.instance_id].tracking_code == submitted.tracking_code


def test_task_forms_are_those_of_the_instance_diagram_version(desk, clock):
    clock.set(beijing("2022-04-11 09:00"))
    submitted = report(desk, "D07-07", MAJIAYING)
    forms = task_forms(desk.host, submitted.instance_id)
    assert forms is not None and "sign_for" in forms and "determine" in forms
    labels = field_labels(forms)
    assert labels["timer"] == "时限" and "decision" in labels
    assert task_forms(desk.host, 999_999) is None
    assert field_labels(None) == {"timer": "时限", "message": "操作"}


def test_a_copy_skips_deferred_columns_and_reads_expired_ones(desk, clock):
    clock.set(beijing("2022-04-11 09:00"))
    submitted = report(desk, "D07-07", MAJIAYING)
    with desk.host.session_factory() as session:
        light = select(Complaint).options(defer(Complaint.routing), defer(Complaint.photos))
        row = session.scalars(light.where(Complaint.id == submitted.complaint_id)).one()
        copy = ComplaintRecord.of(row)
        assert (copy.routing, copy.photos) == (None, [])  # no query per row for a list
        session.expire(row)
        copy = ComplaintRecord.of(row)
        assert copy.routing and copy.routing["matter_id"] == "D07-07"
        assert copy.tracking_code == submitted.tracking_code
