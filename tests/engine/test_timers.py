from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.core.persistence.models import AuditEvent, Incident, ProcessInstance
from tests.engine.helpers import audit_count, only_task, start_ticket


def fired_timers(host, instance_id):
    with host.session_factory() as session:
        events = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.instance_id == instance_id, AuditEvent.action == "timer.fired")
            .order_by(AuditEvent.id)
        ).all()
    return [e.detail["timer"] for e in events]


@pytest.fixture
def ticket(host, diagram):
    host.deploy(diagram("ticket.bpmn"), actor="designer")
    return host


def test_deadline_and_reminder_fire_right_after_due_and_not_before(ticket, clock):
    t0 = clock.now()
    iid = start_ticket(ticket)
    assert ticket.instance(iid).next_due_at == t0 + timedelta(hours=2)

    # One second before the reminder: nothing.
    result = ticket.sweep(t0 + timedelta(hours=2) - timedelta(seconds=1))
    assert result.fired == 0 and result.claimed == 0
    assert fired_timers(ticket, iid) == []

    # Right after: the non-interrupting reminder fires once, the task stays with the unit.
    result = ticket.sweep(t0 + timedelta(hours=2, seconds=1))
    assert (result.claimed, result.fired) == (1, 1)
    assert fired_timers(ticket, iid) == ["签收提醒"]
    assert only_task(ticket, iid).task_name == "sign_for"
    assert ticket.instance(iid).next_due_at == t0 + timedelta(hours=4)

    # One second before the deadline: nothing; a repeated sweep fires nothing twice.
    assert ticket.sweep(t0 + timedelta(hours=4) - timedelta(seconds=1)).fired == 0
    assert fired_timers(ticket, iid) == ["签收提醒"]

    # Right after the deadline: the interrupting timer withdraws sign-for and opens supervision.
    result = ticket.sweep(t0 + timedelta(hours=4, seconds=1))
    assert (result.claimed, result.fired) == (1, 1)
    assert only_task(ticket, iid).task_name == "supervise"
    assert ticket.instance(iid).next_due_at is None
    assert audit_count(ticket, "timer.fired", iid) == 2
    assert fired_timers(ticket, iid) == ["签收提醒", "签收超时"]


def test_both_timers_due_fire_in_one_sweep(ticket, clock):
    t0 = clock.now()
    iid = start_ticket(ticket)
    result = ticket.sweep(t0 + timedelta(days=1))
    assert result.claimed == 1
    assert only_task(ticket, iid).task_name == "supervise"
    assert ticket.sweep(t0 + timedelta(days=2)).claimed == 0


def test_timer_on_a_completed_task_never_fires(ticket, clock):
    t0 = clock.now()
    iid = start_ticket(ticket)
    ticket.complete_task(only_task(ticket, iid).id, {"note": "已签收"}, actor="staff:cgj")
    assert ticket.instance(iid).next_due_at is None
    assert ticket.sweep(t0 + timedelta(days=30)).claimed == 0
    assert only_task(ticket, iid).task_name == "handle"


def test_durations_count_from_the_virtual_clock(host, clock):
    host.deploy(_duration_diagram(), actor="designer")
    clock.advance(timedelta(days=400))
    iid = host.start("waits", {}, actor="t")
    assert host.instance(iid).next_due_at == clock.now() + timedelta(days=5)


def test_failing_timer_is_retried_then_becomes_an_incident(ticket, clock):
    t0 = clock.now()
    # A reminder whose script fails: "reminders" is not a number.
    iid = start_ticket(ticket, reminders="many")
    now = t0 + timedelta(hours=2, seconds=1)
    first = ticket.sweep(now)
    assert (first.failed, first.incidents) == (1, 0)
    # Backed off: an immediate second sweep does not spin on it.
    assert ticket.sweep(now + timedelta(seconds=1)).claimed == 0
    later = now
    for _ in range(2):
        later += timedelta(hours=1)
        ticket.sweep(later)
    with ticket.session_factory() as session:
        incidents = session.scalars(select(Incident).where(Incident.instance_id == iid)).all()
        row = session.get(ProcessInstance, iid)
    assert [i.kind for i in incidents] == ["timer_failed"]
    assert "3 次" in incidents[0].message
    assert row.next_due_at is None and row.timer_failures == 3
    # The state is intact: still waiting for sign-for, nothing half-applied.
    assert only_task(ticket, iid).task_name == "sign_for"
    assert ticket.instance_data(iid)["reminders"] == "many"


def test_uncaught_bpmn_error_is_an_incident_not_a_completion(host, clock):
    host.deploy(_error_diagram(), actor="designer")
    iid = host.start("fails", {}, actor="t")
    row = host.instance(iid)
    assert row.status == "failed"
    with host.session_factory() as session:
        incident = session.scalars(select(Incident).where(Incident.instance_id == iid)).one()
    assert incident.kind == "bpmn_error"
    assert "办理失败" in incident.message


def _duration_diagram() -> str:
    return """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"
    targetNamespace="t">
  <bpmn:process id="waits" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="wait"/>
    <bpmn:intermediateCatchEvent id="wait" name="等待五天">
      <bpmn:timerEventDefinition><bpmn:timeDuration>"P5D"</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="e"/>
    <bpmn:endEvent id="e"/>
  </bpmn:process>
</bpmn:definitions>"""


def _error_diagram() -> str:
    return """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"
    targetNamespace="t">
  <bpmn:error id="err" name="办理失败" errorCode="E1"/>
  <bpmn:process id="fails" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="boom"/>
    <bpmn:endEvent id="boom"><bpmn:errorEventDefinition errorRef="err"/></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>"""


def test_a_timer_after_an_event_based_gateway_is_due_and_fires(host, clock, diagram):
    """SpiffWorkflow waits on the gateway, not the timer event: the host must still see
    the due time (it once did not, and such an instance waited forever)."""
    from engine.core.instance_inspection import inspect_instance

    host.deploy(diagram("event_gateway_timer.bpmn"), actor="designer")
    started = clock.now()
    instance_id = host.start("evgw", actor="resident")
    assert host.instance(instance_id).next_due_at == started + timedelta(hours=1)
    with host.session_factory() as session:
        (timer,) = inspect_instance(instance_id, host.runtime, session=session).timers
    assert (timer.element_id, timer.name, timer.due_at) == (
        "t",
        "wait an hour",
        started + timedelta(hours=1),
    )

    clock.advance(timedelta(minutes=59))
    assert host.sweep().fired == 0
    clock.advance(timedelta(minutes=2))
    assert host.sweep().fired == 1
    assert host.instance(instance_id).status == "completed"
