"""Reply, callback (回访), reopening and closing."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.engine.complaints.helpers import do, move_to, report, task, task_names

MAJIAYING = "xiguocheng-002"


def _replied(desk, **report_fields):
    submitted = report(desk, "D07-07", MAJIAYING, **report_fields)
    do(desk, submitted, "sign_for", {"decision": "accept"}, actor="staff:water")
    for party in ("xiguocheng", "transport"):
        do(desk, submitted, "assist", {"assist_note": "已配合"}, actor=party, group=party)
    do(desk, submitted, "handle", {"outcome": "reply", "reply_text": "已修复"}, actor="staff:water")
    return submitted


def test_satisfied_reporter_closes_the_case_and_every_stage_is_frozen(desk):
    submitted = _replied(desk)
    assert desk.complaint(submitted.complaint_id).stage == "callback"
    assert task(desk, submitted, "callback").candidate_groups == ["reporter:resident-1"]
    do(desk, submitted, "callback", {"satisfaction": "satisfied"}, actor="resident:1")
    complaint = desk.complaint(submitted.complaint_id)
    assert (complaint.status, complaint.stage, complaint.satisfaction) == (
        "closed",
        "closed",
        "satisfied",
    )
    assert complaint.reply_text == "已修复"
    stages = desk.stages(submitted.complaint_id)
    assert {s.stage for s in stages} == {"sign_for", "assist", "handle", "callback"}
    assert all(s.ended_at is not None and s.on_time is True for s in stages)


def test_grid_worker_answers_the_callback_for_a_resident_without_phone(desk):
    submitted = _replied(
        desk, channel="grid", grid_worker="gw-17", reporter_name="王大爷", consent=True
    )
    assert task(desk, submitted, "callback").candidate_groups == ["grid:gw-17"]


def test_unanswered_callback_closes_as_no_response_after_three_working_days(desk):
    submitted = _replied(desk)
    due = datetime.fromisoformat(
        desk.host.instance_data(submitted.instance_id)["callback_deadline"]["due"]
    )
    move_to(desk, due - timedelta(seconds=1))
    assert task_names(desk, submitted) == ["callback"]
    move_to(desk, due + timedelta(seconds=1))
    complaint = desk.complaint(submitted.complaint_id)
    assert (complaint.status, complaint.satisfaction) == ("closed", "no_response")


def test_two_reopenings_then_supervision(desk):
    submitted = _replied(desk)
    for round_number in (1, 2):
        do(
            desk,
            submitted,
            "callback",
            {"satisfaction": "unsatisfied", "callback_comment": "还在漏水"},
            actor="resident:1",
        )
        complaint = desk.complaint(submitted.complaint_id)
        assert (complaint.reopen_count, complaint.stage) == (round_number, "handling")
        assert "sign_for" not in task_names(desk, submitted), (
            "reopened cases go straight to handling"
        )
        for party in ("xiguocheng", "transport"):
            do(desk, submitted, "assist", {"assist_note": "再次配合"}, actor=party, group=party)
        do(
            desk,
            submitted,
            "handle",
            {"outcome": "reply", "reply_text": f"第{round_number}次重办"},
            actor="staff:water",
        )
    do(desk, submitted, "callback", {"satisfaction": "unsatisfied"}, actor="resident:1")
    assert task_names(desk, submitted) == ["final_supervision"]
    do(desk, submitted, "final_supervision", {"final_note": "已督办，做好解释"}, actor="dispatcher")
    assert desk.complaint(submitted.complaint_id).status == "closed"
