"""The instance view's facts: where a complaint stands on its diagram, its waiting timers
with due times, its history; and the heat of a version; and a redesigned reminder that
applies to new complaints only."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from engine.core.instance_inspection import inspect_instance, usage_by_definition, version_heat
from engine.core.persistence.models import ProcessDefinition
from engine.core.process_drafts import DraftDesk
from tests.engine.complaints.helpers import do, move_to, notifications, report

MAJIAYING = "xiguocheng-002"
SECOND = timedelta(seconds=1)
REMINDER = (
    '<bpmn:timeCycle xsi:type="bpmn:tFormalExpression">'
    '("R0/" if handle_deadline.get("remind_passed") else "R1/")'
    ' + handle_deadline["remind_at"] + "/PT1M"</bpmn:timeCycle>'
)


def _inspect(desk, submitted):
    with desk.host.session_factory() as session:
        return inspect_instance(submitted.instance_id, desk.host.runtime, session=session)


def test_a_complaint_in_handling_shows_done_active_waiting_and_its_timers(desk) -> None:
    submitted = report(desk, "D07-07", MAJIAYING)
    do(desk, submitted, "sign_for", {"decision": "accept"}, actor="staff:water")
    view = _inspect(desk, submitted)
    (main, *_called) = view.documents

    assert {"route", "sign_for"} <= set(main.completed)
    assert "handle" in main.active
    assert {"handle_reminder", "handle_overdue"} <= set(main.waiting)
    deadline = desk.host.instance_data(submitted.instance_id)["handle_deadline"]
    timers = {t.element_id: t for t in view.timers}
    assert timers["handle_reminder"].due_at == datetime.fromisoformat(deadline["remind_at"])
    assert timers["handle_overdue"].due_at == datetime.fromisoformat(deadline["due"])
    assert timers["handle_reminder"].name == "办理提醒"
    actions = [(h.action, h.element_name) for h in view.history]
    assert actions[0] == ("instance.started", "")
    assert ("task.completed", "签收") in actions
    assert view.process_key == "complaint" and view.version == 1


def test_version_heat_counts_open_and_completed_tasks_per_element(desk) -> None:
    first = report(desk, "D07-07", MAJIAYING)
    report(desk, "D07-07", MAJIAYING)
    do(desk, first, "sign_for", {"decision": "accept"}, actor="staff:water")
    with desk.host.session_factory() as session:
        definition_id = session.scalar(select(ProcessDefinition.id))
        heat = version_heat(definition_id, session=session)
        usage = usage_by_definition("julu", session=session)
    assert (heat["sign_for"].open, heat["sign_for"].completed) == (1, 1)
    assert heat["handle"].open == 1
    assert (usage[definition_id].running, usage[definition_id].total) == (2, 2)


def test_a_redesigned_reminder_applies_to_complaints_started_after_deployment(desk, clock) -> None:
    before = report(desk, "D07-07", MAJIAYING)
    drafts = DraftDesk(desk.host)
    with desk.host.session_factory() as session:
        v1 = session.scalar(select(ProcessDefinition))
    draft_id = drafts.from_version(v1.id, actor="designer")
    edited = drafts.get(draft_id).bpmn_xml.replace(
        REMINDER, '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"P1D"</bpmn:timeDuration>'
    )
    assert drafts.save(draft_id, edited, actor="designer").problems == []
    assert drafts.deploy(draft_id, actor="designer").version == 2
    after = report(desk, "D07-07", MAJIAYING)
    for submitted in (before, after):
        do(desk, submitted, "sign_for", {"decision": "accept"}, actor="staff:water")

    start = clock.now()
    move_to(desk, start + timedelta(days=1) + SECOND)
    reminded = notifications(desk, "water_supply", "handle_reminder")
    assert reminded == [f"诉求 {after.tracking_code} 办理时限已过 80%"]

    old_remind_at = datetime.fromisoformat(
        desk.host.instance_data(before.instance_id)["handle_deadline"]["remind_at"]
    )
    assert old_remind_at > start + timedelta(days=1)
    move_to(desk, old_remind_at + SECOND)
    assert f"诉求 {before.tracking_code} 办理时限已过 80%" in notifications(
        desk, "water_supply", "handle_reminder"
    )
    assert _inspect(desk, before).version == 1 and _inspect(desk, after).version == 2
