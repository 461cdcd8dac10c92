"""What the unit inbox pages show: the unit's tasks and counts, one task with its form, and
the unit's table of who handles what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from engine.complaints.assignment import unit_people, unit_table
from engine.complaints.inbox_queries import InboxCounts, InboxFilters, InboxRow
from engine.complaints.inbox_queries import inbox_counts as _inbox_counts
from engine.complaints.inbox_queries import inbox_tasks as _inbox_tasks
from engine.complaints.models import Complaint
from engine.complaints.read_models.records import TaskRecord, copy_row
from engine.core.host import WorkflowHost
from engine.core.persistence.models import HumanTask, ProcessInstance
from engine.core.task_metadata import TaskMeta
from engine.people import Account


def inbox_page(
    host: WorkflowHost,
    unit_id: str,
    filters: InboxFilters,
    *,
    county: str,
    now: datetime,
    day_end: datetime,
    limit: int,
    offset: int = 0,
) -> list[InboxRow]:
    """One page of the unit's ready tasks, soonest deadline first (see ``inbox_tasks``)."""
    with host.session_factory() as session:
        return _inbox_tasks(
            unit_id,
            filters,
            county=county,
            now=now,
            day_end=day_end,
            limit=limit,
            offset=offset,
            session=session,
        )


def inbox_totals(
    host: WorkflowHost,
    unit_id: str,
    *,
    county: str,
    now: datetime,
    day_end: datetime,
    username: str,
) -> InboxCounts:
    """How many open tasks the unit has, overdue, due today, and the person's own."""
    with host.session_factory() as session:
        return _inbox_counts(
            unit_id, county=county, now=now, day_end=day_end, username=username, session=session
        )


@dataclass(frozen=True)
class UnitTask:
    """A task of a complaint with the forms of the diagram version it runs on."""

    task: TaskRecord
    complaint_id: int
    forms: dict[str, TaskMeta]  # element id -> form, over every task of the definition


def unit_task(host: WorkflowHost, task_id: str, *, county: str) -> UnitTask | None:
    """The task of a complaint in ``county``; None when there is none (whoever it is for)."""
    with host.session_factory() as session:
        found = session.execute(
            select(HumanTask, Complaint.id, ProcessInstance.definition_id)
            .join(Complaint, Complaint.instance_id == HumanTask.instance_id)
            .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
            .where(HumanTask.id == task_id, HumanTask.county == county)
        ).first()
        if found is None:
            return None
        task, complaint_id, definition_id = found
        loaded = host.runtime.definitions.get(definition_id, session=session)
        return UnitTask(TaskRecord.of(task), complaint_id, dict(loaded.task_meta))


@dataclass(frozen=True)
class AssignmentEntry:
    """One line of a unit's table: the person who handles a domain or matter."""

    id: int
    county: str
    unit_id: str
    scope: str
    username: str


def unit_staff(host: WorkflowHost, unit_id: str, *, county: str) -> list[Account]:
    """The active staff of a unit: the people its tasks may be given to."""
    with host.session_factory() as session:
        return [Account.of(p) for p in unit_people(unit_id, county=county, session=session)]


def assignment_table(host: WorkflowHost, unit_id: str, *, county: str) -> list[AssignmentEntry]:
    """The unit's table, by scope."""
    with host.session_factory() as session:
        return [
            copy_row(AssignmentEntry, e)
            for e in unit_table(unit_id, county=county, session=session)
        ]
