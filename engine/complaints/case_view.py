"""Everything the case page shows: the complaint, its stages, its audit trail, its routing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.complaints.models import Complaint, ComplaintStage
from engine.persistence.models import AuditEvent, HumanTask

ACTION_LABELS = {
    "instance.started": "受理并按清单派单",
    "task.completed": "办理",
    "timer.fired": "时限到达",
    "message.received": "调度操作",
    "timer.incident": "定时器异常",
    "task.reassigned": "改派办理人",
}


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str
    action: str
    task_title: str | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class CaseView:
    complaint: Complaint
    stages: list[ComplaintStage]
    timeline: list[TimelineEntry]
    open_tasks: list[HumanTask]
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
    return CaseView(complaint, stages, timeline, open_tasks, complaint.routing_explanation)
