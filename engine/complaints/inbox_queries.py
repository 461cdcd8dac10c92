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
from engine.persistence.models import HumanTask

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
)


def _open_tasks_of(unit_id: str, county: str, *columns) -> Select:  # type: ignore[no-untyped-def]
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
    """One page of the unit's ready tasks, soonest deadline first (no deadline last).

    :param day_end: the end of today in the county's time zone (for "due today").
    """
    stmt = _open_tasks_of(unit_id, county, *_ROW_COLUMNS)
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
    stmt = (
        stmt.order_by(
            ComplaintStage.due_at.is_(None),
            ComplaintStage.due_at,
            HumanTask.created_at,
            HumanTask.id,
        )
        .limit(limit)
        .offset(offset)
    )
    return [InboxRow(*row) for row in session.execute(stmt)]


def inbox_counts(
    unit_id: str,
    *,
    county: str,
    now: datetime,
    day_end: datetime,
    username: str,
    session: Session,
) -> InboxCounts:
    """How many open tasks the unit has, how many are overdue, due today, and mine."""

    def count_if(condition) -> object:  # type: ignore[no-untyped-def]
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    stmt = _open_tasks_of(
        unit_id,
        county,
        func.count(),
        count_if(ComplaintStage.due_at < now),
        count_if(and_(ComplaintStage.due_at >= now, ComplaintStage.due_at < day_end)),
        count_if(HumanTask.assignee == username),
    )
    total, overdue, today, mine = session.execute(stmt).one()
    return InboxCounts(int(total), int(overdue), int(today), int(mine))
