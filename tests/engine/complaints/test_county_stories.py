"""The county's own stories, replayed end to end through the real process."""

from __future__ import annotations

from tests.engine.complaints.conftest import beijing
from tests.engine.complaints.helpers import do, report, task, task_names
from tests.engine.complaints.test_returns_and_consultation import RETURN, _consult_to_decision

MAJIAYING = "xiguocheng-002"
HOULINXIN = "xiaolvzhai-002"
QIANDI = "dicun-003"
KONGZHAI = "dicun-002"


def test_road_collapse_over_a_water_pipe_reaches_the_water_centre_at_once(desk, clock):
    received = clock.now()
    submitted = report(desk, "D07-07", MAJIAYING, description="村口路面塌陷，下面水管破了")
    complaint = desk.complaint(submitted.complaint_id)
    assert complaint.primary_unit == "water_supply"
    sign_for = task(desk, submitted, "sign_for")
    assert sign_for.created_at == received, "routing took no time at all (by hand: half an hour)"
    assert "县供水服务中心" in complaint.routing["primary"]["name"]


def test_road_occupying_shops_on_s324_under_both_catalog_versions(desk, clock):
    # April 2022, first catalog: the township is primary; it returns, the 城管局 returns too.
    clock.set(beijing("2022-04-11 09:00"))
    april = report(desk, "D04-01", HOULINXIN, description="S324 沿线商户占道经营")
    assert desk.complaint(april.complaint_id).primary_unit == "xiaolvzhai"
    steps = [
        ("sign_for", RETURN),
        (
            "adjudicate",
            {
                "ruling": "reroute",
                "new_primary_unit": "urban_management",
                "new_supporting_units_text": "xiaolvzhai",
                "ruling_note": "改派",
            },
        ),
        ("sign_for", {**RETURN, "return_reason": "应由属地乡镇负责"}),
    ]
    for name, form in steps:
        do(desk, april, name, form, actor="someone")
        assert task_names(desk, april), "the case never sits without someone to act on it"
    _consult_to_decision(desk, april)
    complaint = desk.complaint(april.complaint_id)
    assert (complaint.primary_unit, complaint.supporting_units) == (
        "urban_management",
        ["xiaolvzhai"],
    )
    do(desk, april, "sign_for", {"decision": "accept"}, actor="staff:cgj")
    assert desk.complaint(april.complaint_id).stage == "handling"

    # July 2022, the published list: straight to the 城管局, township supporting.
    clock.set(beijing("2022-07-11 09:00"))
    july = report(desk, "D04-01", HOULINXIN, description="S324 沿线又有占道经营")
    complaint = desk.complaint(july.complaint_id)
    assert (complaint.catalog_version, complaint.primary_unit) == ("2022-06", "urban_management")
    assert complaint.supporting_units == ["xiaolvzhai"]
    assert task(desk, july, "sign_for").candidate_groups == ["urban_management"]


def test_elderly_resident_reported_by_a_grid_worker_gets_relief_from_the_township(desk):
    submitted = report(
        desk,
        "D11-03",
        QIANDI,
        channel="grid",
        grid_worker="gw-dicun-3",
        reporter_name="李奶奶",
        consent=True,
        description="独居老人生活困难",
    )
    complaint = desk.complaint(submitted.complaint_id)
    assert (complaint.primary_unit, complaint.supporting_units) == ("dicun", ["civil_affairs"])
    assert complaint.on_behalf and complaint.reporter_group == "grid:gw-dicun-3"


def test_drying_honeysuckle_leaves_go_to_the_agriculture_bureau(desk):
    submitted = report(desk, "D10-02", KONGZHAI, description="金银花叶子发干")
    assert desk.complaint(submitted.complaint_id).primary_unit == "agriculture"
    assert task(desk, submitted, "sign_for").candidate_groups == ["agriculture"]
