"""The task forms (whitelisted fields and labels) of the diagram version a case runs on."""

from __future__ import annotations

from sqlalchemy import select

from engine.core.host import WorkflowHost
from engine.core.persistence.models import ProcessInstance
from engine.core.task_metadata import TaskMeta


def task_forms(host: WorkflowHost, instance_id: int) -> dict[str, TaskMeta] | None:
    """Each user task's form by element id, of the instance's own diagram version (cases
    started before a field was added run on a version without it); None: no such instance."""
    with host.session_factory() as session:
        definition_id = session.scalar(
            select(ProcessInstance.definition_id).where(ProcessInstance.id == instance_id)
        )
        if definition_id is None:
            return None
        return dict(host.runtime.definitions.get(definition_id, session=session).task_meta)


def field_labels(forms: dict[str, TaskMeta] | None) -> dict[str, str]:
    """Field id -> label over every task of a diagram version, for a case's history."""
    labels = {"timer": "时限", "message": "操作"}
    for meta in (forms or {}).values():
        labels.update({f.id: f.label for f in meta.form_fields})
    return labels
