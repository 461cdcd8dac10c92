"""The engine's state in three numbers (the home page shows them)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from engine.core.host import WorkflowHost
from engine.core.persistence.models import Incident, ProcessDefinition, ProcessInstance


@dataclass(frozen=True)
class WorkflowTotals:
    definitions: int
    running: int
    open_incidents: int


def workflow_totals(host: WorkflowHost) -> WorkflowTotals:
    """Across every county of the deployment."""
    with host.session_factory() as session:
        return WorkflowTotals(
            definitions=session.scalar(select(func.count(ProcessDefinition.id))) or 0,
            running=session.scalar(
                select(func.count(ProcessInstance.id)).where(ProcessInstance.status == "running")
            )
            or 0,
            open_incidents=session.scalar(
                select(func.count(Incident.id)).where(Incident.resolved_at.is_(None))
            )
            or 0,
        )
