"""Intake, routing at once, dispatch to primary and supporting units, screening."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.complaints.intake import ReportRejected
from engine.core.errors import NotWaitingForMessage
from tests.engine.complaints.helpers import (
    do,
    local,
    move_to,
    notifications,
    report,
    task,
    task_names,
)

MAJIAYING = "xiguocheng-002"  # 马家营村, 西郭城镇


def test_report_is_routed_at_once_to_primary_and_supporting_units(desk):
    submitted = report(desk, "D07-07", MAJIAYING)
    complaint = desk.complaint(submitted.complaint_id)
    assert complaint.primary_unit == "water_supply"
    assert complaint.supporting_units == ["xiguocheng", "transport"]
    assert complaint.stage == "sign_for" and complaint.catalog_version == "2022-06"
    assert task_names(desk, submitted) == ["assist", "assist", "sign_for"]
    assert task(desk, submitted, "sign_for").candidate_groups == ["water_supply"]
    assert {
        g
        for t in ("xiguocheng", "transport")
        for g in task(desk, submitted, "assist", t).candidate_groups
    } == {"xiguocheng", "transport"}
    # 1 hour of office time from Monday 08:00 (office opens 08:30).
    assert local(complaint.sign_for_due) == "2026-03-02 09:30"
    assert "新任务：签收" in notifications(desk, "water_supply", "task")
    assert "县供水服务中心" in complaint.routing["primary"]["name"]


def test_bad_report_names_each_field_and_stores_nothing(desk):
    with pytest.raises(ReportRejected) as caught:
        report(desk, "D99-99", "nowhere", channel="fax", description=" ", reporter_phone="12ab")
    assert set(caught.value.errors) == {
        "matter_id",
        "village_id",
        "channel",
        "description",
        "reporter_phone",
    }
    assert desk.host.ready_tasks() == []


def test_grid_worker_reports_need_name_and_consent(desk):
    with pytest.raises(ReportRejected) as caught:
        report(desk, "D11-03", "dicun-003", channel="grid", grid_worker="gw-7")
    assert set(caught.value.errors) == {"reporter_name", "consent"}


def test_likely_duplicate_is_flagged_and_can_be_merged_until_signed_for(desk, clock):
    first = report(desk, "D07-07", MAJIAYING)
    clock.advance(timedelta(hours=1))
    second = report(desk, "D07-07", MAJIAYING)
    assert second.duplicate_of == first.complaint_id
    desk.close_report(
        second.complaint_id,
        kind="merged",
        reason="同一处塌陷",
        merged_into=first.complaint_id,
        actor="dispatcher:zhao",
    )
    merged = desk.complaint(second.complaint_id)
    assert (merged.stage, merged.status, merged.merged_into) == (
        "merged",
        "closed",
        first.complaint_id,
    )
    assert task_names(desk, second) == []
    # The first case signed for: it can no longer be closed as invalid.
    do(desk, first, "sign_for", {"decision": "accept"}, actor="staff:water")
    with pytest.raises(NotWaitingForMessage):
        desk.close_report(first.complaint_id, kind="invalid", reason="重复", actor="d")


def test_invalid_report_does_not_count_as_valid(desk):
    submitted = report(desk, "D07-07", MAJIAYING)
    desk.close_report(submitted.complaint_id, kind="invalid", reason="恶意举报", actor="d")
    complaint = desk.complaint(submitted.complaint_id)
    assert (complaint.stage, complaint.valid, complaint.closure_reason) == (
        "invalid",
        False,
        "恶意举报",
    )


def test_unresolved_routing_goes_to_the_dispatcher_with_a_reminder_to_the_lead(desk, clock):
    # 城区市政道路破损 outside the built-up area: the catalog says "to the dispatcher".
    submitted = report(desk, "D09-04", MAJIAYING)
    assert task_names(desk, submitted) == ["determine"]
    assert desk.complaint(submitted.complaint_id).stage == "jurisdiction"
    move_to(desk, clock.now() + timedelta(minutes=29))
    assert notifications(desk, "dispatch_lead") == []
    move_to(desk, clock.now() + timedelta(minutes=2))
    assert len(notifications(desk, "dispatch_lead")) == 1
    do(
        desk,
        submitted,
        "determine",
        {
            "primary_unit": "transport",
            "supporting_units_text": "xiguocheng",
            "determine_note": "村道归交通局",
        },
        actor="dispatcher:zhao",
    )
    complaint = desk.complaint(submitted.complaint_id)
    assert (complaint.primary_unit, complaint.supporting_units) == ("transport", ["xiguocheng"])
    assert task(desk, submitted, "sign_for").candidate_groups == ["transport"]
