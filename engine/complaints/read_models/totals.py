"""The complaint domain's state in two numbers (the home page shows them)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from engine.complaints.models import Complaint
from engine.core.host import WorkflowHost


@dataclass(frozen=True)
class ComplaintTotals:
    complaints: int
    closed: int


def complaint_totals(host: WorkflowHost) -> ComplaintTotals:
    """Across every county of the deployment."""
    with host.session_factory() as session:
        return ComplaintTotals(
            complaints=session.scalar(select(func.count(Complaint.id))) or 0,
            closed=session.scalar(
                select(func.count(Complaint.id)).where(Complaint.status == "closed")
            )
            or 0,
        )
