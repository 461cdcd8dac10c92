"""Operators' way out: suspend, resume, retry, move between versions, roll a process back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.core.errors import InstanceSuspended, OperatorActionRefused
from engine.core.incidents import list_incidents
from engine.core.instances import send_message
from engine.core.operator_desk import OperatorDesk
from engine.core.persistence.models import AuditEvent, Incident, ProcessDefinition, ProcessInstance
from engine.core.timers import earliest_due
from engine.core.transactions import run_step
from tests.engine.helpers import audit_count, only_task, start_ticket

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="t">"""


def review_diagram(*, review_id: str = "review", confirm: bool = False) -> str:
    """Review (with a two-day deadline that escalates), then optionally a confirmation."""
    after = "confirm" if confirm else "e"
    confirm_xml = (
        """<bpmn:userTask id="confirm" name="确认" camunda:candidateGroups="staff"/>
    <bpmn:sequenceFlow id="f_confirm" sourceRef="confirm" targetRef="e"/>"""
        if confirm
        else ""
    )
    return f"""{HEADER}
  <bpmn:process id="audit" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="{review_id}"/>
    <bpmn:userTask id="{review_id}" name="审核" camunda:candidateGroups="staff"/>
    <bpmn:boundaryEvent id="deadline" name="审核超时" attachedToRef="{review_id}">
      <bpmn:timerEventDefinition><bpmn:timeDuration>"P2D"</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f_late" sourceRef="deadline" targetRef="escalate"/>
    <bpmn:userTask id="escalate" name="督办" camunda:candidateGroups="staff"/>
    <bpmn:sequenceFlow id="f_esc" sourceRef="escalate" targetRef="e2"/>
    <bpmn:endEvent id="e2"/>
    <bpmn:sequenceFlow id="f2" sourceRef="{review_id}" targetRef="{after}"/>
    {confirm_xml}
    <bpmn:endEvent id="e"/>
  </bpmn:process>
</bpmn:definitions>"""


MESSAGE_DIAGRAM = f"""{HEADER}
  <bpmn:message id="msg_go" name="go"/>
  <bpmn:process id="listens" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="m"/>
    <bpmn:intermediateCatchEvent id="m" name="go">
      <bpmn:messageEventDefinition messageRef="msg_go"/>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="m" targetRef="e"/>
    <bpmn:endEvent id="e"/>
  </bpmn:process>
</bpmn:definitions>"""

ERROR_DIAGRAM = f"""{HEADER}
  <bpmn:error id="err" name="办理失败" errorCode="E1"/>
  <bpmn:process id="fails" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="boom"/>
    <bpmn:endEvent id="boom"><bpmn:errorEventDefinition errorRef="err"/></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>"""


@pytest.fixture
def desk(host):
    return OperatorDesk(host)


def actions(host, instance_id):
    with host.session_factory() as session:
        return session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.instance_id == instance_id)
            .order_by(AuditEvent.id)
        ).all()


def row(host, instance_id) -> ProcessInstance:
    return host.instance(instance_id)


# -- suspend and resume ----------------------------------------------------------------------
def test_a_suspended_instance_is_never_claimed_and_its_timer_never_fires(host, desk, clock):
    host.deploy(review_diagram(), actor="designer")
    iid = host.start("audit", actor="resident")
    due = row(host, iid).next_due_at
    desk.suspend(iid, actor="admin")
    assert row(host, iid).status == "suspended"
    with host.session_factory() as session:
        # It does not wake the scheduler either (it would sweep in a loop for nothing).
        assert earliest_due(session=session) is None

    result = host.sweep(due + timedelta(days=30))
    assert (result.claimed, result.fired) == (0, 0)
    assert only_task(host, iid).task_name == "review"
    assert audit_count(host, "timer.fired", iid) == 0

    # Resumed, it carries on exactly where it stopped: the overdue deadline fires now.
    desk.resume(iid, actor="admin")
    assert row(host, iid).next_due_at == due
    assert host.sweep(due + timedelta(days=30)).fired == 1
    assert only_task(host, iid).task_name == "escalate"
    assert actions(host, iid)[1:] == ["instance.suspended", "instance.resumed", "timer.fired"]


def test_suspend_and_resume_refuse_the_wrong_state(host, desk):
    host.deploy(review_diagram(), actor="designer")
    iid = host.start("audit", actor="resident")
    with pytest.raises(OperatorActionRefused, match="未被暂停"):
        desk.resume(iid, actor="admin")
    desk.suspend(iid, actor="admin")
    with pytest.raises(OperatorActionRefused, match="只有运行中的实例可以暂停"):
        desk.suspend(iid, actor="admin")


