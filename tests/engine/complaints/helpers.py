"""Small verbs for lifecycle tests: report, find a task, do it, move the clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from engine.complaints.desk import ComplaintDesk, Submitted
from engine.complaints.intake import ComplaintReport
from engine.core.host import TaskView
from engine.core.persistence.models import Notification
from rules import CHINA_TZ


def report(desk: ComplaintDesk, matter: str | None, village: str, **fields: Any) -> Submitted:
    fields.setdefault("channel", "app")
    fields.setdefault("description", "群众反映的问题")
    fields.setdefault("reporter_account", "resident-1")
    return desk.submit(
        ComplaintReport(matter_id=matter, village_id=village, **fields), actor="resident:1"
    )


def tasks(desk: ComplaintDesk, submitted: Submitted) -> list[TaskView]:
    return desk.host.ready_tasks(instance_id=submitted.instance_id)


def task_names(desk: ComplaintDesk, submitted: Submitted) -> list[str]:
    return sorted(t.task_name for t in tasks(desk, submitted))


def task(
    desk: ComplaintDesk, submitted: Submitted, name: str, group: str | None = None
) -> TaskView:
    found = [
        t
        for t in tasks(desk, submitted)
        if t.task_name == name and (group is None or group in t.candidate_groups)
    ]
    assert len(found) == 1, f"expected one ready {name!r}, have {task_names(desk, submitted)}"
    return found[0]


def do(
    desk: ComplaintDesk,
    submitted: Submitted,
    name: str,
    form: dict[str, Any] | None = None,
    *,
    actor: str = "staff",
    group: str | None = None,
) -> None:
    desk.host.complete_task(task(desk, submitted, name, group).id, form or {}, actor=actor)


def move_to(desk: ComplaintDesk, instant: datetime) -> None:
    """Set the virtual clock and fire every timer due by then (one sweep)."""
    desk.host.clock.set(instant)
    desk.host.sweep(instant)


def notifications(desk: ComplaintDesk, recipient: str, kind: str | None = None) -> list[str]:
    with desk.host.session_factory() as session:
        stmt = select(Notification.title).where(Notification.recipient == recipient)
        if kind is not None:
            stmt = stmt.where(Notification.kind == kind)
        return list(session.scalars(stmt.order_by(Notification.id)))


def local(instant: datetime | None) -> str | None:
    return instant.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M") if instant else None
