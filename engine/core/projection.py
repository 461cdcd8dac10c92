"""Domain projections: columns derived from the workflow, written in the same step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.task import Task
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from engine.core.definition_store import LoadedDefinition
    from engine.core.instance_rows import InstanceRecord


@dataclass(frozen=True)
class StepOutcome:
    """Everything a projector may look at after a step."""

    record: InstanceRecord
    workflow: BpmnWorkflow
    loaded: LoadedDefinition
    ready: dict[str, Task]
    previous_ready: set[str]
    completed_task: Task | None
    actor: str
    now: datetime
    session: Session
    errors: list[str]

    @property
    def new_tasks(self) -> list[Task]:
        return [t for tid, t in self.ready.items() if tid not in self.previous_ready]

    @property
    def ended_task_ids(self) -> set[str]:
        return self.previous_ready - self.ready.keys()


Projector = Callable[[StepOutcome], None]
