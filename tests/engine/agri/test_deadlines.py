"""Each side's reply deadline on virtual time: reminders, escalation of an unanswered
question to the bureau's lead, a silent grower, an unrated consultation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.core.errors import EngineError
from engine.core.persistence.models import Notification
from tests.engine.complaints.conftest import beijing


def _titles(host, recipient: str, kind: str) -> list[str]:
    with host.session_factory() as s:
        return list(
            s.scalars(
                select(Notification.title).where(
                    Notification.recipient == recipient, Notification.kind == kind
                )
            )
        )


def _ask(world):
    return world.desk.ask(
        grower_id=world.growers["yangpeiwu"],
        crop="honeysuckle",
        symptom="pests",
        description="第二茬花后叶背有小虫",
        account=world.people["yangpeiwu"],
    )


def test_an_unanswered_question_escalates_to_the_lead_on_time(world, host, clock):
    desk, lead = world.desk, world.people["agri_lead"]
    cid = _ask(world)  # Monday 2 March 08:00
    due = desk.consultation(cid).due_at
    assert due == beijing("2026-03-03 18:00")  # one working day, close of business
    clock.set(due - timedelta(minutes=1))
    host.sweep()
    assert desk.consultation(cid).escalations == 0
    assert len(_titles(host, "expert:expert_jyh", "agri_reminder")) == 1  # at 80 %
    assert _titles(host, "lead:agriculture", "agri_escalation") == []

    clock.set(due + timedelta(seconds=2))
    host.sweep()
    escalated = desk.consultation(cid)
    assert escalated.escalations == 1 and escalated.stage == "expert"
    assert _titles(host, "lead:agriculture", "agri_escalation") == [
        "农技咨询 #1（金银花）逾期未答复，已升级（第 1 次）"
    ]
    # Both the expert and the lead may answer now, under a fresh deadline.
    task = desk.ready_task(escalated)
    assert task is not None and set(task[2]) == {"expert:expert_jyh", "lead:agriculture"}
    assert escalated.due_at == beijing("2026-03-04 18:00")
    host.sweep()  # a second sweep fires nothing again
    assert desk.consultation(cid).escalations == 1

    desk.expert_reply(
        cid,
        {
            "reply_kind": "conclude",
            "message": "局里答复",
            "diagnosis": "蚜虫",
            "guidance": "及时喷药预防",
        },
        actor=lead.username,
        groups=lead.groups,
    )
    answered = desk.consultation(cid)
    assert answered.stage == "rating" and answered.concluded_by == "agri_lead"
    assert [m.side for m in desk.messages(cid)][-1] == "lead"


def test_a_silent_grower_hands_the_question_back_then_unrated_closes(world, host, clock):
    desk, expert = world.desk, world.people["expert_jyh"]
    cid = _ask(world)
    desk.expert_reply(
        cid,
        {"reply_kind": "ask", "message": "虫是什么颜色？"},
        actor=expert.username,
        groups=expert.groups,
    )
    due = desk.consultation(cid).due_at
    assert due == beijing("2026-03-05 18:00")  # three working days for the grower
    clock.set(due + timedelta(seconds=2))
    host.sweep()
    back = desk.consultation(cid)
    assert back.stage == "expert" and back.escalations == 0
    assert len(_titles(host, "grower:yangpeiwu", "agri_reminder")) == 1
    assert "种植户未在期限内回复" in desk.messages(cid)[-1].body

    desk.expert_reply(
        cid,
        {
            "reply_kind": "conclude",
            "message": "按蚜虫处理",
            "diagnosis": "蚜虫",
            "guidance": "喷药",
        },
        actor=expert.username,
        groups=expert.groups,
    )
    rating_due = desk.consultation(cid).due_at
    clock.set(rating_due + timedelta(seconds=2))
    host.sweep()
    closed = desk.consultation(cid)
    assert (closed.stage, closed.rating, closed.close_reason) == ("closed", None, "unrated")


def test_after_escalation_the_first_answer_wins_and_the_other_is_told_who(world, host, clock):
    desk, lead, expert = world.desk, world.people["agri_lead"], world.people["expert_jyh"]
    cid = _ask(world)
    clock.set(desk.consultation(cid).due_at + timedelta(seconds=2))
    host.sweep()
    conclusion = {
        "reply_kind": "conclude",
        "message": "答复",
        "diagnosis": "蚜虫",
        "guidance": "喷药",
    }
    desk.expert_reply(cid, conclusion, actor=lead.username, groups=lead.groups)
    with pytest.raises(EngineError) as late:
        desk.expert_reply(cid, conclusion, actor=expert.username, groups=expert.groups)
    assert "当前不在这一步" in str(late.value)
    answers = [m for m in desk.messages(cid) if m.side in ("expert", "lead")]
    assert [m.author for m in answers] == ["agri_lead"]
