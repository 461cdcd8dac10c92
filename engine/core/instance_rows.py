"""Core-level reads and writes of instance rows on the step path.

A step touches one instance row, a few task rows and audit rows; going through the ORM's unit
of work for that costs more than the SpiffWorkflow step itself, so the hot path uses Core
statements with an explicit optimistic version check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from engine.core import log_context
from engine.core.persistence.models import HumanTask, ProcessInstance

_instance = ProcessInstance.__table__
_task = HumanTask.__table__


@dataclass
class InstanceRecord:
    """The columns of ``process_instance`` a step reads and writes."""

    id: int | None
    county: str
    definition_id: int
    version: int
    status: str
    state_json: str
    next_due_at: datetime | None
    lock_owner: str | None
    timer_failures: int
    created_at: datetime
    business_key: str | None = None
    completed_at: datetime | None = None

    @property
    def stored_id(self) -> int:
        """The row's id; a record a step hands back has always been stored."""
        if self.id is None:
            raise RuntimeError("process instance record has not been stored yet")
        return self.id


_COLUMNS = (
    _instance.c.id,
    _instance.c.county,
    _instance.c.definition_id,
    _instance.c.version,
    _instance.c.status,
    _instance.c.state_json,
    _instance.c.next_due_at,
    _instance.c.lock_owner,
    _instance.c.timer_failures,
    _instance.c.created_at,
    _instance.c.business_key,
    _instance.c.completed_at,
)


# Statements are built once: constructing them per step cost as much as running them.
_SELECT_INSTANCE = select(*_COLUMNS).where(_instance.c.id == bindparam("b_id"))
_SELECT_TASK = select(
    _task.c.id,
    _task.c.instance_id,
    _task.c.title,
    _task.c.state,
    _task.c.completed_by,
    _task.c.candidate_groups,
    _task.c.assignee,
).where(_task.c.id == bindparam("b_id"))
_INSERT_INSTANCE = insert(_instance)
_STEP_COLUMNS = ("status", "state_json", "next_due_at", "updated_at", "completed_at", "version")
_UPDATE_INSTANCE = (
    update(_instance)
    .where(_instance.c.id == bindparam("b_id"), _instance.c.version == bindparam("b_version"))
    .values({name: bindparam(name) for name in _STEP_COLUMNS})
)
_UPDATE_INSTANCE_UNLOCK = _UPDATE_INSTANCE.values(
    lock_owner=None, lock_expires_at=None, timer_failures=0
)


def load_instance(instance_id: int, *, session: Session) -> InstanceRecord | None:
    row: Sequence[Any] | None = (
        session.connection().execute(_SELECT_INSTANCE, {"b_id": instance_id}).first()
    )
    return InstanceRecord(*row) if row is not None else None


@dataclass(frozen=True)
class TaskRecord:
    id: str
    instance_id: int
    title: str
    state: str
    completed_by: str | None
    candidate_groups: list[str]
    assignee: str | None


def load_task(task_id: str, *, session: Session) -> TaskRecord | None:
    row: Sequence[Any] | None = (
        session.connection().execute(_SELECT_TASK, {"b_id": task_id}).first()
    )
    return TaskRecord(*row) if row is not None else None


_TASK_WIDTH = len(_SELECT_TASK.selected_columns)
_SELECT_TASK_AND_INSTANCE = (
    select(*_SELECT_TASK.selected_columns, *_COLUMNS)
    .select_from(_task.outerjoin(_instance, _instance.c.id == _task.c.instance_id))
    .where(_task.c.id == bindparam("b_id"))
)


def load_task_and_instance(
    task_id: str, *, session: Session
) -> tuple[TaskRecord, InstanceRecord | None] | None:
    """The task row and its instance row in one query: completing a task needs both."""
    row = session.connection().execute(_SELECT_TASK_AND_INSTANCE, {"b_id": task_id}).first()
    if row is None:
        return None
    instance = row[_TASK_WIDTH:]
    return TaskRecord(*row[:_TASK_WIDTH]), (
        InstanceRecord(*instance) if instance[0] is not None else None
    )


def write_instance(
    record: InstanceRecord, *, now: datetime, clear_lock: bool, session: Session
) -> None:
    """Insert a new instance or update an existing one if nobody changed it since loading.

    :raises StaleDataError: the row's version moved on (the step is retried on fresh state).
    """
    values = {
        "status": record.status,
        "state_json": record.state_json,
        "next_due_at": record.next_due_at,
        "updated_at": now,
        "completed_at": record.completed_at,
    }
    connection = session.connection()
    if record.id is None:
        result = connection.execute(
            _INSERT_INSTANCE,
            {
                "county": record.county,
                "definition_id": record.definition_id,
                "business_key": record.business_key,
                "version": 1,
                "timer_failures": 0,
                "created_at": record.created_at,
                **values,
            },
        )
        key = result.inserted_primary_key
        if key is None:
            raise RuntimeError("the database returned no id for the new process instance")
        record.id = key[0]
        record.version = 1
        log_context.annotate(instance_id=record.id)  # the step's later log lines name it
        return
    statement = _UPDATE_INSTANCE_UNLOCK if clear_lock else _UPDATE_INSTANCE
    result = connection.execute(
        statement,
        {"b_id": record.id, "b_version": record.version, "version": record.version + 1, **values},
    )
    if result.rowcount != 1:
        raise StaleDataError(f"process_instance {record.id} changed since version {record.version}")
    record.version += 1
