"""Contested cases on the console: both sides side by side, earlier cases of the matter,
the ruling, and joint consultation up to the convener's decision."""

from __future__ import annotations

from sqlalchemy import select

from engine.complaints.models import AmendmentProposal
from tests.engine.complaints.helpers import task_names
from tests.web.test_console_common import (
    RETURN,
    act,
    desk_fixture,  # noqa: F401  (the desk fixture)
    do,
    returned_case,
    task,
)

REROUTE = {
    "ruling": "reroute",
    "new_primary_unit": "urban_management",
    "new_supporting_units_text_pick": "xiaolvzhai",
    "ruling_note": "距县城不足5公里，参照城区由城管局负责",
}
RULED = {  # the same ruling as the engine takes it (the page's unit picker posts *_pick)
    **{k: v for k, v in REROUTE.items() if not k.endswith("_pick")},
    "new_supporting_units_text": "xiaolvzhai",
}


def _consulted(desk):
    """Rerouted to the bureau, returned again: the second return goes to consultation."""
    submitted = returned_case(desk)
    do(desk, submitted, "adjudicate", RULED)
    do(desk, submitted, "sign_for", {**RETURN, "return_reason": "不在城区建成区"}, actor="cgj")
    assert task_names(desk, submitted) == ["convene"]
    return submitted


def test_contested_view_shows_return_and_rule_side_by_side_and_earlier_settled_cases(login, desk):
    ruled = returned_case(desk, description="早先的占道经营")
    do(desk, ruled, "adjudicate", RULED)
    consulted = _consulted(desk)
    do(desk, consulted, "convene", {"meeting_note": "召集"}, actor="orgdept")
    for party in ("urban_management", "xiaolvzhai"):
        do(desk, consulted, "state_position", {"position": "意见"}, actor=party, group=party)
    do(
        desk,
        consulted,
        "decide",
        {"decided_primary": "urban_management", "decision_note": "城管局牵头"},
        actor="orgdept",
    )
    current = returned_case(desk, description="S324 沿线商户占道经营")
    client = login("dispatcher")

    queue = client.get("/console/contested").get_data(as_text=True)
    assert current.tracking_code in queue
    assert "不属于本镇职责，应由城管局负责" in queue and "规则 2" in queue

    adjudicate = task(desk, current, "adjudicate")
    page = client.get(f"/console/contested/{adjudicate.id}").get_data(as_text=True)
    unit_side = page.index("单位退回理由")
    rule_side = page.index("清单派单依据")
    assert unit_side < rule_side < page.index("同类事项的既往处理")
    assert "清单 D04-01 规则 2" in page[unit_side:rule_side]  # the item the unit relied on
    assert "其他" in page[unit_side:rule_side]  # ... resolved against the catalog
    assert "《河北省城市市容和环境卫生条例》" in page[rule_side:]
    assert "2020-05" in page[rule_side:]
    earlier = page[page.index("同类事项的既往处理") :]
    assert ruled.tracking_code in earlier and "调度裁定：改派" in earlier
    assert consulted.tracking_code in earlier and "联席会商决定" in earlier
    assert "县城市管理综合行政执法局" in earlier


def test_reroute_moves_the_case_to_the_new_unit(login, desk):
    submitted = returned_case(desk)
    client = login("dispatcher")
    response = act(client, task(desk, submitted, "adjudicate").id, REROUTE)
    assert response.status_code == 302
    complaint = desk.complaint(submitted.complaint_id)
    assert (complaint.primary_unit, complaint.supporting_units) == (
        "urban_management",
        ["xiaolvzhai"],
    )
    assert task(desk, submitted, "sign_for").candidate_groups == ["urban_management"]
    assert "裁定已提交" in client.get("/console/contested").get_data(as_text=True)


