"""The S324 road-occupying shops, continued: from the joint consultation's amendment proposal
to a published list under which the next such complaint goes straight to the 城管局.

Only the launch list (2020-05) is in the database here: the department writes the fix itself
from the proposal, as the county did in 2022.
"""

from __future__ import annotations

import dataclasses

from engine.catalog_revision import CatalogDesk, accept_proposal, proposals
from engine.catalog_store import seed_versions
from engine.complaints.desk import ComplaintDesk
from engine.core.transactions import run_step
from responsibility_catalog import Status
from tests.engine.catalog_revision.conftest import matter_fields
from tests.engine.catalog_revision.s324 import HOULINXIN, april_2022_case_settled_by_consultation
from tests.engine.complaints.conftest import BPMN_DIR, beijing
from tests.engine.complaints.helpers import do, report, task, task_names


def test_amendment_from_s324_consultation_is_published_and_ends_the_dispute(
    host, clock, shipped_catalogs
):
    # The launch list as it stood before 2022: published, not yet superseded.
    launch = [
        dataclasses.replace(c, status=Status.PUBLISHED)
        for c in shipped_catalogs
        if c.label == "2020-05"
    ]
    run_step(
        host.session_factory,
        lambda s: seed_versions(launch, county="julu", actor="test", now=clock.now(), session=s),
    )
    host.deploy_file(BPMN_DIR / "complaint.bpmn", actor="designer")
    host.deploy_file(BPMN_DIR / "catalog_revision.bpmn", actor="designer")
    complaints = ComplaintDesk(host)
    catalog = CatalogDesk(host, complaints.calendars)

    # April 2022: returned twice, settled by a joint consultation that proposes an amendment.
    april = april_2022_case_settled_by_consultation(complaints)

    # The proposal is attached to its matter, with the decision and the causing case.
    with host.session_factory() as session:
        (found,) = proposals(county="julu", session=session, matter_id="D04-01")
    assert found.complaint.id == april.complaint_id
    assert (found.proposal.decided_primary, found.proposal.decided_supporting) == (
        "urban_management",
        ["xiaolvzhai"],
    )
    assert found.proposal.text == "省道沿线5公里内占道经营由城管局主责"
    assert found.accepted_into is None

    # Accepted into a draft; the department writes the rule the proposal asks for.
    clock.set(beijing("2022-05-09 09:00"))
    draft = catalog.create_draft("2022-06", actor="orgdept")
    run_step(
        host.session_factory,
        lambda s: accept_proposal(
            found.proposal.id, "2022-06", county="julu", actor="orgdept", now=clock.now(), session=s
        ),
    )
    fields = matter_fields(draft, "D04-01")
    fields.update(
        {
            "rules-1-when": "沿省道 且 距县城≤5公里",
            "rules-1-primary": "urban_management",
            "rules-1-supporting": ["@location"],
            "rules-1-basis": "《河北省城市市容和环境卫生条例》",
            "rules-1-note": "",
            "rules-2-when": "其他",
            "rules-2-primary": "@location",
            "rules-2-supporting": [],
            "rules-2-basis": "《河北省城市市容和环境卫生条例》",
            "rules-2-note": "城区建成区以外由属地乡镇负责",
        }
    )
    catalog.save_matter("2022-06", "D04-01", fields, actor="orgdept")
    with host.session_factory() as session:
        (accepted,) = proposals(county="julu", session=session, matter_id="D04-01")
    assert (accepted.proposal.status, accepted.accepted_into) == ("accepted", "2022-06")

    revision_id = catalog.send_for_consultation("2022-06", opinion_days=5, actor="orgdept")
    consulted = sorted(o.unit for o in catalog.opinions(revision_id))
    assert "urban_management" in consulted and "xiaolvzhai" in consulted
    for unit in consulted:
        (open_task,) = catalog.opinion_tasks(unit)
        catalog.give_opinion(
            open_task.task_id, {"opinion": "agree"}, actor=f"staff:{unit}", groups=frozenset({unit})
        )
    catalog.review(
        revision_id,
        {"review_decision": "publish", "effective": "2022-06-01"},
        actor="orgdept",
        groups=frozenset({"orgdept"}),
    )

    # July 2022: the next such complaint goes to the 城管局 and is signed for, no return.
    clock.set(beijing("2022-07-11 09:00"))
    july = report(complaints, "D04-01", HOULINXIN, description="S324 沿线又有占道经营")
    complaint = complaints.complaint(july.complaint_id)
    assert (complaint.catalog_version, complaint.primary_unit, complaint.supporting_units) == (
        "2022-06",
        "urban_management",
        ["xiaolvzhai"],
    )
    assert task(complaints, july, "sign_for").candidate_groups == ["urban_management"]
    do(complaints, july, "sign_for", {"decision": "accept"}, actor="staff:cgj")
    complaint = complaints.complaint(july.complaint_id)
    assert (complaint.stage, complaint.return_count) == ("handling", 0)
    assert task_names(complaints, july) == ["assist", "handle"]  # the township assists
    assert complaints.complaint(april.complaint_id).catalog_version == "2020-05", (
        "the April case keeps its list"
    )
