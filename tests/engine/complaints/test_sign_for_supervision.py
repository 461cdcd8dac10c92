"""The dispatcher supervises a unit that let the sign-for deadline pass (督办签收)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from engine.complaints.models import Complaint
from engine.complaints.sign_for_supervision import sign_for_supervisions
from engine.core.errors import EngineError
from engine.core.persistence.models import AuditEvent
from tests.engine.complaints.conftest import beijing
from tests.engine.complaints.helpers import do, move_to, notifications, report, task_names

MAJIAYING = "xiguocheng-002"  # D07-07: the water bureau signs for it


def _sign_for_due(desk, submitted) -> datetime:
    data = desk.host.instance_data(submitted.instance_id)
    return datetime.fromisoformat(data["sign_for_deadline"]["due"])


def test_dispatcher_supervises_a_case_nobody_signed_for(desk, clock):
    clock.set(beijing("2022-04-11 09:00"))
    submitted = report(desk, "D07-07", MAJIAYING)
    unit = desk.complaint(submitted.complaint_id).primary_unit
    due = _sign_for_due(desk, submitted)

    move_to(desk, due - timedelta(minutes=1))
    with pytest.raises(EngineError, match="尚未超过签收时限"):
        desk.supervise_sign_for(submitted.complaint_id, note="请签收", actor="dispatcher:zhao")

    move_to(desk, due + timedelta(days=9))  # 签收超时 fired nine days ago
    assert desk.complaint(submitted.complaint_id).overdue is True
    notified = desk.supervise_sign_for(
        submitted.complaint_id, note="请今日下班前签收", actor="dispatcher:zhao"
    )
    assert notified == unit
    (title,) = notifications(desk, unit, "sign_supervised")
    assert submitted.tracking_code in title and title.endswith("请今日下班前签收")
    # The sign-for task stays with the unit; one supervision per sign-for task.
    assert "sign_for" in task_names(desk, submitted)
    with desk.host.session_factory() as session:
        (done,) = sign_for_supervisions(
            [session.get(Complaint, submitted.complaint_id)], session=session
        ).values()
    assert (done.actor, done.note, done.at) == ("dispatcher:zhao", "请今日下班前签收", clock.now())
    with pytest.raises(EngineError, match="已督办过"):
        desk.supervise_sign_for(submitted.complaint_id, note="", actor="dispatcher:qian")
    assert len(notifications(desk, unit, "sign_supervised")) == 1
    with desk.host.session_factory() as session:
        audited = session.execute(
            select(AuditEvent.actor, AuditEvent.action)
            .where(AuditEvent.instance_id == submitted.instance_id)
            .where(AuditEvent.action == "message.received")
            .order_by(AuditEvent.id)
        ).all()
    assert [a for a, _ in audited] == ["dispatcher:zhao"]

    do(desk, submitted, "sign_for", {"decision": "accept"}, actor="staff:water")
    with pytest.raises(EngineError, match="已不在待签收环节"):
        desk.supervise_sign_for(submitted.complaint_id, note="再督办", actor="dispatcher:zhao")
    assert len(notifications(desk, unit, "sign_supervised")) == 1
    assert "handle" in task_names(desk, submitted)


def test_an_overlong_supervision_note_changes_nothing(desk, clock):
    clock.set(beijing("2022-04-11 09:00"))
    submitted = report(desk, "D07-07", MAJIAYING)
    move_to(desk, _sign_for_due(desk, submitted) + timedelta(hours=1))
    with pytest.raises(EngineError, match="不能超过 500 字"):
        desk.supervise_sign_for(submitted.complaint_id, note="催" * 501, actor="dispatcher")
    unit = desk.complaint(submitted.complaint_id).primary_unit
    assert notifications(desk, unit, "sign_supervised") == []
