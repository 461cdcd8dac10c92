"""A step the diagram cannot make rolls back, names its element and opens one incident."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from engine import FieldErrors, StepFailed
from engine.core.persistence.models import HumanTask, Incident, ProcessInstance
from engine.core.step_failures import diagnose
from tests.engine.helpers import only_task, start_ticket, ticket_data


def _deploy_ticket(host, diagram, **replacements: str) -> None:
    xml = diagram("ticket.bpmn")
    for old, new in replacements.items():
        assert old in xml
        xml = xml.replace(old, new)
    host.deploy(xml, actor="designer")


def _incidents(host) -> list[Incident]:
    with host.session_factory() as session:
        return list(session.scalars(select(Incident).order_by(Incident.id)))


def _count(host, model) -> int:
    with host.session_factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_start_whose_assignment_fails_stores_nothing_and_opens_one_incident(host, diagram):
    _deploy_ticket(host, diagram)
    data = ticket_data(host.clock.now())
    del data["unit"]  # sign_for's candidateGroups is "=unit"
    for _attempt in range(2):
        with pytest.raises(StepFailed) as caught:
            host.start("ticket", data, actor="resident:1")
        assert caught.value.element_id == "sign_for"
        assert "sign_for" in str(caught.value) and "未生效" in str(caught.value)
    assert _count(host, ProcessInstance) == 0 and _count(host, HumanTask) == 0
    [incident] = _incidents(host)
    assert incident.instance_id is None and incident.definition_id is not None
    assert (incident.element_id, incident.kind) == ("sign_for", "script_failed")
    assert "新建流程实例时" in incident.message and "NameError" in incident.message
    assert incident.detail["occurrences"] == 2


def test_a_runaway_assignment_on_the_next_task_leaves_the_current_task_open(host, diagram):
    _deploy_ticket(
        host,
        diagram,
        **{
            'id="handle" name="办理" camunda:candidateGroups="=unit"': (
                'id="handle" name="办理" camunda:candidateGroups='
                '"=[n for n in range(10**6) for m in range(10**6)]"'
            )
        },
    )
    iid = start_ticket(host)
    task = only_task(host, iid)
    version = host.instance(iid).version
    started = time.monotonic()
    with pytest.raises(StepFailed) as caught:
        host.complete_task(task.id, {"note": "收到"}, actor="staff")
    assert time.monotonic() - started < 10  # the budget is 200 ms; this catches a hang
    assert (caught.value.element_id, caught.value.kind) == ("handle", "budget_exceeded")
    assert "超出预算" in str(caught.value)
    # Nothing moved: same version, sign-for still open.
    assert host.instance(iid).version == version
    assert only_task(host, iid).task_name == "sign_for"
    [incident] = _incidents(host)
    assert (incident.instance_id, incident.element_id) == (iid, "handle")
    assert "CPU" in incident.message


def test_a_runaway_script_in_a_timer_branch_backs_off_and_names_the_element(host, diagram, clock):
    _deploy_ticket(
        host,
        diagram,
        **{"reminders = reminders + 1": "while True:\n    reminders = reminders + 1"},
    )
    iid = start_ticket(host)
    due = clock.now() + timedelta(hours=2, seconds=1)
    started = time.monotonic()
    first = host.sweep(due)
    assert time.monotonic() - started < 10
    assert (first.failed, first.incidents) == (1, 0)
    assert host.sweep(due + timedelta(seconds=5)).claimed == 0  # backing off
    later = due
    for _ in range(2):
        later += timedelta(minutes=5)
        host.sweep(later)
    assert host.sweep(later + timedelta(hours=1)).claimed == 0  # parked
    [incident] = _incidents(host)
    assert (incident.kind, incident.element_id) == ("timer_failed", "count_reminder")
    assert "超出预算" in incident.message
    assert only_task(host, iid).task_name == "sign_for"


def test_domain_and_database_errors_pass_through_unwrapped():
    refused = FieldErrors({"due": "延期日期早于今天"})
    # SpiffWorkflow 3.2 replaces a service operation's error by a NameError of its own.
    try:
        try:
            raise refused
        except FieldErrors:
            raise NameError("name 'script' is not defined") from None
    except NameError as wrapped:
        wrapped.__context__ = refused
        assert diagnose(wrapped, county="julu", instance_id=1, definition_id=1, at=None) is (
            refused
        )
    locked = OperationalError("UPDATE", {}, Exception("database is locked"))
    assert diagnose(locked, county="julu", instance_id=1, definition_id=1, at=None) is locked
