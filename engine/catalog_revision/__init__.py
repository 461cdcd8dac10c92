"""Revising the responsibility catalog: drafts, consultation with units (BPMN), publication,
and the feedback loop from joint consultations (ADR 0006)."""

from engine.catalog_revision.desk import (
    PROCESS_KEY,
    CatalogDesk,
    MatterRejected,
    OpinionTask,
    new_matter_id_problem,
)
from engine.catalog_revision.feedback import (
    PROPOSAL_STATUS,
    Proposal,
    accept_proposal,
    contested_matters,
    open_proposal_counts,
    proposals,
)
from engine.catalog_revision.instance_revision import revision_of_instance
from engine.catalog_revision.read_models import (
    contested_ranking,
    open_proposals_by_matter,
    proposals_with_cases,
)
from engine.catalog_revision.workbook_import import NothingPublished, import_workbook

__all__ = [
    "PROCESS_KEY",
    "PROPOSAL_STATUS",
    "CatalogDesk",
    "MatterRejected",
    "NothingPublished",
    "OpinionTask",
    "Proposal",
    "accept_proposal",
    "contested_matters",
    "contested_ranking",
    "import_workbook",
    "new_matter_id_problem",
    "open_proposal_counts",
    "open_proposals_by_matter",
    "proposals",
    "proposals_with_cases",
    "revision_of_instance",
]
