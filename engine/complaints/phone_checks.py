"""How many wrong phone numbers a report has seen lately, across all sessions."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from engine.complaints.models import PhoneCheckFailure

MAX_FAILURES = 5
WINDOW = timedelta(hours=24)


def recent_failures(complaint_id: int, *, now: datetime, session: Session) -> int:
    return session.scalar(
        select(func.count(PhoneCheckFailure.id)).where(
            PhoneCheckFailure.complaint_id == complaint_id,
            PhoneCheckFailure.at > now - WINDOW,
        )
    )


def locked(complaint_id: int, *, now: datetime, session: Session) -> bool:
    return recent_failures(complaint_id, now=now, session=session) >= MAX_FAILURES


def record_failure(complaint_id: int, *, now: datetime, session: Session) -> None:
    session.execute(insert(PhoneCheckFailure), {"complaint_id": complaint_id, "at": now})
