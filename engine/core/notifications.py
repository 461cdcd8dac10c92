"""In-app notifications, written in the step that causes them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from engine.core.persistence.models import Notification

_INSERT = insert(Notification.__table__)


def notify(
    recipients: Iterable[str],
    *,
    county: str,
    kind: str,
    title: str,
    body: str | None = None,
    instance_id: int | None = None,
    task_id: str | None = None,
    now: datetime,
    session: Session,
) -> int:
    """Store one notification per distinct recipient. Returns how many were written."""
    rows = [
        {
            "county": county,
            "recipient": recipient,
            "kind": kind,
            "title": title,
            "body": body,
            "instance_id": instance_id,
            "task_id": task_id,
            "created_at": now,
        }
        for recipient in dict.fromkeys(r for r in recipients if r)
    ]
    if rows:
        session.connection().execute(_INSERT, rows)
    return len(rows)
