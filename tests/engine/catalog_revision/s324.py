"""The 2022 S324 story both catalog-revision tests start from: a road-occupying shop on the
provincial road, returned twice under the launch list, settled by a joint consultation that
proposes an amendment."""

from __future__ import annotations

from engine.complaints.desk import ComplaintDesk, Submitted
from tests.engine.complaints.conftest import beijing
from tests.engine.complaints.helpers import do, report
from tests.engine.complaints.test_returns_and_consultation import RETURN, _consult_to_decision

HOULINXIN = "xiaolvzhai-002"  # on S324, 4 km from the county seat, outside the built-up area


def april_2022_case_settled_by_consultation(complaints: ComplaintDesk) -> Submitted:
    complaints.host.clock.set(beijing("2022-04-11 09:00"))
    april = report(complaints, "D04-01", HOULINXIN, description="S324 沿线商户占道经营")
    do(complaints, april, "sign_for", RETURN, actor="staff:xlz")
    do(
        complaints,
        april,
        "adjudicate",
        {
            "ruling": "reroute",
            "new_primary_unit": "urban_management",
            "new_supporting_units_text": "xiaolvzhai",
            "ruling_note": "改派",
        },
    )
    do(
        complaints,
        april,
        "sign_for",
        {**RETURN, "return_reason": "应由属地乡镇负责"},
        actor="staff:cgj",
    )
    _consult_to_decision(complaints, april)
    return april
