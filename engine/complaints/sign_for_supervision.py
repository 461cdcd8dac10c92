"""Read model of the dispatcher's supervision of cases nobody signed for (督办签收)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.complaints.models import Complaint, ComplaintStage
from engine.core.persistence.models import AuditEvent

SUPERVISE_SIGN_FOR_MESSAGE = "督办签收"


@dataclass(frozen=True)
class SignForSupervision:
    at: datetime
    actor: str
    note: str


def sign_for_supervisions(
    complaints: Sequence[Complaint], *, session: Session
) -> dict[int, SignForSupervision]:
    """The supervision of each complaint's open sign-for task, by complaint id (absent when
    the unit has not been pressed since that task started). The diagram catches the message
    once per sign-for task, so there is at most one."""
    waiting = {c.instance_id: c.id for c in complaints if c.instance_id and c.stage == "sign_for"}
    if not waiting:
        return {}
    started = dict(
        session.execute(
            select(ComplaintStage.complaint_id, ComplaintStage.started_at).where(
                ComplaintStage.complaint_id.in_(waiting.values()),
                ComplaintStage.stage == "sign_for",
                ComplaintStage.ended_at.is_(None),
            )
        ).all()
    )
    found: dict[int, SignForSupervision] = {}
    for event in session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.instance_id.in_(waiting),
            AuditEvent.action == "message.received",
        )
        .order_by(AuditEvent.id)
    ):
        detail = event.detail or {}
        complaint_id = waiting[event.instance_id]
        since = started.get(complaint_id)
        if detail.get("message") != SUPERVISE_SIGN_FOR_MESSAGE or since is None or event.at < since:
            continue
        note = (detail.get("data") or {}).get("supervision_note") or ""
        found[complaint_id] = SignForSupervision(event.at, event.actor, note)
    return found
