"""Returns, contested cases, the dispatcher's ruling and joint consultation."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from engine.complaints.models import AmendmentProposal
from tests.engine.complaints.conftest import beijing
from tests.engine.complaints.helpers import do, move_to, report, task, task_names

HOULINXIN = "xiaolvzhai-002"  # 后林辛庄村 on S324, 3 km from the county seat
RETURN = {
    "decision": "return",
    "return_reason": "不属于本单位职责",
    "return_basis": "清单 D04-01 规则 2",
}


def _consult_to_decision(desk, submitted, primary="urban_management"):
    assert task_names(desk, submitted) == ["convene"]
    do(desk, submitted, "convene", {"meeting_note": "组织部召集"}, actor="orgdept:li")
    parties = sorted(
        g
        for t in desk.host.ready_tasks(instance_id=submitted.instance_id)
        for g in t.candidate_groups
    )
    for party in parties:
        do(
            desk,
            submitted,
            "state_position",
            {"position": f"{party} 意见"},
            actor=party,
            group=party,
        )
    do(
        desk,
        submitted,
        "decide",
        {
            "decided_primary": primary,
            "decided_supporting_text": "xiaolvzhai",
            "decision_note": "城区周边省道沿线由城管局牵头",
            "propose_amendment": True,
            "amendment_text": "省道沿线5公里内占道经营由城管局主责",
        },
        actor="orgdept:li",
    )
    return parties


def test_return_goes_to_the_dispatcher_who_can_reaffirm(desk, clock):
    clock.set(beijing("2022-04-11 09:00"))
    submitted = report(desk, "D04-01", HOULINXIN)
    assert desk.complaint(submitted.complaint_id).primary_unit == "xiaolvzhai"
    do(desk, submitted, "sign_for", RETURN, actor="staff:xlz")
    complaint = desk.complaint(submitted.complaint_id)
    assert (complaint.stage, complaint.return_count) == ("contested", 1)
    assert task_names(desk, submitted) == ["adjudicate"]
    do(
        desk,
        submitted,
        "adjudicate",
        {"ruling": "reaffirm", "ruling_note": "按清单属地负责"},
        actor="dispatcher:zhao",
    )
    assert task(desk, submitted, "sign_for").candidate_groups == ["xiaolvzhai"]


def test_second_return_escalates_to_consultation_which_decides_and_proposes_an_amendment(
    desk, clock
):
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
    do(
        desk,
        submitted,
        "sign_for",
        {**RETURN, "return_reason": "不在城区建成区，应属地负责"},
        actor="staff:cgj",
    )
    assert desk.complaint(submitted.complaint_id).stage == "consultation"
    parties = _consult_to_decision(desk, submitted)
    assert parties == ["urban_management", "xiaolvzhai"]
    complaint = desk.complaint(submitted.complaint_id)
    assert (complaint.primary_unit, complaint.supporting_units) == (
        "urban_management",
        ["xiaolvzhai"],
    )
    assert task(desk, submitted, "sign_for").candidate_groups == ["urban_management"]
    with desk.host.session_factory() as session:
        proposal = session.scalars(select(AmendmentProposal)).one()
    assert (proposal.matter_id, proposal.catalog_version) == ("D04-01", "2020-05")
    assert proposal.decided_primary == "urban_management"


def test_contested_case_open_longer_than_one_working_day_escalates(desk, clock):
    clock.set(beijing("2022-04-11 09:00"))  # Monday
    submitted = report(desk, "D04-01", HOULINXIN)
    do(desk, submitted, "sign_for", RETURN, actor="staff:xlz")
    due = datetime.fromisoformat(
        desk.host.instance_data(submitted.instance_id)["contested_deadline"]["due"]
    )
    move_to(desk, due - timedelta(seconds=1))
    assert task_names(desk, submitted) == ["adjudicate"]
    move_to(desk, due + timedelta(seconds=1))
    assert task_names(desk, submitted) == ["convene"]


def test_unanswered_positions_count_as_no_opinion_at_the_deadline(desk, clock):
    clock.set(beijing("2022-04-11 09:00"))
    submitted = report(desk, "D04-01", HOULINXIN)
    do(desk, submitted, "sign_for", RETURN, actor="staff:xlz")
    do(
        desk,
        submitted,
        "adjudicate",
        {"ruling": "escalate", "ruling_note": "提请会商"},
        actor="dispatcher",
    )
    do(desk, submitted, "convene", {"meeting_note": "召集"}, actor="orgdept")
    due = datetime.fromisoformat(
        desk.host.instance_data(submitted.instance_id)["consultation_deadline"]["due"]
    )
    move_to(desk, due + timedelta(seconds=1))
    assert task_names(desk, submitted) == ["decide"]
