"""JSON shapes of complaints and tasks (public and staff views).

Instants are written in the county's time, with its offset (``2026-10-09T16:00:00+08:00``):
the same instant as UTC, but a date read off the string is the county's date.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from engine.complaints import CaseRef, CaseTask, CaseView, ComplaintRecord, StageDeadline
from engine.core import TaskView
from rules import CHINA_TZ
from web.actors import actor_label
from web.labels import STAGES, unit_name


def iso(value: datetime | None) -> str | None:
    """An aware instant in the county's time with its +08:00 offset."""
    return value.astimezone(CHINA_TZ).isoformat() if value is not None else None


def _unit_name(unit_id: str | None) -> str | None:
    return unit_name(unit_id) if unit_id else None


def public_json(complaint: ComplaintRecord) -> dict[str, Any]:
    """What anyone holding the tracking code may see: no personal data."""
    return {
        "tracking_code": complaint.tracking_code,
        "stage": complaint.stage,
        "stage_label": STAGES.get(complaint.stage, complaint.stage),
        "status": complaint.status,
        "matter": complaint.matter_name,
        "primary_unit": complaint.primary_unit,
        "primary_unit_name": _unit_name(complaint.primary_unit),
        "received_at": iso(complaint.received_at),
        "reply": complaint.reply_text,
        "closed_at": iso(complaint.closed_at),
    }


def complaint_json(complaint: ComplaintRecord) -> dict[str, Any]:
    return public_json(complaint) | {
        "id": complaint.id,
        "instance_id": complaint.instance_id,
        "channel": complaint.channel,
        "matter_id": complaint.matter_id,
        "township_id": complaint.township_id,
        "village_id": complaint.village_id,
        "grid_id": complaint.grid_id,
        "description": complaint.description,
        "supporting_units": complaint.supporting_units,
        "supporting_unit_names": [unit_name(u) for u in complaint.supporting_units],
        "catalog_version": complaint.catalog_version,
        "sign_for_due": iso(complaint.sign_for_due),
        "handle_due": iso(complaint.handle_due),
        "due_provisional": complaint.due_provisional,
        "overdue": complaint.overdue,
        "return_count": complaint.return_count,
        "extension_count": complaint.extension_count,
        "reopen_count": complaint.reopen_count,
        "satisfaction": complaint.satisfaction,
        "duplicate_of": complaint.duplicate_of,
        "valid": complaint.valid,
    }


def _deadline_json(deadline: StageDeadline) -> dict[str, Any]:
    return {
        "due": iso(deadline.due),
        "remind_at": iso(deadline.remind_at),
        "provisional": deadline.provisional,
    }


def _case_task_json(task: CaseTask, complaint: ComplaintRecord) -> dict[str, Any]:
    return {
        "id": task.id,
        "task_name": task.task_name,
        "title": task.title,
        "candidate_groups": task.candidate_groups,
        "candidate_group_names": [unit_name(g) for g in task.candidate_groups],
        "assignee": task.assignee,
        "created_at": iso(task.created_at),
        "due_at": iso(task.due_at),
        "complaint_id": complaint.id,
        "tracking_code": complaint.tracking_code,
    }


def case_detail_json(
    case: CaseView, tasks: list[CaseTask], deadlines: dict[str, StageDeadline]
) -> dict[str, Any]:
    """The staff view of one case: its open tasks, every stage deadline with its reminder
    time (contested, consultation, sign-for, handling, callback ...), stages and history."""
    complaint = case.complaint
    return complaint_json(complaint) | {
        "routing_explanation": case.explanation,
        "tasks": [_case_task_json(t, complaint) for t in tasks],
        "deadlines": {stage: _deadline_json(d) for stage, d in deadlines.items()},
        "stages": [
            {
                "stage": s.stage,
                "task_id": s.task_id,
                "unit": s.unit,
                "unit_name": _unit_name(s.unit),
                "started_at": iso(s.started_at),
                "due_at": iso(s.due_at),
                "ended_at": iso(s.ended_at),
                "outcome": s.outcome,
                "on_time": s.on_time,
            }
            for s in case.stages
        ],
        "timeline": [
            {
                "at": iso(e.at),
                "actor": e.actor,
                "actor_label": actor_label(e.actor),
                "action": e.action,
                "task": e.task_title,
                "detail": e.detail,
            }
            for e in case.timeline
        ],
    }


def task_json(task: TaskView | Any, case: CaseRef | None = None) -> dict[str, Any]:
    return {
        "id": task.id,
        "instance_id": task.instance_id,
        "complaint_id": case.complaint_id if case else None,
        "tracking_code": case.tracking_code if case else None,
        "case_title": case.title if case else None,
        "task_name": task.task_name,
        "title": task.title,
        "lane": task.lane,
        "candidate_groups": list(task.candidate_groups),
        "candidate_group_names": [unit_name(g) for g in task.candidate_groups],
        "assignee": task.assignee,
        "state": task.state,
        "created_at": iso(task.created_at),
    }
