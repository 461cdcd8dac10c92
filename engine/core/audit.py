"""The append-only audit log: one call per step, in the step's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from engine.core.persistence.models import AuditEvent

_INSERT = insert(AuditEvent.__table__)


def record_event(
    *,
    county: str,
    at: datetime,
    actor: str,
    action: str,
    instance_id: int | None = None,
    task_id: str | None = None,
    task_name: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: dict[str, Any] | None = None,
    session: Session,
) -> None:
    session.connection().execute(
        _INSERT,
        {
            "county": county,
            "at": at,
            "actor": actor,
            "action": action,
            "instance_id": instance_id,
            "task_id": task_id,
            "task_name": task_name,
            "before": before,
            "after": after,
            "detail": detail,
        },
    )
