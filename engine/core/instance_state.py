"""Write an advanced workflow back: state, task projection, incidents and the next due time."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import Session

from engine.core.definition_store import LoadedDefinition
from engine.core.evaluation_budget import step_budget
from engine.core.instance_rows import InstanceRecord, write_instance
from engine.core.persistence.models import HumanTask, Incident, Notification
from engine.core.projection import StepOutcome
from engine.core.runtime import Runtime
from engine.core.step_failures import diagnose
from engine.core.task_walk import tasks_in_state

_TIMER_TYPES = {
    "TimeDateEventDefinition",
    "DurationTimerEventDefinition",
    "CycleTimerEventDefinition",
}
_task = HumanTask.__table__
_INSERT_NOTIFICATIONS = insert(Notification.__table__)
_INSERT_TASKS = insert(_task)
_COMPLETE_TASK = (
    update(_task)
    .where(_task.c.id == bindparam("b_id"))
    .values(state="completed", completed_by=bindparam("actor"), finished_at=bindparam("at"))
)
_CANCEL_TASK = (
    update(_task)
    .where(_task.c.id == bindparam("b_id"))
    .values(state="cancelled", finished_at=bindparam("at"))
)


@dataclass(frozen=True)
class WaitingTimer:
    """A timer the workflow waits on: the task that waits, the timer's name, its due instant.

    After an event-based gateway SpiffWorkflow waits on the *gateway* (a multiple event) and
    keeps the timer's due time in the gateway task's data, not on the timer event: both shapes
    are read here, so the sweep sees every timer (lint allows one timer per gateway).
    """

    task: Task
    name: str
    due: datetime


def timer_tasks(workflow: BpmnWorkflow) -> list[WaitingTimer]:
    timers = []
    for task in workflow.event_manager.tasks.values():
        definition = task.task_spec.event_definition
        if isinstance(definition, MultipleEventDefinition):
            members = [
                d for d in definition.event_definitions if isinstance(d, TimerEventDefinition)
            ]
            if not members:
                continue
            name, value = members[0].name, task.internal_data.get("event_value")
        elif type(definition).__name__ in _TIMER_TYPES:
            name, value = definition.name, definition.details(task).value
        else:
            continue
        if not isinstance(value, str):
            continue
        due = TimerEventDefinition.parse_time_or_duration(value)
        if isinstance(due, datetime):
            timers.append(WaitingTimer(task, name, due))
    return timers


def waiting_timers(workflow: BpmnWorkflow) -> list[tuple[str, datetime]]:
    """(timer name, due instant) for every timer the workflow is waiting on."""
    return [(timer.name, timer.due) for timer in timer_tasks(workflow)]


def next_due_at(workflow: BpmnWorkflow) -> datetime | None:
    dues = [due for _name, due in waiting_timers(workflow)]
    return min(dues) if dues else None


def element_id(task: Task) -> str:
    """The BPMN element id of a task (multi-instance children share their activity's id)."""
    # SpiffWorkflow has no stubs: a spec is Any; both names are str.
    bpmn_id: str | None = getattr(task.task_spec, "bpmn_id", None)
    name: str = task.task_spec.name
    return bpmn_id or name


def workflow_view(workflow: BpmnWorkflow) -> dict[str, Any]:
    """The freshest value of every process variable: the last completed task's data overlaid
    with the data of every ready or waiting task, subprocesses included (parallel branches and
    subprocesses carry their own copies)."""
    view: dict[str, Any] = {}
    if workflow.last_task is not None:
        view.update(workflow.last_task.data)

    # Waiting events and multi-instance children (assisting units) hold the copy taken when
    # they started; among ready tasks, the one that became ready later holds the later copy.
    # Engine-internal specs (boundary joins, end joins) have no BPMN id and are skipped.
    def freshness(task: Task) -> tuple[bool, bool, float]:
        return (
            task.state == TaskState.READY,
            element_id(task) == task.task_spec.name,
            task.last_state_change,
        )

    live = [
        t
        for t in tasks_in_state(workflow, TaskState.READY | TaskState.WAITING)
        if getattr(t.task_spec, "bpmn_id", None)
    ]
    for task in sorted(live, key=freshness):
        view.update(task.data)
    return view


def ready_human_tasks(workflow: BpmnWorkflow) -> dict[str, Task]:
    return {str(t.id): t for t in tasks_in_state(workflow, TaskState.READY, manual=True)}


def snapshot(workflow: BpmnWorkflow, ready: Iterable[Task] | None = None) -> dict[str, Any]:
    """A small picture of the instance for the audit log's before/after."""
    tasks = ready if ready is not None else ready_human_tasks(workflow).values()
    return {
        "completed": workflow.completed,
        "ready": sorted(element_id(t) for t in tasks),
        "timers": sorted(name for name, _due in waiting_timers(workflow)),
    }


def candidate_groups(
    raw: str | None,
    task: Task,
    runtime: Runtime,
    *,
    record: InstanceRecord | None = None,
    now: datetime | None = None,
) -> list[str]:
    """Resolve a ``camunda:candidateGroups``/``assignee`` value for a ready task.

    An expression (``=...``) is diagram code: it runs under the step budget and a failure
    is the diagram's (:class:`~engine.core.step_failures.StepFailed` at the task, when ``record``
    and ``now`` say which step this is).
    """
    if not raw:
        return []
    if raw.startswith("="):
        try:
            with step_budget(runtime.budget):
                value = runtime.script_engine.evaluate(task, raw[1:])
        except Exception as err:
            if record is None or now is None:
                raise
            raise diagnose(
                err,
                county=record.county,
                # Version 1: the row was inserted by this very step and rolls back with it.
                instance_id=record.id if record.version > 1 else None,
                definition_id=record.definition_id,
                at=now,
                running=task,
            ) from err
        values = value if isinstance(value, list | tuple | set) else [value]
        return [str(v) for v in values if v not in (None, "")]
    return [part.strip() for part in raw.split(",") if part.strip()]


def _sync_human_tasks(
    record: InstanceRecord,
    previous: set[str],
    ready: dict[str, Task],
    loaded: LoadedDefinition,
    runtime: Runtime,
    *,
    now: datetime,
    completed_task_id: str | None,
    actor: str,
    session: Session,
) -> list[dict[str, Any]]:
    """Bring the projection from ``previous`` (ready before the step) to ``ready``.

    :return: the rows of the tasks that became ready (for their notifications).
    """
    connection = session.connection()
    gone = previous - ready.keys()
    if completed_task_id in gone:
        gone.discard(completed_task_id)
        connection.execute(_COMPLETE_TASK, {"b_id": completed_task_id, "actor": actor, "at": now})
    if gone:
        connection.execute(_CANCEL_TASK, [{"b_id": task_id, "at": now} for task_id in gone])
    rows = []
    for task_id, task in ready.items():
        if task_id in previous:
            continue
        meta = loaded.task_meta.get(element_id(task))
        assignees = candidate_groups(
            meta.assignee if meta else None, task, runtime, record=record, now=now
        )
        rows.append(
            {
                "id": task_id,
                "county": record.county,
                "instance_id": record.id,
                "task_name": element_id(task),
                "title": (meta.title if meta else None) or task.task_spec.bpmn_name or task_id,
                "lane": task.task_spec.lane,
                "candidate_groups": candidate_groups(
                    meta.candidate_groups if meta else None,
                    task,
                    runtime,
                    record=record,
                    now=now,
                ),
                "assignee": assignees[0] if assignees else None,
                "state": "ready",
                "created_at": now,
            }
        )
    if rows:
        connection.execute(_INSERT_TASKS, rows)
    return rows


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
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value)


