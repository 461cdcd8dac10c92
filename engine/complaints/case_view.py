"""Everything the case page shows: the complaint, its stages, its audit trail, its routing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.complaints.models import Complaint, ComplaintStage
from engine.complaints.read_models.records import ComplaintRecord, StageRecord, TaskRecord
from engine.core.persistence.models import AuditEvent, HumanTask

ACTION_LABELS = {
    "instance.started": "受理并按清单派单",
    "task.completed": "办理",
    "timer.fired": "时限到达",
    "message.received": "调度操作",
    "timer.incident": "定时器异常",
    "task.reassigned": "改派办理人",
}


# Process variables holding a stage's deadline ({"due", "remind_at", ...}), by stage.
DEADLINE_VARIABLES = {
    "jurisdiction": "jurisdiction_deadline",
    "contested": "contested_deadline",
    "consultation": "consultation_deadline",
    "sign_for": "sign_for_deadline",
    "handle": "handle_deadline",
    "callback": "callback_deadline",
}
# The deadline that applies to each user task (tasks not named here have none of their own).
TASK_DEADLINES = {
    "determine": "jurisdiction",
    "adjudicate": "contested",
    "state_position": "consultation",
    "sign_for": "sign_for",
    "handle": "handle",
    "callback": "callback",
}


@dataclass(frozen=True)
class StageDeadline:
    due: datetime | None
    remind_at: datetime | None
    provisional: bool


@dataclass(frozen=True)
class CaseTask:
    id: str
    task_name: str
    title: str
    candidate_groups: list[str]
    assignee: str | None
    created_at: datetime
    due_at: datetime | None


def _instant(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def stage_deadlines(data: dict[str, Any]) -> dict[str, StageDeadline]:
    """Every stage deadline the instance has scheduled so far, from its process variables
    (the freshest copy: a reopened round's or an extension's replaces the earlier one)."""
    found: dict[str, StageDeadline] = {}
    for stage, variable in DEADLINE_VARIABLES.items():
        value = data.get(variable)
        if isinstance(value, dict) and value.get("due"):
            found[stage] = StageDeadline(
                _instant(value.get("due")),
                _instant(value.get("remind_at")),
                bool(value.get("provisional")),
            )
    return found


def case_tasks(case: CaseView, deadlines: dict[str, StageDeadline]) -> list[CaseTask]:
    """The open tasks of a case with their due instants: the stage record's own deadline
    where the task has one, else the deadline of the task's stage."""
    stage_due = {s.task_id: s.due_at for s in case.stages if s.due_at is not None}
    result = []
    for t in case.open_tasks:
        deadline = deadlines.get(TASK_DEADLINES.get(t.task_name, ""))
        due = stage_due.get(t.id) or (deadline.due if deadline else None)
        result.append(
            CaseTask(
                t.id, t.task_name, t.title, list(t.candidate_groups), t.assignee, t.created_at, due
            )
        )
    return result


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str
    action: str
    task_title: str | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class CaseView:
    complaint: ComplaintRecord
    stages: list[StageRecord]
    timeline: list[TimelineEntry]
    open_tasks: list[TaskRecord]
    explanation: str | None

    @property
    def involved_units(self) -> set[str]:
        return {s.unit for s in self.stages if s.unit}


def load_case(complaint_id: int, *, session: Session) -> CaseView | None:
    complaint = session.get(Complaint, complaint_id)
    if complaint is None:
        return None
    stages = list(
        session.scalars(
            select(ComplaintStage)
            .where(ComplaintStage.complaint_id == complaint_id)
            .order_by(ComplaintStage.started_at, ComplaintStage.id)
        )
    )
    titles: dict[str, str] = {}
    open_tasks: list[HumanTask] = []
    events: list[AuditEvent] = []
    if complaint.instance_id is not None:
        tasks = session.scalars(
            select(HumanTask).where(HumanTask.instance_id == complaint.instance_id)
        ).all()
        titles = {t.id: t.title for t in tasks}
        open_tasks = [t for t in tasks if t.state == "ready"]
        events = list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.instance_id == complaint.instance_id)
                .order_by(AuditEvent.at, AuditEvent.id)
            )
        )
    timeline = [
        TimelineEntry(
            at=e.at,
            actor=e.actor,
            action=ACTION_LABELS.get(e.action, e.action),
            task_title=titles.get(e.task_id or "", e.task_name),
            detail=(e.detail or {}).get("form")
            or {k: v for k, v in (e.detail or {}).items() if k in ("timer", "message")},
        )
        for e in events
    ]
    return CaseView(
        ComplaintRecord.of(complaint),
        [StageRecord.of(s) for s in stages],
        timeline,
        [TaskRecord.of(t) for t in open_tasks],
        complaint.routing_explanation,
    )


SHORT_TITLE = 20


@dataclass(frozen=True)
class CaseRef:
    """How a case is named beside a task or notification: its code and a short title."""

    complaint_id: int
    tracking_code: str
    title: str

    @property
    def label(self) -> str:
        return f"{self.tracking_code} {self.title}"


def short_title(matter_name: str | None, description: str | None) -> str:
    """The matter's name, or (no matter chosen yet) the start of the description."""
    if matter_name:
        return matter_name
    text = " ".join((description or "").split())
    if not text:
        return "未选择事项类别"
    return text if len(text) <= SHORT_TITLE else text[: SHORT_TITLE - 1] + "…"


def case_refs(instance_ids: Iterable[int | None], *, session: Session) -> dict[int, CaseRef]:
    """The case behind each process instance that is a complaint (others are left out)."""
    ids = sorted({i for i in instance_ids if i is not None})
    if not ids:
        return {}
    rows = session.scalars(select(Complaint).where(Complaint.instance_id.in_(ids)))
    return {
        c.instance_id: CaseRef(c.id, c.tracking_code, short_title(c.matter_name, c.description))
        for c in rows
        if c.instance_id is not None
    }
