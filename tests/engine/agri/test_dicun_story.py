"""The 堤村乡 story on virtual time: a grid worker in 孔寨村 reports drying honeysuckle leaves,
an expert diagnoses over-watering and disease, guidance goes to every honeysuckle grower of
堤村乡, read receipts are counted and the grower rates the help."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from engine.core.errors import FieldErrors, FormRejected, NotPermitted
from engine.core.persistence.models import Notification


def _notifications(host, recipient: str, kind: str) -> list[str]:
    with host.session_factory() as s:
        return list(
            s.scalars(
                select(Notification.title).where(
                    Notification.recipient == recipient, Notification.kind == kind
                )
            )
        )


def test_the_dicun_leaf_blight_end_to_end(world, host, clock):
    desk, people, growers = world.desk, world.people, world.growers
    gridworker, expert = people["lujunfei"], people["expert_jyh"]

    cid = desk.ask(
        grower_id=growers["lujunfei"],
        crop="honeysuckle",
        symptom="leaf_drying",
        description="自家地里金银花叶子干枯，周边种植户也有这种情况，请专家指导田间管理",
        account=gridworker,
    )
    asked = desk.consultation(cid)
    # Routed by the catalog's agriculture domain, to the honeysuckle specialist.
    assert (asked.unit, asked.matter_id, asked.expert) == ("agriculture", "D10-02", "expert_jyh")
    assert asked.stage == "expert" and asked.township_id == "dicun"
    task = desk.ready_task(asked)
    assert task is not None and task[1:] == ("expert_reply", ["expert:expert_jyh"])
    assert "新任务：专家答复" in _notifications(host, "expert:expert_jyh", "task")

    # Another expert may not answer, and a conclusion needs diagnosis and guidance.
    with pytest.raises(NotPermitted):
        desk.expert_reply(
            cid,
            {"reply_kind": "ask", "message": "?"},
            actor="expert_wheat",
            groups=people["expert_wheat"].groups,
        )
    with pytest.raises(FormRejected) as rejected:
        desk.expert_reply(
            cid,
            {"reply_kind": "conclude", "message": "见下"},
            actor=expert.username,
            groups=expert.groups,
        )
    assert set(rejected.value.errors) == {"diagnosis", "guidance"}

    clock.advance(timedelta(hours=2))
    desk.expert_reply(
        cid,
        {"reply_kind": "ask", "message": "多久浇一次水？地里是不是一直很湿？"},
        actor=expert.username,
        groups=expert.groups,
    )
    assert desk.consultation(cid).stage == "grower"
    clock.advance(timedelta(hours=1))
    desk.grower_reply(
        cid, "几乎天天浇，地一直是湿的", actor=gridworker.username, groups=gridworker.groups
    )
    clock.advance(timedelta(hours=1))
    desk.expert_reply(
        cid,
        {
            "reply_kind": "conclude",
            "message": "是浇水过多导致的",
            "diagnosis": "浇水过多，土壤过度湿润，引发病菌滋生",
            "guidance": "修剪病枝、换土移盆、晒干土壤，暂停浇水一周",
            "widespread": "true",
        },
        actor=expert.username,
        groups=expert.groups,
    )
    concluded = desk.consultation(cid)
    assert concluded.stage == "rating" and concluded.widespread
    assert concluded.diagnosis.startswith("浇水过多")
    assert len(_notifications(host, "lead:agriculture", "agri_widespread")) == 1
    assert concluded.first_answer_at - concluded.asked_at == timedelta(hours=2)
    sides = [m.side for m in desk.messages(cid) if m.side != "system"]
    assert sides == ["grower", "expert", "grower", "expert"]

    # Guidance to every honeysuckle grower of 堤村乡: the preview, then the push.
    preview = desk.preview("honeysuckle", ["dicun"], [])
    assert preview == [("dicun-002", 2, 5.5), ("dicun-003", 1, 20.0)]
    push_id = desk.create_push(
        crop="honeysuckle",
        title="金银花叶枯病防治：修剪、换土、晒土",
        body=concluded.guidance,
        townships=["dicun"],
        villages=[],
        consultation_id=cid,
        actor=expert.username,
    )
    push = desk.push(push_id)
    assert push.status == "sent" and push.recipients == 3
    reached = {g.name: r.recipient for r, g in desk.receipts(push_id)}
    # The neighbour without a smartphone is reached through the grid worker who registered her.
    assert reached == {"卢俊飞": "lujunfei", "刘彩平": "lujunfei", "杨培武": "yangpeiwu"}
    assert len(_notifications(host, "lujunfei", "agri_guidance")) == 1  # one per recipient
    assert _notifications(host, "yangpeiwu", "agri_guidance") == [
        "农技指导：金银花叶枯病防治：修剪、换土、晒土"
    ]

    # Read receipts: the grower confirms, the grid worker for his neighbour; one stays unread.
    own = {g.name: r.id for r, g in desk.receipts(push_id)}
    assert desk.confirm_read(own["杨培武"], actor="yangpeiwu", recipients=["yangpeiwu"])
    assert not desk.confirm_read(own["刘彩平"], actor="yangpeiwu", recipients=["yangpeiwu"])
    assert desk.confirm_read(own["刘彩平"], actor="lujunfei", recipients=["lujunfei"])
    assert not desk.confirm_read(own["刘彩平"], actor="lujunfei", recipients=["lujunfei"])
    unread = [g.name for r, g in desk.receipts(push_id) if r.read_at is None]
    assert unread == ["卢俊飞"]

    # The grower rates the help; the consultation closes.
    with pytest.raises(FieldErrors):
        desk.rate(cid, "6", actor=gridworker.username, groups=gridworker.groups)
    desk.rate(cid, "5", "专家很及时", actor=gridworker.username, groups=gridworker.groups)
    closed = desk.consultation(cid)
    assert (closed.stage, closed.rating, closed.close_reason) == ("closed", 5, "rated")
    assert host.instance(closed.instance_id).status == "completed"


def test_a_grower_with_an_account_asks_for_himself_only(world):
    desk, people, growers = world.desk, world.people, world.growers
    with pytest.raises(FieldErrors) as refused:
        desk.ask(
            grower_id=growers["lujunfei"],
            crop="honeysuckle",
            symptom="pests",
            description="有蚜虫",
            account=people["yangpeiwu"],
        )
    assert "grower_id" in refused.value.errors
    with pytest.raises(FieldErrors) as bad:
        desk.ask(
            grower_id=growers["yangpeiwu"],
            crop="rice",
            symptom="nothing",
            description="  ",
            account=people["yangpeiwu"],
        )
    assert set(bad.value.errors) == {"crop", "symptom", "description"}
    cid = desk.ask(
        grower_id=growers["yangpeiwu"],
        crop="wheat",
        symptom="pests",
        description="麦子上有蚜虫",
        account=people["yangpeiwu"],
    )
    assert desk.consultation(cid).expert == "expert_wheat"


def test_a_field_visit_is_planned_and_reminded_on_its_morning(world, host, clock):
    desk, people, growers = world.desk, world.people, world.growers
    grower, expert = people["yangpeiwu"], people["expert_jyh"]
    cid = desk.ask(
        grower_id=growers["yangpeiwu"],
        crop="honeysuckle",
        symptom="root_rot",
        description="根部发黑",
        account=grower,
    )
    with pytest.raises(FieldErrors):
        desk.expert_reply(
            cid,
            {
                "reply_kind": "conclude",
                "message": "去看看",
                "diagnosis": "疑似根腐",
                "guidance": "控水",
                "visit_date": "2026-03-01",
            },
            actor=expert.username,
            groups=expert.groups,
        )
    desk.expert_reply(
        cid,
        {
            "reply_kind": "conclude",
            "message": "去看看",
            "diagnosis": "疑似根腐",
            "guidance": "控水",
            "visit_date": "2026-03-04",
        },
        actor=expert.username,
        groups=expert.groups,
    )
    assert desk.consultation(cid).stage == "visit"
    assert any("3月4日" in t for t in _notifications(host, "grower:yangpeiwu", "agri_visit"))
    clock.advance(timedelta(days=1, hours=23))  # Wednesday 07:00 Beijing: not yet
    host.sweep()
    assert not any(
        t.startswith("今天") for t in _notifications(host, "grower:yangpeiwu", "agri_visit")
    )
    clock.advance(timedelta(minutes=31))
    host.sweep()
    assert any(t.startswith("今天") for t in _notifications(host, "grower:yangpeiwu", "agri_visit"))
    desk.record_visit(cid, "根腐病，已指导拔除病株", actor=expert.username, groups=expert.groups)
    assert desk.consultation(cid).visit_findings.startswith("根腐病")
    assert desk.consultation(cid).stage == "rating"


def test_guidance_reaches_only_growers_of_the_crop_in_the_chosen_places(world, host):
    desk = world.desk
    assert desk.preview("honeysuckle", [], ["dicun-003", "xiguocheng-002"]) == [
        ("dicun-003", 1, 20.0),
        ("xiguocheng-002", 1, 4.0),
    ]
    assert desk.preview("wheat", ["dicun"], []) == [("dicun-001", 1, 12.0), ("dicun-003", 1, 8.0)]
    with pytest.raises(FieldErrors) as bad:
        desk.create_push(
            crop="honeysuckle",
            title="",
            body="x",
            townships=["nowhere"],
            villages=[],
            actor="expert_jyh",
        )
    assert set(bad.value.errors) == {"title", "townships"}
    with host.session_factory() as s:
        from engine.agri.models import GuidancePush

        assert s.scalar(select(func.count(GuidancePush.id))) == 0
