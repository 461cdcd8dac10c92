"""Write an advanced workflow back: state, projections, incidents and the next due time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.definition_store import LoadedDefinition
from engine.persistence.models import HumanTask, Incident, ProcessInstance
from engine.runtime import Runtime

_TIMER_TYPES = {
    "TimeDateEventDefinition",
    "DurationTimerEventDefinition",
    "CycleTimerEventDefinition",
}


def waiting_timers(workflow: BpmnWorkflow) -> list[tuple[str, datetime]]:
    """(timer name, due instant) for every timer the workflow is waiting on."""
    timers = []
    for event in workflow.waiting_events():
        if event.event_type not in _TIMER_TYPES or not isinstance(event.value, str):
            continue
        due = TimerEventDefinition.parse_time_or_duration(event.value)
        if isinstance(due, datetime):
            timers.append((event.name, due))
    return timers


def next_due_at(workflow: BpmnWorkflow) -> datetime | None:
    dues = [due for _name, due in waiting_timers(workflow)]
    return min(dues) if dues else None


def ready_human_tasks(workflow: BpmnWorkflow) -> list[Task]:
    return workflow.get_tasks(state=TaskState.READY, manual=True)


def snapshot(workflow: BpmnWorkflow) -> dict[str, Any]:
    """A small picture of the instance for the audit log's before/after."""
    return {
        "completed": workflow.completed,
        "ready": sorted(t.task_spec.name for t in ready_human_tasks(workflow)),
        "timers": sorted(name for name, _due in waiting_timers(workflow)),
    }


def _groups(raw: str | None, task: Task, runtime: Runtime) -> list[str]:
    if not raw:
        return []
    if raw.startswith("="):
        value = runtime.script_engine.evaluate(task, raw[1:])
        values = value if isinstance(value, list | tuple | set) else [value]
        return [str(v) for v in values if v not in (None, "")]
    return [part.strip() for part in raw.split(",") if part.strip()]


def _sync_human_tasks(
    row: ProcessInstance,
    workflow: BpmnWorkflow,
    loaded: LoadedDefinition,
    runtime: Runtime,
    *,
    now: datetime,
    completed_task_id: str | None,
    actor: str,
    session: Session,
) -> None:
    ready = {str(t.id): t for t in ready_human_tasks(workflow)}
    open_rows = session.scalars(
        select(HumanTask).where(HumanTask.instance_id == row.id, HumanTask.state == "ready")
    ).all()
    known = set()
    for task_row in open_rows:
        known.add(task_row.id)
        if task_row.id in ready:
            continue
        task_row.finished_at = now
        if task_row.id == completed_task_id:
            task_row.state = "completed"
            task_row.completed_by = actor
        else:
            task_row.state = "cancelled"
    for task_id, task in ready.items():
        if task_id in known:
            continue
        meta = loaded.task_meta.get(task.task_spec.name)
        assignees = _groups(meta.assignee if meta else None, task, runtime)
        session.add(
            HumanTask(
                id=task_id,
                county=row.county,
                instance_id=row.id,
                task_name=task.task_spec.name,
                title=(meta.title if meta else None) or task.task_spec.bpmn_name or task_id,
                lane=task.task_spec.lane,
                candidate_groups=_groups(meta.candidate_groups if meta else None, task, runtime),
                assignee=assignees[0] if assignees else None,
                state="ready",
                created_at=now,
            )
        )


def _uncaught_errors(workflow: BpmnWorkflow) -> list[tuple[str, Any, Any]]:
    """Uncaught BPMN errors as (name, code, payload); SpiffWorkflow reports them only here."""
    errors = []
    for event in workflow.get_events():
        definition = event.event_definition
        if type(definition).__name__ != "ErrorEventDefinition":
            continue
        code = getattr(definition, "code", None)
        name = getattr(definition, "name", None) or code or "error"
        errors.append((name, code, event.payload))
    return errors


def _plain(value: Any) -> Any:
    try:
        import json

        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value)


def save_workflow(
    row: ProcessInstance,
    workflow: BpmnWorkflow,
    loaded: LoadedDefinition,
    runtime: Runtime,
    *,
    now: datetime,
    actor: str,
    session: Session,
    completed_task_id: str | None = None,
) -> list[str]:
    """Persist ``workflow`` into ``row`` with every projection, in the caller's transaction.

    :return: names of uncaught BPMN errors (already recorded as incidents).
    """
    errors = _uncaught_errors(workflow)
    row.state_json = runtime.serializer.dump_workflow(workflow)
    row.updated_at = now
    if errors:
        row.status = "failed"
        row.next_due_at = None
    elif workflow.completed:
        row.status = "completed"
        row.completed_at = now
        row.next_due_at = None
    else:
        row.next_due_at = next_due_at(workflow)
    if row.id is None:
        session.add(row)
        session.flush()  # one INSERT with the final state; the projections need the id
    for name, code, payload in errors:
        session.add(
            Incident(
                county=row.county,
                instance_id=row.id,
                kind="bpmn_error",
                message=f"流程抛出了未被捕获的 BPMN 错误“{name}”，流程已终止",
                detail={"error_code": code, "payload": _plain(payload)},
                created_at=now,
            )
        )
    _sync_human_tasks(
        row,
        workflow,
        loaded,
        runtime,
        now=now,
        completed_task_id=completed_task_id,
        actor=actor,
        session=session,
    )
    return [name for name, _code, _payload in errors]
