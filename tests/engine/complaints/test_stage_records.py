"""Stage records: each carries its own deadline and how it ended; only completed ones are timed."""

from __future__ import annotations

from datetime import timedelta

from analytics.figures import response
from engine.complaints.models import ComplaintStage
from tests.engine.complaints.conftest import beijing
from tests.engine.complaints.helpers import do, move_to, report
from tests.engine.complaints.test_returns_and_consultation import (
    HOULINXIN,
    RETURN,
    _consult_to_decision,
)

MAJIAYING = "xiguocheng-002"  # D07-07 here: water bureau, assisted by the town and transport


def _open(desk, submitted, stage: str) -> list[ComplaintStage]:
    return [
        s for s in desk.stages(submitted.complaint_id) if s.stage == stage and s.ended_at is None
    ]


def test_assist_stages_take_the_rounds_handling_deadline_when_the_primary_signs_for(desk, clock):
    clock.set(beijing("2022-04-11 09:00"))
    submitted = report(desk, "D07-07", MAJIAYING)
    # The round's deadline does not exist yet: handling starts at sign-for.
    assert [s.due_at for s in _open(desk, submitted, "assist")] == [None, None]
    do(desk, submitted, "sign_for", {"decision": "accept"}, actor="staff:water")
    (handle,) = _open(desk, submitted, "handle")
    assert handle.due_at is not None
    assert [s.due_at for s in _open(desk, submitted, "assist")] == [handle.due_at] * 2
    assert desk.complaint(submitted.complaint_id).handle_due == handle.due_at


def test_after_a_reopening_assist_stages_work_to_the_new_rounds_deadline(desk, clock):
    clock.set(beijing("2022-04-11 09:00"))
    submitted = report(desk, "D07-07", MAJIAYING)
    do(desk, submitted, "sign_for", {"decision": "accept"}, actor="staff:water")
    for party in ("xiguocheng", "transport"):
        do(desk, submitted, "assist", {"assist_note": "已配合"}, actor=party, group=party)
    (first,) = _open(desk, submitted, "handle")
    do(desk, submitted, "handle", {"outcome": "reply", "reply_text": "已修复"}, actor="staff:water")
    clock.set(beijing("2022-04-13 10:00"))
    do(desk, submitted, "callback", {"satisfaction": "unsatisfied"}, actor="resident:1")

    (second,) = _open(desk, submitted, "handle")
    assert second.due_at > first.due_at
    reopened = _open(desk, submitted, "assist")
    assert [s.due_at for s in reopened] == [second.due_at] * 2
    # Past the first round's deadline, within the reopened round's: on time.
    move_to(desk, first.due_at + timedelta(hours=1))
    assert first.due_at < desk.host.clock.now() < second.due_at
    do(desk, submitted, "assist", {"assist_note": "再次配合"}, actor="x", group="xiguocheng")
    (done,) = [s for s in desk.stages(submitted.complaint_id) if s.id == reopened[0].id]
    assert (done.outcome, done.due_at, done.on_time) == ("completed", second.due_at, True)


def test_first_round_after_a_consultation_gives_assist_stages_the_rounds_deadline(desk, clock):
    clock.set(beijing("2022-04-11 09:00"))
    submitted = report(desk, "D04-01", HOULINXIN)
    do(desk, submitted, "sign_for", RETURN, actor="staff:xlz")
    do(
        desk,
        submitted,
        "adjudicate",
        {
            "ruling": "reroute",
            "new_primary_unit": "urban_management",
            "new_supporting_units_text": "xiaolvzhai",
            "ruling_note": "改派城管局",
        },
        actor="dispatcher",
    )
    do(desk, submitted, "sign_for", RETURN, actor="staff:cgj")
    _consult_to_decision(desk, submitted)
    (assist,) = _open(desk, submitted, "assist")
    assert assist.unit == "xiaolvzhai"
    do(desk, submitted, "sign_for", {"decision": "accept"}, actor="staff:cgj")
    (handle,) = _open(desk, submitted, "handle")
    (assist,) = _open(desk, submitted, "assist")
    assert assist.due_at == handle.due_at is not None
    move_to(desk, handle.due_at + timedelta(minutes=1))
    do(desk, submitted, "assist", {"assist_note": "晚了"}, actor="x", group="xiaolvzhai")
    (late,) = [s for s in desk.stages(submitted.complaint_id) if s.id == assist.id]
    assert (late.outcome, late.on_time) == ("completed", False)


def test_a_return_supersedes_the_rounds_open_stages_and_they_are_not_timed(desk, clock):
    clock.set(beijing("2022-04-11 09:00"))
    submitted = report(desk, "D07-07", MAJIAYING)
    do(desk, submitted, "sign_for", RETURN, actor="staff:water")
    stages = desk.stages(submitted.complaint_id)
    assist = [s for s in stages if s.stage == "assist"]
    assert [(s.outcome, s.on_time, s.actor) for s in assist] == [("superseded", None, None)] * 2
    (sign_for,) = [s for s in stages if s.stage == "sign_for"]
    assert (sign_for.outcome, sign_for.on_time) == ("completed", True)


def test_closing_a_report_cancels_its_open_stages_which_count_nowhere(desk, clock):
    clock.set(beijing("2022-04-11 09:00"))
    submitted = report(desk, "D07-07", MAJIAYING)
    move_to(desk, beijing("2022-04-20 09:00"))  # long past the sign-for deadline
    desk.close_report(submitted.complaint_id, kind="invalid", reason="重复的测试数据", actor="d")
    stages = desk.stages(submitted.complaint_id)
    assert {s.stage for s in stages} == {"sign_for", "assist"}
    assert {(s.outcome, s.on_time) for s in stages} == {("cancelled", None)}
    with desk.host.session_factory() as session:
        rows = session.execute(
            response("julu", beijing("2022-04-01 00:00"), beijing("2022-05-01 00:00"))
        ).all()
    assert rows == []