def test_reroute_without_a_unit_is_refused_next_to_the_field(login, desk):
    submitted = returned_case(desk)
    client = login("dispatcher")
    adjudicate = task(desk, submitted, "adjudicate")
    response = act(client, adjudicate.id, {"ruling": "reroute", "ruling_note": "改派"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    field = html.index('name="new_primary_unit"')
    assert "为必填项" in html[field : field + 4000]
    assert "改派" in html  # what was typed is kept
    response = act(client, adjudicate.id, {**REROUTE, "new_primary_unit": "nowhere"})
    assert response.status_code == 400
    assert "不在组织架构中" in response.get_data(as_text=True)
    assert task_names(desk, submitted) == ["adjudicate"]  # nothing changed


def test_escalate_goes_to_consultation(login, desk):
    submitted = returned_case(desk)
    client = login("dispatcher")
    response = act(
        client,
        task(desk, submitted, "adjudicate").id,
        {"ruling": "escalate", "ruling_note": "双方各执一词，提请会商"},
    )
    assert response.status_code == 302
    assert desk.complaint(submitted.complaint_id).stage == "consultation"
    assert task_names(desk, submitted) == ["convene"]
    listing = client.get("/console/consultations").get_data(as_text=True)
    assert submitted.tracking_code in listing and "待召集" in listing


def test_two_dispatchers_ruling_the_same_case_the_second_gets_409(login, desk):
    submitted = returned_case(desk)
    first, second = login("dispatcher"), login("dispatch_lead")
    adjudicate = task(desk, submitted, "adjudicate")
    assert second.get(f"/console/contested/{adjudicate.id}").status_code == 200
    assert (
        act(first, adjudicate.id, {"ruling": "reaffirm", "ruling_note": "属地负责"}).status_code
        == 302
    )
    response = act(second, adjudicate.id, REROUTE)
    assert response.status_code == 409
    assert "已由 dispatcher 办理完成" in response.get_data(as_text=True)
    assert desk.complaint(submitted.complaint_id).primary_unit == "xiaolvzhai"


def test_convener_sees_who_answered_decides_and_the_proposal_is_filed(login, desk):
    submitted = _consulted(desk)
    orgdept, dispatcher = login("orgdept"), login("dispatcher")
    detail = f"/console/consultations/{submitted.complaint_id}"
    assert "召集并通知各方" not in dispatcher.get(detail).get_data(as_text=True)
    response = act(
        orgdept, task(desk, submitted, "convene").id, {"meeting_note": "周三会议室", "next": detail}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(detail)

    do(
        desk,
        submitted,
        "state_position",
        {"position": "执法权已下放，应属地负责", "proposed_primary": "xiaolvzhai"},
        actor="cgj",
        group="urban_management",
    )
    page = orgdept.get(detail).get_data(as_text=True)
    assert "执法权已下放，应属地负责" in page
    row = page[page.index("各方意见") :]
    cgj_row = row[row.index("县城市管理综合行政执法局") :]
    assert cgj_row.index("已陈述") < cgj_row.index("小吕寨镇")
    assert "未陈述" in row[row.index("小吕寨镇") :]
    do(
        desk,
        submitted,
        "state_position",
        {"position": "应由城管局牵头"},
        actor="xlz",
        group="xiaolvzhai",
    )

    decide = task(desk, submitted, "decide")
    form = {
        "decided_primary": "urban_management",
        "decided_supporting_text_pick": "xiaolvzhai",
        "decision_note": "职能部门为主、乡镇协调配合",
        "propose_amendment": "true",
        "amendment_text": "",
    }
    assert act(dispatcher, decide.id, form).status_code == 403  # only the convener decides
    refused = act(orgdept, decide.id, form)
    assert refused.status_code == 400 and "为必填项" in refused.get_data(as_text=True)
    form["amendment_text"] = "省道沿线距县城5公里内占道经营由城管局主责"
    assert act(orgdept, decide.id, form).status_code == 302

    complaint = desk.complaint(submitted.complaint_id)
    assert (complaint.primary_unit, complaint.supporting_units) == (
        "urban_management",
        ["xiaolvzhai"],
    )
    with desk.host.session_factory() as db:
        proposal = db.scalars(select(AmendmentProposal)).one()
    assert proposal.text == "省道沿线距县城5公里内占道经营由城管局主责"
    listing = orgdept.get("/console/consultations").get_data(as_text=True)
    assert proposal.text in listing and submitted.tracking_code in listing
