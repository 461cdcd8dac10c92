"""A person's notifications: the list, the unread count in the header, marking them read.

A person reads what is addressed to them or to any group they act for (``recipients``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from engine.core.host import WorkflowHost
from engine.core.persistence.models import Notification
from engine.core.transactions import run_step

SHOWN = 200


@dataclass(frozen=True)
class NotificationRecord:
    id: int
    county: str
    recipient: str
    kind: str
    title: str
    body: str | None
    instance_id: int | None
    task_id: str | None
    created_at: datetime
    read_at: datetime | None


def unread_notifications(host: WorkflowHost, recipients: Sequence[str], *, county: str) -> int:
    with host.session_factory() as session:
        return (
            session.scalar(
                select(func.count(Notification.id)).where(
                    Notification.county == county,
                    Notification.recipient.in_(list(recipients)),
                    Notification.read_at.is_(None),
                )
            )
            or 0
        )


def notifications_for(
    host: WorkflowHost, recipients: Sequence[str], *, limit: int = SHOWN
) -> list[NotificationRecord]:
    """The newest notifications addressed to any of ``recipients``."""
    with host.session_factory() as session:
        rows = session.scalars(
            select(Notification)
            .where(Notification.recipient.in_(list(recipients)))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        ).all()
        names = [f.name for f in fields(NotificationRecord)]
        return [NotificationRecord(**{n: getattr(row, n) for n in names}) for row in rows]


def mark_notifications_read(
    host: WorkflowHost, recipients: Sequence[str], *, notification_id: int | None = None
) -> None:
    """Mark one notification (or every unread one) of ``recipients`` as read now."""

    def step(session: Session) -> None:
        stmt = update(Notification).where(
            Notification.recipient.in_(list(recipients)), Notification.read_at.is_(None)
        )
        if notification_id is not None:
            stmt = stmt.where(Notification.id == notification_id)
        session.execute(stmt.values(read_at=host.clock.now()))

    run_step(host.session_factory, step)