def test_a_user_step_on_a_suspended_instance_is_refused_and_changes_nothing(host, desk):
    host.deploy(review_diagram(), actor="designer")
    iid = host.start("audit", actor="resident")
    task = only_task(host, iid)
    desk.suspend(iid, actor="admin")
    before = row(host, iid)
    with pytest.raises(InstanceSuspended, match="已被运维人员暂停"):
        host.complete_task(task.id, {}, actor="staff")
    after = row(host, iid)
    assert (after.version, after.state_json) == (before.version, before.state_json)
    assert only_task(host, iid).id == task.id

    desk.resume(iid, actor="admin")
    host.complete_task(task.id, {}, actor="staff")
    assert row(host, iid).status == "completed"


def test_a_message_to_a_suspended_instance_is_refused(host, desk):
    host.deploy(MESSAGE_DIAGRAM, actor="designer")
    iid = host.start("listens", actor="resident")
    desk.suspend(iid, actor="admin")

    def deliver(session):
        return send_message(
            iid,
            "go",
            {},
            runtime=host.runtime,
            now=host.clock.now(),
            actor="system",
            session=session,
        )

    with pytest.raises(InstanceSuspended):
        run_step(host.session_factory, deliver)
    assert audit_count(host, "message.received", iid) == 0
    desk.resume(iid, actor="admin")
    run_step(host.session_factory, deliver)
    assert row(host, iid).status == "completed"


# -- retry -----------------------------------------------------------------------------------
def _park_failing_reminder(host, clock):
    """A ticket whose reminder script fails ("many" + 1) until the sweep gives up on it."""
    sign_due = clock.now() + timedelta(days=5)
    iid = start_ticket(host, reminders="many", sign_due=sign_due.isoformat())
    at = clock.now() + timedelta(hours=2, seconds=1)
    for _ in range(host.runtime.max_timer_attempts):
        host.sweep(at)
        at += timedelta(hours=1)
    parked = row(host, iid)
    assert (parked.next_due_at, parked.timer_failures) == (None, 3)
    return iid, at


def test_retry_after_a_fix_fires_the_parked_timer_on_the_next_sweep(host, desk, clock, diagram):
    ticket = diagram("ticket.bpmn")
    host.deploy(ticket, actor="designer")
    iid, at = _park_failing_reminder(host, clock)
    assert host.sweep(at).claimed == 0  # parked: the sweep no longer tries

    # The fix: a version whose reminder script works, and the instance moved onto it.
    fixed = host.deploy(
        ticket.replace("reminders = reminders + 1", "reminders = 1"), actor="designer"
    )
    desk.move(iid, fixed.definition_id, actor="admin")
    assert row(host, iid).next_due_at is None  # still waiting for the operator's retry

    outcome = desk.retry(iid, actor="admin")
    assert outcome.next_due_at is not None and outcome.next_due_at < at
    assert len(outcome.resolved_incidents) == 1
    result = host.sweep(at)
    assert (result.claimed, result.fired, result.failed) == (1, 1, 0)
    assert row(host, iid).timer_failures == 0
    assert only_task(host, iid).task_name == "sign_for"  # the reminder did not interrupt
    with host.session_factory() as session:
        incident = session.scalars(select(Incident).where(Incident.instance_id == iid)).one()
        assert list_incidents(county="julu", session=session) == []
    assert incident.resolved_by == "admin" and incident.resolved_at == clock.now()
    assert actions(host, iid)[-3:] == ["instance.moved", "instance.retried", "timer.fired"]


def test_retry_without_a_fix_counts_failures_afresh(host, desk, clock, diagram):
    host.deploy(diagram("ticket.bpmn"), actor="designer")
    iid, at = _park_failing_reminder(host, clock)
    desk.retry(iid, actor="admin")
    result = host.sweep(at)
    assert (result.claimed, result.failed, result.incidents) == (1, 1, 0)
    assert row(host, iid).timer_failures == 1


def test_retry_refuses_a_healthy_or_finished_instance(host, desk):
    host.deploy(review_diagram(), actor="designer")
    iid = host.start("audit", actor="resident")
    with pytest.raises(OperatorActionRefused, match="运行正常"):
        desk.retry(iid, actor="admin")
    desk.suspend(iid, actor="admin")
    with pytest.raises(OperatorActionRefused, match="请先恢复"):
        desk.retry(iid, actor="admin")

    host.deploy(ERROR_DIAGRAM, actor="designer")
    failed = host.start("fails", actor="resident")
    assert row(host, failed).status == "failed"
    with pytest.raises(OperatorActionRefused, match="终点"):
        desk.retry(failed, actor="admin")
    assert row(host, failed).status == "failed"


# -- move ------------------------------------------------------------------------------------
def test_move_onto_a_version_lacking_an_element_is_refused_and_changes_nothing(host, desk):
    host.deploy(review_diagram(), actor="designer")
    iid = host.start("audit", actor="resident")
    renamed = host.deploy(review_diagram(review_id="check"), actor="designer")
    before = row(host, iid)
    with pytest.raises(OperatorActionRefused) as refused:
        desk.move(iid, renamed.definition_id, actor="admin")
    assert "缺少实例用到的环节 review（审核）。实例未作任何改动" in str(refused.value)
    after = row(host, iid)
    assert (after.definition_id, after.version, after.state_json) == (
        before.definition_id,
        before.version,
        before.state_json,
    )
    assert "instance.moved" not in actions(host, iid)


