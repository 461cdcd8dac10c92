"""Reads for the people who report and for the JSON API: a report by tracking code or id, a
reporter's own reports, the public steps of a case, the cases an account may list, a task
with its form. Each opens its own read session and returns frozen copies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from engine.complaints import report_queries
from engine.complaints.case_view import (
    CaseRef,
    CaseTask,
    CaseView,
    StageDeadline,
    case_refs,
    case_tasks,
    load_case,
    stage_deadlines,
)
from engine.complaints.models import Complaint
from engine.complaints.read_models.records import ComplaintRecord, TaskRecord
from engine.complaints.report_queries import PublicStep
from engine.complaints.visibility import visible_filter
from engine.core.host import WorkflowHost
from engine.core.persistence.models import HumanTask, Notification, ProcessInstance
from engine.people import Account


def report_by_code(host: WorkflowHost, code: str, *, county: str) -> ComplaintRecord | None:
    """The report with this tracking code in this county (spaces and case forgiven), or
    ``None``: the same answer for a code that exists in another county."""
    with host.session_factory() as session:
        found = report_queries.by_tracking_code(code, county=county, session=session)
        return ComplaintRecord.of(found) if found is not None else None


def report_by_id(host: WorkflowHost, complaint_id: int) -> ComplaintRecord | None:
    with host.session_factory() as session:
        found = session.get(Complaint, complaint_id)
        return ComplaintRecord.of(found) if found is not None else None


def reports_of(
    host: WorkflowHost, account: Account, *, limit: int = report_queries.MINE_LIMIT
) -> list[ComplaintRecord]:
    """A resident's own reports; a grid worker's reports of their grids and those they made."""
    with host.session_factory() as session:
        rows = report_queries.reports_of(account, session=session, limit=limit)
        return [ComplaintRecord.of(r) for r in rows]


def public_steps(host: WorkflowHost, complaint: ComplaintRecord) -> list[PublicStep]:
    """Received, routed, signed for, replied, closed: what anyone holding the code may see."""
    with host.session_factory() as session:
        stages = report_queries.stages_of(complaint.id, session=session)
        # Reads only fields ComplaintRecord shares with Complaint
        return report_queries.public_steps(complaint, stages)  # type: ignore[arg-type]


def visible_reports(
    host: WorkflowHost,
    account: Account,
    *,
    status: str | None = None,
    stage: str | None = None,
    limit: int,
) -> list[ComplaintRecord]:
    """The newest cases ``account`` may see (the visibility rules as a query)."""
    stmt = select(Complaint).where(visible_filter(account))
    if status:
        stmt = stmt.where(Complaint.status == status)
    if stage:
        stmt = stmt.where(Complaint.stage == stage)
    with host.session_factory() as session:
        rows = session.scalars(stmt.order_by(Complaint.received_at.desc()).limit(limit))
        return [ComplaintRecord.of(r) for r in rows]


@dataclass(frozen=True)
class CaseDetail:
    """The staff view of one case with its open tasks and every stage deadline so far."""

    case: CaseView
    tasks: list[CaseTask]
    deadlines: dict[str, StageDeadline]


def case_detail(host: WorkflowHost, complaint_id: int) -> CaseDetail | None:
    with host.session_factory() as session:
        case = load_case(complaint_id, session=session)
    if case is None:
        return None
    instance_id = case.complaint.instance_id
    deadlines = stage_deadlines(host.instance_data(instance_id)) if instance_id is not None else {}
    return CaseDetail(case, case_tasks(case, deadlines), deadlines)


@dataclass(frozen=True)
class TaskDetail:
    """A human task, the fields of its form, and the case it belongs to (if a complaint)."""

    task: TaskRecord
    form_fields: list[dict[str, Any]]
    case: CaseRef | None


def task_record(host: WorkflowHost, task_id: str) -> TaskRecord | None:
    with host.session_factory() as session:
        found = session.get(HumanTask, task_id)
        return TaskRecord.of(found) if found is not None else None


def task_detail(host: WorkflowHost, task: TaskRecord) -> TaskDetail:
    with host.session_factory() as session:
        definition_id = session.scalar(
            select(ProcessInstance.definition_id).where(ProcessInstance.id == task.instance_id)
        )
        definition = host.runtime.definitions.get(definition_id, session=session)
        meta = definition.task_meta.get(task.task_name)
        case = case_refs([task.instance_id], session=session).get(task.instance_id)
    return TaskDetail(task, meta.as_dict()["form_fields"] if meta else [], case)


@dataclass(frozen=True)
class NotificationItem:
    id: int
    kind: str
    title: str
    created_at: datetime
    read: bool
    instance_id: int | None
    case: CaseRef | None


NOTIFICATIONS_SHOWN = 100


def notifications_of(host: WorkflowHost, recipients: list[str]) -> list[NotificationItem]:
    """The newest notifications addressed to any of ``recipients``, with their cases."""
    with host.session_factory() as session:
        rows = session.scalars(
            select(Notification)
            .where(Notification.recipient.in_(recipients))
            .order_by(Notification.id.desc())
            .limit(NOTIFICATIONS_SHOWN)
        ).all()
        cases = case_refs((n.instance_id for n in rows), session=session)
        return [
            NotificationItem(
                n.id,
                n.kind,
                n.title,
                n.created_at,
                n.read_at is not None,
                n.instance_id,
                cases.get(n.instance_id) if n.instance_id is not None else None,
            )
            for n in rows
        ]
