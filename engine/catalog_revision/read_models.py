"""The feedback pages' reads: amendment proposals with their cases, open proposals per
matter, and the contested-matter ranking. Each opens its own read session and returns
frozen copies."""

from __future__ import annotations

from datetime import datetime

from engine.catalog_revision import feedback
from engine.catalog_revision.feedback import Proposal
from engine.core.host import WorkflowHost
from rules import MatterDisputes


def proposals_with_cases(
    host: WorkflowHost, *, county: str, matter_id: str | None = None
) -> list[Proposal]:
    """Amendment proposals (of one matter, if named), newest first, with their cases."""
    with host.session_factory() as session:
        return feedback.proposals(county=county, session=session, matter_id=matter_id)


def open_proposals_by_matter(host: WorkflowHost, *, county: str) -> dict[str, int]:
    """Matter id → how many of its proposals wait for the department."""
    with host.session_factory() as session:
        return feedback.open_proposal_counts(county=county, session=session)


def contested_ranking(
    host: WorkflowHost, start: datetime, end: datetime, *, county: str
) -> list[MatterDisputes]:
    """Matters ranked by returns, contested cases and consultations in ``[start, end)``."""
    with host.session_factory() as session:
        return feedback.contested_matters(start, end, county=county, session=session)