def test_move_refuses_another_process(host, desk):
    host.deploy(review_diagram(), actor="designer")
    other = host.deploy(MESSAGE_DIAGRAM, actor="designer")
    iid = host.start("audit", actor="resident")
    with pytest.raises(OperatorActionRefused, match="同一流程"):
        desk.move(iid, other.definition_id, actor="admin")


def test_a_moved_instance_completes_on_its_new_version(host, desk, clock):
    first = host.deploy(review_diagram(), actor="designer")
    iid = host.start("audit", actor="resident")
    due = row(host, iid).next_due_at
    second = host.deploy(review_diagram(confirm=True), actor="designer")

    outcome = desk.move_to_version(iid, 2, actor="admin")
    assert (outcome.from_version, outcome.to_version) == (1, 2)
    moved = row(host, iid)
    assert moved.definition_id == second.definition_id and moved.next_due_at == due
    with host.session_factory() as session:
        event = session.scalars(
            select(AuditEvent).where(
                AuditEvent.instance_id == iid, AuditEvent.action == "instance.moved"
            )
        ).one()
    assert (event.actor, event.detail["from_version"], event.detail["to_version"]) == (
        "admin",
        1,
        2,
    )

    host.complete_task(only_task(host, iid).id, {}, actor="staff")
    assert only_task(host, iid).task_name == "confirm"  # only version 2 has it
    host.complete_task(only_task(host, iid).id, {}, actor="staff")
    assert row(host, iid).status == "completed"
    assert row(host, iid).definition_id != first.definition_id


# -- rollback --------------------------------------------------------------------------------
def test_after_a_rollback_new_instances_start_on_the_previous_version(host, desk):
    first = host.deploy(review_diagram(), actor="designer")
    second = host.deploy(review_diagram(confirm=True), actor="designer")
    on_second = host.start("audit", actor="resident")
    assert row(host, on_second).definition_id == second.definition_id

    withdrawal = desk.roll_back("audit", actor="admin")
    assert (withdrawal.withdrawn_version, withdrawal.current_version) == (2, 1)
    on_first = host.start("audit", actor="resident")
    assert row(host, on_first).definition_id == first.definition_id
    # Instances already on the withdrawn version stay there.
    assert row(host, on_second).definition_id == second.definition_id
    with host.session_factory() as session:
        withdrawn = session.get(ProcessDefinition, second.definition_id)
        assert (withdrawn.withdrawn_by, withdrawn.withdrawn_at) == ("admin", host.clock.now())
    assert audit_count(host, "definition.withdrawn") == 1

    # Nothing to go back to: the last version left is never withdrawn.
    with pytest.raises(OperatorActionRefused, match="唯一可用的版本"):
        desk.roll_back("audit", actor="admin")
    with pytest.raises(OperatorActionRefused, match="撤回"):
        desk.move(on_first, second.definition_id, actor="admin")


def test_deploying_a_withdrawn_version_again_reinstates_it(host, desk):
    host.deploy(review_diagram(), actor="designer")
    second = host.deploy(review_diagram(confirm=True), actor="designer")
    desk.withdraw(second.definition_id, actor="admin")
    with pytest.raises(OperatorActionRefused, match="已于此前由 admin 撤回"):
        desk.withdraw(second.definition_id, actor="admin")

    again = host.deploy(review_diagram(confirm=True), actor="designer")
    assert (again.definition_id, again.created, again.reinstated) == (
        second.definition_id,
        False,
        True,
    )
    assert audit_count(host, "definition.reinstated") == 1
    iid = host.start("audit", actor="resident")
    assert row(host, iid).definition_id == second.definition_id
    # An ordinary redeploy of live content is no reinstatement.
    assert host.deploy(review_diagram(confirm=True), actor="designer").reinstated is False


def test_incidents_name_their_instance_version_and_element(host, desk, clock, diagram):
    host.deploy(diagram("ticket.bpmn"), actor="designer")
    iid, _ = _park_failing_reminder(host, clock)
    (view,) = desk.incidents()
    assert (view.instance_id, view.process_key, view.version, view.kind) == (
        iid,
        "ticket",
        1,
        "timer_failed",
    )
    assert view.instance_status == "running" and view.timer_failures == 3
    desk.resolve(view.id, actor="admin")
    assert desk.incidents() == []
    assert [i.resolved_by for i in desk.incidents(include_resolved=True)] == ["admin"]
    with pytest.raises(OperatorActionRefused, match="已由 admin 标记为已处理"):
        desk.resolve(view.id, actor="admin")
