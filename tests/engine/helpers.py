"""Factories for engine tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from engine import WorkflowHost
from engine.core.persistence.models import AuditEvent


def ticket_data(now: datetime, **overrides: Any) -> dict[str, Any]:
    """Start data for ``ticket.bpmn``: sign-for due in 4 h, reminder after 2 h."""
    data = {
        "unit": "unit:cgj",
        "reminders": 0,
        "sign_due": (now + timedelta(hours=4)).isoformat(),
        "remind_at": (now + timedelta(hours=2)).isoformat(),
    }
    data.update(overrides)
    return data


def start_ticket(host: WorkflowHost, **overrides: Any) -> int:
    return host.start("ticket", ticket_data(host.clock.now(), **overrides), actor="resident:1")


def only_task(host: WorkflowHost, instance_id: int):
    tasks = host.ready_tasks(instance_id=instance_id)
    assert len(tasks) == 1, tasks
    return tasks[0]


def audit_count(host: WorkflowHost, action: str, instance_id: int | None = None) -> int:
    with host.session_factory() as session:
        stmt = select(func.count(AuditEvent.id)).where(AuditEvent.action == action)
        if instance_id is not None:
            stmt = stmt.where(AuditEvent.instance_id == instance_id)
        return session.scalar(stmt)
