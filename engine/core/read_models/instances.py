"""Process instances as the designer's pages show them: a version's recent instances, the
heat of its elements, one instance inspected."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from engine.core.host import WorkflowHost
from engine.core.instance_inspection import (
    ElementHeat,
    InstanceInspection,
    inspect_instance,
    version_heat,
)
from engine.core.persistence.models import ProcessInstance


@dataclass(frozen=True)
class InstanceRow:
    id: int
    business_key: str | None
    status: str
    created_at: datetime


def recent_instances(
    host: WorkflowHost, definition_id: int, *, limit: int = 20
) -> list[InstanceRow]:
    """The newest instances started on a version."""
    with host.session_factory() as session:
        rows = session.execute(
            select(
                ProcessInstance.id,
                ProcessInstance.business_key,
                ProcessInstance.status,
                ProcessInstance.created_at,
            )
            .where(ProcessInstance.definition_id == definition_id)
            .order_by(ProcessInstance.id.desc())
            .limit(limit)
        ).all()
    return [InstanceRow(*row) for row in rows]


def element_heat(host: WorkflowHost, definition_id: int) -> dict[str, ElementHeat]:
    """Per human-task element of a version: tasks open now and completed so far."""
    with host.session_factory() as session:
        return version_heat(definition_id, session=session)


def instance_view(host: WorkflowHost, instance_id: int) -> InstanceInspection:
    """The instance's diagram marks, waiting timers and history.

    :raises InstanceNotFound: no such instance."""
    with host.session_factory() as session:
        return inspect_instance(instance_id, host.runtime, session=session)