def save_workflow(
    record: InstanceRecord,
    workflow: BpmnWorkflow,
    loaded: LoadedDefinition,
    runtime: Runtime,
    *,
    previous_ready: set[str],
    now: datetime,
    actor: str,
    session: Session,
    completed_task: Task | None = None,
    clear_lock: bool = False,
) -> tuple[dict[str, Task], list[str]]:
    """Persist ``workflow`` with every projection, in the caller's transaction.

    :param previous_ready: ids of the human tasks that were ready before the step (the
        projection holds exactly these, since both are written in one transaction).
    :return: the ready human tasks now, and names of uncaught BPMN errors (recorded as
        incidents).
    :raises StaleDataError: someone else advanced the instance first.
    """
    errors = _uncaught_errors(workflow)
    ready = ready_human_tasks(workflow)
    record.state_json = runtime.serializer.dump_workflow(workflow)
    if errors:
        record.status, record.next_due_at = "failed", None
    elif workflow.completed:
        record.status, record.next_due_at, record.completed_at = "completed", None, now
    else:
        record.next_due_at = next_due_at(workflow)
    write_instance(record, now=now, clear_lock=clear_lock, session=session)
    for name, code, payload in errors:
        session.add(
            Incident(
                county=record.county,
                instance_id=record.id,
                kind="bpmn_error",
                message=f"流程抛出了未被捕获的 BPMN 错误“{name}”，流程已终止",
                detail={"error_code": code, "payload": _plain(payload)},
                created_at=now,
            )
        )
    new_rows = _sync_human_tasks(
        record,
        previous_ready,
        ready,
        loaded,
        runtime,
        now=now,
        completed_task_id=str(completed_task.id) if completed_task is not None else None,
        actor=actor,
        session=session,
    )
    error_names = [name for name, _code, _payload in errors]
    outcome = StepOutcome(
        record=record,
        workflow=workflow,
        loaded=loaded,
        ready=ready,
        previous_ready=previous_ready,
        completed_task=completed_task,
        actor=actor,
        now=now,
        session=session,
        errors=error_names,
    )
    _notify_new_tasks(new_rows, now=now, session=session)
    for projector in runtime.projectors.get(loaded.process_key, ()):
        projector(outcome)
    return ready, error_names


def _notify_new_tasks(rows: list[dict[str, Any]], *, now: datetime, session: Session) -> None:
    """Every arriving task tells the groups it is offered to (one insert for the step)."""
    notifications = [
        {
            "county": row["county"],
            "recipient": recipient,
            "kind": "task",
            "title": f"新任务：{row['title']}",
            "body": None,
            "instance_id": row["instance_id"],
            "task_id": row["id"],
            "created_at": now,
        }
        for row in rows
        for recipient in dict.fromkeys(row["candidate_groups"])
    ]
    if notifications:
        session.connection().execute(_INSERT_NOTIFICATIONS, notifications)
