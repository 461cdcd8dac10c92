"""Revising the responsibility catalog: drafts, consultation with units (BPMN), publication,
and the feedback loop from joint consultations (ADR 0006)."""

from engine.catalog_revision.desk import PROCESS_KEY, CatalogDesk, MatterRejected, OpinionTask
from engine.catalog_revision.feedback import (
    PROPOSAL_STATUS,
    Proposal,
    accept_proposal,
    contested_matters,
    open_proposal_counts,
    proposals,
)
from engine.catalog_revision.models import CatalogOpinion, CatalogRevision, ProposalAcceptance
from engine.catalog_revision.workbook_import import NothingPublished, import_workbook

__all__ = [
    "PROCESS_KEY",
    "PROPOSAL_STATUS",
    "CatalogDesk",
    "CatalogOpinion",
    "CatalogRevision",
    "MatterRejected",
    "NothingPublished",
    "OpinionTask",
    "Proposal",
    "ProposalAcceptance",
    "accept_proposal",
    "contested_matters",
    "import_workbook",
    "open_proposal_counts",
    "proposals",
]

# Which revision an instance carries (notifications link to its pages).
from engine.catalog_revision.instance_revision import revision_of_instance  # noqa: E402

__all__ += ["revision_of_instance"]

# For the catalog editor's pages: the feedback reads, and the check of a new matter's id.
from engine.catalog_revision.desk import new_matter_id_problem  # noqa: E402
from engine.catalog_revision.read_models import (  # noqa: E402
    contested_ranking,
    open_proposals_by_matter,
    proposals_with_cases,
)

__all__ += [
    "contested_ranking",
    "new_matter_id_problem",
    "open_proposals_by_matter",
    "proposals_with_cases",
]
