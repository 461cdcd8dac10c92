from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from engine import FormRejected, TaskAlreadyCompleted, TaskNotFound
from engine.core.persistence.models import AuditEvent, HumanTask
from tests.engine.helpers import audit_count, only_task, start_ticket


@pytest.fixture
def ticket(host, diagram):
    host.deploy(diagram("ticket.bpmn"), actor="designer")
    return host


def test_ready_tasks_carry_lane_and_assignment(ticket):
    iid = start_ticket(ticket, unit="unit:xgc")
    task = only_task(ticket, iid)
    assert (task.task_name, task.title, task.lane) == ("sign_for", "签收", "unit")
    assert task.candidate_groups == ["unit:xgc"]
    assert [t.id for t in ticket.ready_tasks(group="unit:xgc")] == [task.id]
    assert ticket.ready_tasks(group="unit:other") == []
    assert [t.id for t in ticket.ready_tasks(lane="unit")] == [task.id]


def test_full_lifecycle_records_every_step(ticket):
    iid = start_ticket(ticket)
    ticket.complete_task(only_task(ticket, iid).id, {"note": "收到"}, actor="staff:a")
    handle = only_task(ticket, iid)
    assert handle.task_name == "handle"
    ticket.complete_task(handle.id, {"reply": "已清运", "satisfied": "true"}, actor="staff:a")
    verify = only_task(ticket, iid)
    assert (verify.lane, verify.candidate_groups) == ("dispatcher", ["dispatcher"])
    ticket.complete_task(verify.id, {"verdict": "ok"}, actor="dispatcher:zhao")
    row = ticket.instance(iid)
    assert row.status == "completed" and row.completed_at is not None
    assert ticket.ready_tasks(instance_id=iid) == []
    data = ticket.instance_data(iid)
    assert (data["reply"], data["satisfied"], data["verdict"]) == ("已清运", True, "ok")
    with ticket.session_factory() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.instance_id == iid).order_by(AuditEvent.id)
        ).all()
        finished = session.scalars(
            select(HumanTask.completed_by).where(HumanTask.instance_id == iid)
        ).all()
    assert [e.action for e in events] == ["instance.started"] + ["task.completed"] * 3
    assert [e.actor for e in events] == ["resident:1", "staff:a", "staff:a", "dispatcher:zhao"]
    assert events[1].before["ready"] == ["sign_for"] and events[1].after["ready"] == ["handle"]
    assert events[3].after["completed"] is True
    assert sorted(finished) == ["dispatcher:zhao", "staff:a", "staff:a"]


@pytest.mark.parametrize(
    ("form", "field", "reason"),
    [
        ({"reply": "好", "unit": "unit:hijack"}, "unit", "不接受"),
        ({"satisfied": "true"}, "reply", "必填"),
        ({"reply": "好", "satisfied": "maybe"}, "satisfied", "是/否"),
        ({"reply": {"nested": object()}}, "reply", "不被接受"),
    ],
)
def test_form_outside_the_whitelist_changes_nothing(ticket, form, field, reason):
    iid = start_ticket(ticket)
    ticket.complete_task(only_task(ticket, iid).id, {}, actor="staff:a")
    handle = only_task(ticket, iid)
    version = ticket.instance(iid).version
    events = audit_count(ticket, "task.completed")
    with pytest.raises(FormRejected) as caught:
        ticket.complete_task(handle.id, form, actor="staff:a")
    assert field in caught.value.errors and reason in caught.value.errors[field]
    assert ticket.instance(iid).version == version
    assert audit_count(ticket, "task.completed") == events
    assert only_task(ticket, iid).id == handle.id
    assert ticket.instance_data(iid)["unit"] == "unit:cgj"


