"""The feedback loop: amendment proposals of joint consultations, and contested matters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from engine.catalog_revision.drafts import version_row
from engine.catalog_revision.models import ProposalAcceptance
from engine.catalog_store import CatalogLifecycleError
from engine.complaints.models import AmendmentProposal, Complaint, ComplaintStage
from engine.complaints.read_models.records import AmendmentRecord, ComplaintRecord
from engine.core.audit import record_event
from engine.core.errors import EngineError
from responsibility_catalog import Status
from rules import MatterDisputes, rank_contested

PROPOSAL_STATUS = {"open": "待组织部处理", "accepted": "已采纳到草稿"}


@dataclass(frozen=True)
class Proposal:
    """A proposal and the case that caused it, as read (frozen copies)."""

    proposal: AmendmentRecord
    complaint: ComplaintRecord
    accepted_into: str | None


def proposals(*, county: str, session: Session, matter_id: str | None = None) -> list[Proposal]:
    """Amendment proposals, newest first, with the case that caused each."""
    stmt = (
        select(AmendmentProposal, Complaint, ProposalAcceptance.label)
        .join(Complaint, Complaint.id == AmendmentProposal.complaint_id)
        .outerjoin(ProposalAcceptance, ProposalAcceptance.proposal_id == AmendmentProposal.id)
        .where(AmendmentProposal.county == county)
        .order_by(AmendmentProposal.created_at.desc(), AmendmentProposal.id.desc())
    )
    if matter_id is not None:
        stmt = stmt.where(AmendmentProposal.matter_id == matter_id)
    return [
        Proposal(AmendmentRecord.of(p), ComplaintRecord.of(c), label)
        for p, c, label in session.execute(stmt).all()
    ]


def open_proposal_counts(*, county: str, session: Session) -> dict[str, int]:
    rows = session.execute(
        select(AmendmentProposal.matter_id, func.count())
        .where(AmendmentProposal.county == county, AmendmentProposal.status == "open")
        .group_by(AmendmentProposal.matter_id)
    ).all()
    return {m: n for m, n in rows if m}


def accept_proposal(
    proposal_id: int, label: str, *, county: str, actor: str, now: datetime, session: Session
) -> AmendmentProposal:
    """Take a proposal into the draft ``label`` (the department then edits the matter).

    :raises EngineError: no such proposal, already accepted, or ``label`` is not a draft.
    """
    proposal = session.get(AmendmentProposal, proposal_id)
    if proposal is None or proposal.county != county:
        raise EngineError(f"修订建议 {proposal_id} 不存在")
    if proposal.status != "open":
        raise EngineError("该修订建议已经处理过")
    row = version_row(label, county=county, session=session)
    if row.status != Status.DRAFT.value:
        raise CatalogLifecycleError(f"版本 {label} 不是草稿，不能采纳修订建议")
    proposal.status = "accepted"
    session.add(
        ProposalAcceptance(
            county=county, proposal_id=proposal.id, label=label, accepted_at=now, accepted_by=actor
        )
    )
    record_event(
        county=county,
        at=now,
        actor=actor,
        action="catalog.proposal_accepted",
        detail={"proposal_id": proposal.id, "label": label, "matter_id": proposal.matter_id},
        session=session,
    )
    return proposal


def contested_matters(
    start: datetime, end: datetime, *, county: str, session: Session, limit: int = 30
) -> list[MatterDisputes]:
    """Matters ranked by returns, contested cases and consultations among the complaints
    received in ``[start, end)``."""
    in_period = (
        Complaint.county == county,
        Complaint.received_at >= start,
        Complaint.received_at < end,
        Complaint.matter_id.is_not(None),
    )
    totals = {
        m: (n, r or 0)
        for m, n, r in session.execute(
            select(Complaint.matter_id, func.count(), func.sum(Complaint.return_count))
            .where(*in_period)
            .group_by(Complaint.matter_id)
        ).all()
    }

    def cases_with(stage: str) -> dict[str, int]:
        rows = session.execute(
            select(Complaint.matter_id, func.count(distinct(Complaint.id)))
            .join(ComplaintStage, ComplaintStage.complaint_id == Complaint.id)
            .where(*in_period, ComplaintStage.stage == stage)
            .group_by(Complaint.matter_id)
        ).all()
        return dict(rows)

    contested = cases_with("contested")
    consulted = cases_with("consultation")
    rows = [
        MatterDisputes(
            matter_id=m,
            returns=int(returns),
            contested=contested.get(m, 0),
            consultations=consulted.get(m, 0),
            complaints=n,
        )
        for m, (n, returns) in totals.items()
    ]
    return rank_contested(rows, limit=limit)
