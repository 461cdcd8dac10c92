"""Handling: the 80 % reminder, overdue and supervision, extensions, listed supervision."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from engine.core.errors import FormRejected
from tests.engine.complaints.helpers import (
    do,
    local,
    move_to,
    notifications,
    report,
    task,
    task_names,
)

MAJIAYING = "xiguocheng-002"
SECOND = timedelta(seconds=1)


def _accepted(desk, matter="D07-07"):
    submitted = report(desk, matter, MAJIAYING)
    do(desk, submitted, "sign_for", {"decision": "accept"}, actor="staff:water")
    return submitted


def _deadline(desk, submitted, key="handle_deadline"):
    data = desk.host.instance_data(submitted.instance_id)
    return {k: datetime.fromisoformat(v) for k, v in data[key].items() if k in ("due", "remind_at")}


def test_reminder_at_80_percent_then_overdue_and_supervision_while_unit_keeps_handling(desk):
    submitted = _accepted(desk)
    deadline = _deadline(desk, submitted)
    move_to(desk, deadline["remind_at"] - SECOND)
    assert notifications(desk, "water_supply", "handle_reminder") == []
    move_to(desk, deadline["remind_at"] + SECOND)
    assert len(notifications(desk, "water_supply", "handle_reminder")) == 1
    move_to(desk, deadline["due"] - SECOND)
    assert desk.complaint(submitted.complaint_id).overdue is False
    move_to(desk, deadline["due"] + SECOND)
    complaint = desk.complaint(submitted.complaint_id)
    assert complaint.overdue is True
    assert task_names(desk, submitted) == ["assist", "assist", "handle", "supervise"]
    do(desk, submitted, "supervise", {"supervision_note": "请今日内处置"}, actor="dispatcher:zhao")
    # Supervised, still not handled: the case stays overdue (the flag set in the supervision
    # branch ends with it; the projection reads the deadline of the stage the case is in).
    assert desk.complaint(submitted.complaint_id).overdue is True
    do(
        desk,
        submitted,
        "handle",
        {"outcome": "reply", "reply_text": "已抢修完毕"},
        actor="staff:water",
    )
    stages = {s.stage: s for s in desk.stages(submitted.complaint_id) if s.stage == "handle"}
    assert stages["handle"].on_time is False, "the handling stage is frozen as late"


def test_extension_approved_after_the_reminder_moves_the_deadline_and_keeps_the_notes(desk):
    submitted = _accepted(desk)
    first = _deadline(desk, submitted)
    move_to(desk, first["remind_at"] + SECOND)
    assert len(notifications(desk, "water_supply", "handle_reminder")) == 1
    later = (first["due"] + timedelta(days=10)).date()
    while later.weekday() >= 5:  # an extension ends on a working day (March: no holidays)
        later += timedelta(days=1)
    new_day = later.isoformat()
    do(
        desk,
        submitted,
        "handle",
        {
            "outcome": "extension",
            "progress_note": "已开挖，等待管材",
            "extension_reason": "管材需外地调运",
            "extension_until": new_day,
        },
        actor="staff:water",
    )
    assert "approve_extension" in task_names(desk, submitted)
    do(desk, submitted, "approve_extension", {"extension_approved": True}, actor="dispatcher")
    assert notifications(desk, "water_supply", "decision") == [
        f"延期申请已批准：诉求 {submitted.tracking_code}（供水管网破损致路面塌陷）"
    ]
    second = _deadline(desk, submitted)
    assert local(second["due"]) == f"{new_day} 18:00"
    data = desk.host.instance_data(submitted.instance_id)
    assert data["progress_note"] == "已开挖，等待管材" and data["extension_count"] == 1
    # The old deadline passes quietly; the new one is what counts.
    move_to(desk, first["due"] + SECOND)
    assert desk.complaint(submitted.complaint_id).overdue is False
    assert "supervise" not in task_names(desk, submitted)
    handle_rows = [s for s in desk.stages(submitted.complaint_id) if s.stage == "handle"]
    assert handle_rows[0].on_time is True and handle_rows[-1].due_at == second["due"]


def test_extensions_beyond_the_catalog_allowance_are_refused(desk):
    submitted = _accepted(desk, "D07-02")  # 供水管道破裂漏水: no extension allowed
    day = (desk.host.clock.now() + timedelta(days=20)).date().isoformat()
    with pytest.raises(FormRejected) as refused:
        do(
            desk,
            submitted,
            "handle",
            {"outcome": "extension", "extension_reason": "人手不足", "extension_until": day},
            actor="staff",
        )
    assert refused.value.errors == {"outcome": "该事项按责任清单不可延期"}
    assert "approve_extension" not in task_names(desk, submitted)
    assert "handle" in task_names(desk, submitted)
    assert desk.host.instance_data(submitted.instance_id)["extension_count"] == 0


def test_listed_supervision_checks_in_periodically_until_solved(desk):
    submitted = _accepted(desk)
    do(
        desk,
        submitted,
        "handle",
        {"outcome": "list", "listing_plan": "纳入年度管网改造"},
        actor="staff:water",
    )
    do(desk, submitted, "approve_listing", {"listing_approved": True}, actor="dispatcher")
    complaint = desk.complaint(submitted.complaint_id)
    assert complaint.listed and complaint.stage == "listed"
    now = desk.host.clock.now()
    move_to(desk, now + timedelta(days=31))
    move_to(desk, now + timedelta(days=62))
    assert len(notifications(desk, "water_supply", "listed_checkin")) == 2
    do(desk, submitted, "listed_checkin", {"progress_note": "已立项", "solved": False}, actor="s")
    do(
        desk,
        submitted,
        "listed_checkin",
        {"progress_note": "改造完成", "solved": True, "reply_text": "管网已更换"},
        actor="s",
    )
    # The round ends once the supporting units have reported their part too.
    for party in ("xiguocheng", "transport"):
        do(desk, submitted, "assist", {"assist_note": "已配合"}, actor=party, group=party)
    assert task(desk, submitted, "callback").candidate_groups == ["reporter:resident-1"]


def test_return_needs_reason_and_catalog_item(desk):
    import pytest

    from engine import FormRejected

    submitted = report(desk, "D07-07", MAJIAYING)
    with pytest.raises(FormRejected) as caught:
        do(desk, submitted, "sign_for", {"decision": "return"}, actor="staff")
    assert set(caught.value.errors) == {"return_reason", "return_basis"}