def test_enum_field_accepts_only_its_values(ticket):
    iid = start_ticket(ticket)
    for form in ({}, {"reply": "好"}):
        ticket.complete_task(only_task(ticket, iid).id, form, actor="staff:a")
    with pytest.raises(FormRejected, match="ok、redo"):
        ticket.complete_task(only_task(ticket, iid).id, {"verdict": "yes"}, actor="d")


def test_completing_twice_says_who_did_it(ticket):
    iid = start_ticket(ticket)
    task = only_task(ticket, iid)
    ticket.complete_task(task.id, {}, actor="staff:li")
    with pytest.raises(TaskAlreadyCompleted, match="staff:li"):
        ticket.complete_task(task.id, {}, actor="staff:wang")
    with pytest.raises(TaskNotFound):
        ticket.complete_task("00000000-0000-0000-0000-000000000000", {}, actor="x")


def test_task_withdrawn_by_a_timer_cannot_be_completed(ticket, clock):
    from datetime import timedelta

    iid = start_ticket(ticket)
    task = only_task(ticket, iid)
    ticket.sweep(clock.now() + timedelta(days=1))
    with pytest.raises(TaskAlreadyCompleted, match="不再需要办理"):
        ticket.complete_task(task.id, {}, actor="staff:late")


def test_save_and_restore_gives_the_same_state(ticket):
    iid = start_ticket(ticket)
    row = ticket.instance(iid)
    with ticket.session_factory() as session:
        from engine.core.instance_rows import load_instance
        from engine.core.instances import load_workflow

        workflow, _ = load_workflow(
            load_instance(iid, session=session), ticket.runtime, session=session
        )
    assert ticket.runtime.serializer.dump_workflow(workflow) == row.state_json


def test_audit_log_is_append_only_in_the_database(ticket):
    start_ticket(ticket)
    for statement in ("UPDATE audit_event SET actor = 'someone else'", "DELETE FROM audit_event"):
        with pytest.raises(DatabaseError, match="append-only"), ticket.session_factory.begin() as s:
            s.execute(text(statement))
    assert audit_count(ticket, "instance.started") == 1


def test_every_row_carries_its_county(ticket, diagram):
    ticket.deploy(diagram("ticket.bpmn"), actor="designer", county="xingtai-ningjin")
    iid = ticket.start(
        "ticket",
        {"unit": "u", "reminders": 0, "sign_due": "2027-01-01T00:00:00+00:00",
         "remind_at": "2027-01-01T00:00:00+00:00"},
        actor="r",
        county="xingtai-ningjin",
    )  # fmt: skip
    assert ticket.instance(iid).county == "xingtai-ningjin"
    assert ticket.ready_tasks(county="xingtai-ningjin")[0].instance_id == iid
    assert all(t.instance_id != iid for t in ticket.ready_tasks())
    assert [
        t.instance_id for t in ticket.ready_tasks(instance_id=iid, county="xingtai-ningjin")
    ] == [iid]
    assert ticket.ready_tasks(instance_id=iid) == [], "another county's case shows no tasks"


def test_one_cases_tasks_are_read_through_its_instance_not_the_countys_queue(ticket):
    """SQLite without statistics picked the county queue index and read every ready task
    of the county for one case: each step grew dearer with the open backlog."""
    iids = [start_ticket(ticket) for _ in range(30)]
    assert [t.instance_id for t in ticket.ready_tasks(instance_id=iids[7])] == [iids[7]]
    from engine.core.host import _READY_TASKS_OF_INSTANCE

    with ticket.session_factory() as session:
        compiled = _READY_TASKS_OF_INSTANCE.compile(session.get_bind())
        values = compiled.construct_params({"b_instance": iids[7], "b_county": "julu"})
        order = compiled.positiontup or []
        if session.get_bind().dialect.name != "sqlite":
            pytest.skip("PostgreSQL plans from its own statistics")
        plan = (
            session.connection()
            .exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", tuple(values[n] for n in order))
            .all()
        )
    assert "ix_human_task_instance_id" in " ".join(str(row[-1]) for row in plan)
