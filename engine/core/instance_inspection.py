"""Where an instance stands on its diagram, and how a version's instances are spread over it.

The instance view reads the stored SpiffWorkflow state (completed, active and waiting
elements; waiting timers with their due instants) and the audit log (the history). The
version heat map is a GROUP BY over the human-task projection, never a load of every
instance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from engine.core.definitions import parse_untrusted_xml, process_ids
from engine.core.errors import InstanceNotFound
from engine.core.instance_rows import load_instance
from engine.core.instance_state import element_id, timer_tasks
from engine.core.instances import load_workflow
from engine.core.persistence.models import AuditEvent, HumanTask, ProcessDefinition, ProcessInstance
from engine.core.runtime import Runtime


@dataclass(frozen=True)
class WaitingTimer:
    element_id: str
    name: str
    due_at: datetime | None


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    action: str
    element_id: str | None
    element_name: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class DiagramDocument:
    """One diagram to draw: the instance's main process or a process it called."""

    title: str
    bpmn_xml: str
    completed: list[str]
    active: list[str]
    waiting: list[str]


@dataclass(frozen=True)
class InstanceInspection:
    instance_id: int
    business_key: str | None
    status: str
    process_key: str
    version: int
    definition_id: int
    started_at: datetime
    completed_at: datetime | None
    documents: list[DiagramDocument]
    timers: list[WaitingTimer]
    history: list[HistoryEntry]
    names: dict[str, str] = field(default_factory=dict)


def element_names(xml: str) -> dict[str, str]:
    """id → name (or the element's type when unnamed) for every element of a diagram."""
    root, _problems = parse_untrusted_xml(xml, "diagram")
    if root is None:
        return {}
    names: dict[str, str] = {}
    for node in root.iter():
        if isinstance(node.tag, str) and node.get("id"):
            names[node.get("id")] = node.get("name") or ""
    return names


def inspect_instance(instance_id: int, runtime: Runtime, *, session: Session) -> InstanceInspection:
    record = load_instance(instance_id, session=session)
    if record is None:
        raise InstanceNotFound(f"流程实例 {instance_id} 不存在")
    row = session.get_one(ProcessInstance, instance_id)
    definition = session.get_one(ProcessDefinition, record.definition_id)
    workflow, _loaded = load_workflow(record, runtime, session=session)

    completed: set[str] = set()
    active: set[str] = set()
    waiting: set[str] = set()
    timers: list[WaitingTimer] = []
    for task in workflow.get_tasks():
        if not getattr(task.task_spec, "bpmn_id", None):
            continue  # engine-internal specs (joins, start) have no shape
        element = element_id(task)
        if task.state == TaskState.COMPLETED:
            completed.add(element)
        elif task.state in (TaskState.READY, TaskState.STARTED):
            active.add(element)
        elif task.state == TaskState.WAITING:
            waiting.add(element)
    for timer in timer_tasks(workflow):
        # After an event-based gateway the gateway waits; name the timer event it leads to.
        target = next(
            (
                spec.bpmn_id
                for spec in timer.task.task_spec.outputs
                if getattr(spec, "bpmn_name", None) == timer.name
            ),
            element_id(timer.task),
        )
        timers.append(WaitingTimer(target, timer.name or target, timer.due))

    names = element_names(definition.bpmn_xml)
    documents = [
        DiagramDocument(
            f"{definition.name} v{definition.version}",
            definition.bpmn_xml,
            sorted(completed - active - waiting),
            sorted(active),
            sorted(waiting),
        )
    ]
    for called in definition.called_xmls:
        called_names = element_names(called)
        touched = (completed | active | waiting) & called_names.keys()
        if touched - process_ids(called):
            names.update({k: v for k, v in called_names.items() if k not in names})
            documents.append(
                DiagramDocument(
                    "调用的流程：" + "、".join(sorted(process_ids(called))),
                    called,
                    sorted((completed - active - waiting) & touched),
                    sorted(active & touched),
                    sorted(waiting & touched),
                )
            )
    return InstanceInspection(
        instance_id=instance_id,
        business_key=row.business_key,
        status=row.status,
        process_key=definition.process_key,
        version=definition.version,
        definition_id=definition.id,
        started_at=row.created_at,
        completed_at=row.completed_at,
        documents=documents,
        timers=sorted(timers, key=lambda t: (t.due_at is None, t.due_at or row.created_at)),
        history=instance_history(instance_id, names, session=session),
        names=names,
    )


def instance_history(
    instance_id: int, names: dict[str, str], *, session: Session
) -> list[HistoryEntry]:
    rows: Sequence[tuple[datetime, str, str, str | None, dict[str, Any] | None]] = session.execute(
        select(
            AuditEvent.at,
            AuditEvent.actor,
            AuditEvent.action,
            AuditEvent.task_name,
            AuditEvent.detail,
        )
        .where(AuditEvent.instance_id == instance_id)
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    return [
        HistoryEntry(
            at, actor, action, task, names.get(task or "", "") if task else "", detail or {}
        )
        for at, actor, action, task, detail in rows
    ]


@dataclass(frozen=True)
class ElementHeat:
    element_id: str
    open: int
    completed: int


def version_heat(definition_id: int, *, session: Session) -> dict[str, ElementHeat]:
    """Per human-task element of a version: tasks open now and completed so far."""
    task = HumanTask.__table__
    instance = ProcessInstance.__table__
    rows: Sequence[tuple[str, int | None, int | None]] = session.execute(
        select(
            task.c.task_name,
            func.sum(case((task.c.state == "ready", 1), else_=0)),
            func.sum(case((task.c.state == "completed", 1), else_=0)),
        )
        .join(instance, instance.c.id == task.c.instance_id)
        .where(instance.c.definition_id == definition_id)
        .group_by(task.c.task_name)
    ).all()
    return {name: ElementHeat(name, int(o or 0), int(c or 0)) for name, o, c in rows}


@dataclass(frozen=True)
class VersionUsage:
    running: int
    completed: int
    failed: int

    @property
    def total(self) -> int:
        return self.running + self.completed + self.failed


def usage_by_definition(county: str, *, session: Session) -> dict[int, VersionUsage]:
    """How many instances run (or ran) on each definition version."""
    rows = session.execute(
        select(ProcessInstance.definition_id, ProcessInstance.status, func.count())
        .where(ProcessInstance.county == county)
        .group_by(ProcessInstance.definition_id, ProcessInstance.status)
    ).all()
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for definition_id, status, count in rows:
        counts[definition_id][status] = count
    return {
        definition_id: VersionUsage(
            by_status.get("running", 0), by_status.get("completed", 0), by_status.get("failed", 0)
        )
        for definition_id, by_status in counts.items()
    }
