"""JSON shapes of complaints and tasks (public and staff views)."""

from __future__ import annotations

from typing import Any

from engine.complaints.models import Complaint
from engine.host import TaskView
from web.labels import STAGES


def _iso(value) -> str | None:  # type: ignore[no-untyped-def]
    return value.isoformat() if value is not None else None


def public_json(complaint: Complaint) -> dict[str, Any]:
    """What anyone holding the tracking code may see: no personal data."""
    return {
        "tracking_code": complaint.tracking_code,
        "stage": complaint.stage,
        "stage_label": STAGES.get(complaint.stage, complaint.stage),
        "status": complaint.status,
        "matter": complaint.matter_name,
        "primary_unit": complaint.primary_unit,
        "received_at": _iso(complaint.received_at),
        "reply": complaint.reply_text,
        "closed_at": _iso(complaint.closed_at),
    }


def complaint_json(complaint: Complaint) -> dict[str, Any]:
    return public_json(complaint) | {
        "id": complaint.id,
        "channel": complaint.channel,
        "matter_id": complaint.matter_id,
        "township_id": complaint.township_id,
        "village_id": complaint.village_id,
        "grid_id": complaint.grid_id,
        "description": complaint.description,
        "supporting_units": complaint.supporting_units,
        "catalog_version": complaint.catalog_version,
        "sign_for_due": _iso(complaint.sign_for_due),
        "handle_due": _iso(complaint.handle_due),
        "due_provisional": complaint.due_provisional,
        "overdue": complaint.overdue,
        "return_count": complaint.return_count,
        "extension_count": complaint.extension_count,
        "reopen_count": complaint.reopen_count,
        "satisfaction": complaint.satisfaction,
        "duplicate_of": complaint.duplicate_of,
        "valid": complaint.valid,
    }


def task_json(task: TaskView | Any) -> dict[str, Any]:
    return {
        "id": task.id,
        "instance_id": task.instance_id,
        "task_name": task.task_name,
        "title": task.title,
        "lane": task.lane,
        "candidate_groups": list(task.candidate_groups),
        "assignee": task.assignee,
        "state": task.state,
        "created_at": _iso(task.created_at),
    }
