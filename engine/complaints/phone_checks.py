"""How many wrong phone numbers a report has seen lately, across all sessions."""

from __future__ import annotations

import hmac
import re
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from engine.complaints.models import Complaint, PhoneCheckFailure

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


class PhoneCheck(StrEnum):
    OK = "ok"
    LOCKED = "locked"  # too many wrong numbers lately: the hotline must verify the caller
    MISMATCH = "mismatch"  # recorded as a failure


def _digits(phone: str | None) -> str:
    return re.sub(r"\D", "", phone or "")


def check_phone(
    complaint: Complaint, given: str | None, *, now: datetime, session: Session
) -> PhoneCheck:
    """Whether ``given`` is the phone number left with the report (digits compared in
    constant time); a wrong number counts towards the lock."""
    if locked(complaint.id, now=now, session=session):
        return PhoneCheck.LOCKED
    given_digits, expected = _digits(given), _digits(complaint.reporter_phone)
    if not expected or not given_digits or not hmac.compare_digest(given_digits, expected):
        record_failure(complaint.id, now=now, session=session)
        return PhoneCheck.MISMATCH
    return PhoneCheck.OK
