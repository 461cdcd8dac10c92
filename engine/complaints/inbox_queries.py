"""Reads for the unit inbox: a unit's ready tasks joined with their complaints, by deadline.

A unit's task is found through its stage record (``complaint_stage``): the projector writes
one per measured task (sign-for, handling, assist, listed check-in, consultation position)
in the step that made it ready, with the unit the task is offered to (its candidate group)
and the task's own deadline. So the inbox is one indexed query with two joins, and nothing
is read per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session

from engine.complaints.models import Complaint, ComplaintStage
from engine.core.persistence.models import HumanTask

# Stages of the tasks a unit receives, in the order of the lifecycle.
UNIT_STAGES = ("sign_for", "handle", "assist", "listed", "consultation")
DUE_FILTERS = ("today", "overdue")


@dataclass(frozen=True)
class InboxFilters:
    """What the person narrowed the list to; ``None`` means no restriction."""

    stage: str | None = None
    due: str | None = None  # "today" (not yet overdue, due before the day ends) or "overdue"
    domain: str | None = None  # the complaint's domain name, as routing recorded it
    assignee: str | None = None  # "assigned to me": that person's username


@dataclass(frozen=True)
class InboxRow:
    task_id: str
    task_name: str
    title: str
    stage: str
    assignee: str | None
    due_at: datetime | None
    created_at: datetime
    complaint_id: int
    tracking_code: str
    matter_id: str | None
    matter_name: str | None
    domain: str | None
    village_id: str
    complaint_stage: str
    due_provisional: bool
    # The case's handling deadline: an assist task that started before it was set has none
    # of its own and works to this one.
    case_handle_due: datetime | None

    @property
    def effective_due(self) -> datetime | None:
        if self.due_at is None and self.stage == "assist":
            return self.case_handle_due
        return self.due_at


@dataclass(frozen=True)
class InboxCounts:
    total: int
    overdue: int
    due_today: int
    mine: int


_ROW_COLUMNS = (
    HumanTask.id,
    HumanTask.task_name,
    HumanTask.title,
    ComplaintStage.stage,
    HumanTask.assignee,
    ComplaintStage.due_at,
    HumanTask.created_at,
    Complaint.id,
    Complaint.tracking_code,
    Complaint.matter_id,
    Complaint.matter_name,
    Complaint.domain,
    Complaint.village_id,
    Complaint.stage,
    Complaint.due_provisional,
    Complaint.handle_due,
)


def _open_tasks_of(unit_id: str, county: str, *columns) -> Select:
    return (
        select(*columns)
        .select_from(ComplaintStage)
        .join(HumanTask, HumanTask.id == ComplaintStage.task_id)
        .join(Complaint, Complaint.id == ComplaintStage.complaint_id)
        .where(
            ComplaintStage.county == county,
            ComplaintStage.unit == unit_id,
            ComplaintStage.ended_at.is_(None),
            HumanTask.state == "ready",
        )
    )


def _filtered(stmt: Select, filters: InboxFilters, now: datetime, day_end: datetime) -> Select:
    if filters.stage:
        stmt = stmt.where(ComplaintStage.stage == filters.stage)
    if filters.due == "overdue":
        stmt = stmt.where(ComplaintStage.due_at < now)
    elif filters.due == "today":
        stmt = stmt.where(ComplaintStage.due_at >= now, ComplaintStage.due_at < day_end)
    if filters.domain:
        stmt = stmt.where(Complaint.domain == filters.domain)
    if filters.assignee:
        stmt = stmt.where(HumanTask.assignee == filters.assignee)
    return stmt


def inbox_tasks(
    unit_id: str,
    filters: InboxFilters,
    *,
    county: str,
    now: datetime,
    day_end: datetime,
    limit: int,
    offset: int = 0,
    session: Session,
) -> list[InboxRow]:
    """One page of the unit's ready tasks, soonest deadline first, then those without one.

    Tasks with a deadline are read in the order of the index on (county, unit, ended_at,
    due_at), so a page stops after ``limit`` rows however many tasks the unit has; tasks
    without a deadline of their own (listed check-ins; assist tasks that started before the
    handling deadline was set, by that deadline) follow, read only when the page reaches them.

    :param day_end: the end of today in the county's time zone (for "due today").
    """
    base = _filtered(_open_tasks_of(unit_id, county, *_ROW_COLUMNS), filters, now, day_end)
    dated = session.execute(
        base.where(ComplaintStage.due_at.is_not(None))
        .order_by(ComplaintStage.due_at, ComplaintStage.id)
        .limit(limit)
        .offset(offset)
    ).all()
    rows = [InboxRow(*row) for row in dated]
    if len(rows) == limit or filters.due:
        return rows
    skip = 0
    if offset and not rows:
        skip = offset - session.scalar(
            _filtered(_open_tasks_of(unit_id, county, func.count()), filters, now, day_end).where(
                ComplaintStage.due_at.is_not(None)
            )
        )
    undated = session.execute(
        base.where(ComplaintStage.due_at.is_(None))
        .order_by(Complaint.handle_due.is_(None), Complaint.handle_due, ComplaintStage.id)
        .limit(limit - len(rows))
        .offset(max(skip, 0))
    ).all()
    return rows + [InboxRow(*row) for row in undated]


def inbox_counts(
    unit_id: str,
    *,
    county: str,
    now: datetime,
    day_end: datetime,
    username: str,
    session: Session,
) -> InboxCounts:
    """How many open tasks the unit has, how many are overdue, due today, and mine.

    The first three read only the stage index (a stage is open exactly while its task is
    ready: both are written in the same step); "mine" starts from the person's tasks.
    """

    def count_if(condition) -> object:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    total, overdue, today = session.execute(
        select(
            func.count(),
            count_if(ComplaintStage.due_at < now),
            count_if(and_(ComplaintStage.due_at >= now, ComplaintStage.due_at < day_end)),
        ).where(
            ComplaintStage.county == county,
            ComplaintStage.unit == unit_id,
            ComplaintStage.ended_at.is_(None),
        )
    ).one()
    mine = session.scalar(
        select(func.count())
        .select_from(HumanTask)
        .join(ComplaintStage, ComplaintStage.task_id == HumanTask.id)
        .where(
            HumanTask.county == county,
            HumanTask.state == "ready",
            HumanTask.assignee == username,
            ComplaintStage.unit == unit_id,
        )
    )
    return InboxCounts(int(total), int(overdue), int(today), int(mine or 0))
