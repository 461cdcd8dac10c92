"""The feedback pages' reads (engine.catalog_revision.read_models): frozen copies of the
proposals with their cases, open proposals per matter, the contested ranking; and the desk's
accept_proposal, which names the matter to edit next."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from engine.catalog_revision import (
    CatalogDesk,
    contested_ranking,
    open_proposals_by_matter,
    proposals_with_cases,
)
from engine.catalog_store import seed_versions
from engine.complaints import ComplaintRecord
from engine.complaints.desk import ComplaintDesk
from engine.core.transactions import run_step
from responsibility_catalog import Status
from rules import CHINA_TZ
from tests.engine.catalog_revision.s324 import april_2022_case_settled_by_consultation
from tests.engine.complaints.conftest import BPMN_DIR, beijing


def test_proposals_counts_ranking_and_acceptance(host, clock, shipped_catalogs) -> None:
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
    complaints = ComplaintDesk(host)
    catalog = CatalogDesk(host, complaints.calendars)
    april = april_2022_case_settled_by_consultation(complaints)

    (found,) = proposals_with_cases(host, county="julu", matter_id="D04-01")
    assert isinstance(found.complaint, ComplaintRecord)
    assert found.complaint.id == april.complaint_id and found.accepted_into is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        # The test shows the frozen dataclass refuses it
        found.proposal.status = "accepted"  # type: ignore[misc]
    assert proposals_with_cases(host, county="other") == []
    assert open_proposals_by_matter(host, county="julu") == {"D04-01": 1}

    start = datetime(2022, 1, 1, tzinfo=CHINA_TZ)
    end = datetime(2023, 1, 1, tzinfo=CHINA_TZ)
    (top, *_) = contested_ranking(host, start, end, county="julu")
    assert top.matter_id == "D04-01" and top.returns == 2
    assert contested_ranking(host, start, end, county="other") == []

    clock.set(beijing("2022-05-09 09:00"))
    catalog.create_draft("2022-06", actor="orgdept")
    matter = catalog.accept_proposal(found.proposal.id, "2022-06", actor="orgdept", county="julu")
    assert matter == "D04-01"
    assert open_proposals_by_matter(host, county="julu") == {}
    (accepted,) = proposals_with_cases(host, county="julu")
    assert (accepted.proposal.status, accepted.accepted_into) == ("accepted", "2022-06")
