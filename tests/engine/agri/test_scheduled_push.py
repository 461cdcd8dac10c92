"""A seasonal push scheduled ahead is sent by the scheduler on its date, exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from engine.agri.models import PushReceipt
from engine.core.errors import EngineError, FieldErrors
from engine.core.persistence.models import Notification
from engine.scheduler import TimerScheduler
from tests.engine.complaints.conftest import beijing


def _counts(host, push_id):
    with host.session_factory() as s:
        receipts = s.scalar(
            select(func.count(PushReceipt.id)).where(PushReceipt.push_id == push_id)
        )
        notes = s.scalar(
            select(func.count(Notification.id)).where(Notification.kind == "agri_guidance")
        )
    return receipts, notes


def test_aphid_reminder_after_the_second_harvest_is_sent_once_on_its_date(world, host, clock):
    desk = world.desk
    send_at = beijing("2026-06-20 08:00")
    with pytest.raises(FieldErrors) as past:
        desk.create_push(
            crop="honeysuckle",
            title="蚜虫",
            body="x",
            townships=["dicun"],
            villages=[],
            send_at=clock.now() - timedelta(minutes=1),
            actor="expert_jyh",
        )
    assert set(past.value.errors) == {"send_at"}

    scheduler = TimerScheduler(host, worker_id="test")
    scheduler.start(paused=True)
    try:
        push_id = desk.create_push(
            crop="honeysuckle",
            title="第二茬花后注意蚜虫",
            body="第二茬花采摘完后蚜虫风险高，请及时查看叶背并预防",
            townships=["dicun"],
            villages=[],
            send_at=send_at,
            actor="expert_jyh",
        )
        assert desk.push(push_id).status == "scheduled"
        # The scheduler plans to wake right after the send time.
        assert timedelta(0) < scheduler.planned_wake - send_at < timedelta(seconds=1)

        clock.set(send_at - timedelta(minutes=1))
        scheduler.sweep_now()
        assert desk.push(push_id).status == "scheduled"
        assert _counts(host, push_id) == (0, 0)

        # A grower registered before the date is in the audience: it is taken when sending.
        desk.register_grower(
            name="新户", village_id="dicun-005", crops={"honeysuckle": 1}, actor="lujunfei"
        )
        clock.set(send_at + timedelta(seconds=2))
        scheduler.sweep_now()
        sent = desk.push(push_id)
        assert (sent.status, sent.recipients) == ("sent", 4)
        assert sent.sent_at == send_at + timedelta(seconds=2)
        assert _counts(host, push_id) == (4, 2)  # lujunfei for three growers, yangpeiwu

        clock.advance(timedelta(days=1))
        scheduler.sweep_now()
        host.sweep()
        assert _counts(host, push_id) == (4, 2)
        assert host.instance(sent.instance_id).status == "completed"
    finally:
        scheduler.shutdown()


def test_a_scheduled_push_withdrawn_before_its_date_reaches_nobody(world, host, clock):
    desk = world.desk
    send_at = beijing("2026-06-20 08:00")
    push_id = desk.create_push(
        crop="honeysuckle",
        title="蚜虫提醒",
        body="注意蚜虫",
        townships=["dicun"],
        villages=[],
        send_at=send_at,
        actor="expert_jyh",
    )
    desk.cancel_push(push_id, actor="expert_jyh")
    assert desk.push(push_id).status == "cancelled"
    clock.set(send_at + timedelta(days=1))
    host.sweep()
    assert desk.push(push_id).status == "cancelled"
    assert _counts(host, push_id) == (0, 0)
    with pytest.raises(EngineError):
        desk.cancel_push(push_id, actor="expert_jyh")
    sent = desk.create_push(
        crop="honeysuckle",
        title="立即",
        body="x",
        townships=["dicun"],
        villages=[],
        actor="expert_jyh",
    )
    with pytest.raises(EngineError, match="已发送"):
        desk.cancel_push(sent, actor="expert_jyh")
