"""Which complaint a workflow instance carries (the designer's instance page links to it)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from engine.complaints.models import Complaint
from engine.core.host import WorkflowHost


@dataclass(frozen=True)
class CaseLink:
    complaint_id: int
    tracking_code: str


def case_of_instance(host: WorkflowHost, instance_id: int) -> CaseLink | None:
    """None for an instance that carries no complaint (a catalog revision, a consultation)."""
    with host.session_factory() as session:
        row = session.execute(
            select(Complaint.id, Complaint.tracking_code)
            .where(Complaint.instance_id == instance_id)
            .limit(1)
        ).first()
    return CaseLink(row.id, row.tracking_code) if row is not None else None
