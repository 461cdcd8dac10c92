"""SpiffWorkflow's serialized format is checked on load: versions it can migrate load, an
unknown (newer) one is refused by name; a waiting timer on such a state becomes an incident
that says what is wrong instead of a misread workflow."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.core.persistence.models import Incident, ProcessInstance
from engine.core.serialization import UnsupportedStateFormat
from tests.engine.helpers import only_task, start_ticket


def _rewrite_version(host, iid: int, version: str | None) -> None:
    with host.session_factory.begin() as session:
        row = session.get(ProcessInstance, iid)
        state = json.loads(row.state_json)
        assert state["serializer_version"] == "1.5"  # what SpiffWorkflow 3.2 writes
        if version is None:
            del state["serializer_version"]
        else:
            state["serializer_version"] = version
        row.state_json = json.dumps(state, ensure_ascii=False)


@pytest.mark.parametrize("version", ["9.9", None])
def test_a_state_from_an_unknown_spiffworkflow_version_is_refused(host, diagram, version):
    host.deploy(diagram("ticket.bpmn"), actor="designer")
    iid = start_ticket(host)
    _rewrite_version(host, iid, version)
    with host.session_factory() as session:
        row = session.get(ProcessInstance, iid)
        loaded = host.runtime.definitions.get(row.definition_id, session=session)
    with pytest.raises(UnsupportedStateFormat, match="不是本程序认识的版本") as refused:
        host.runtime.serializer.load_workflow(row.state_json, loaded.spec, loaded.subprocess_specs)
    assert repr(version) in str(refused.value) and "1.5" in str(refused.value)


def test_a_timer_on_an_unknown_state_format_becomes_a_clear_incident(host, diagram, clock):
    host.deploy(diagram("ticket.bpmn"), actor="designer")
    t0 = clock.now()
    iid = start_ticket(host)
    _rewrite_version(host, iid, "9.9")
    later = t0 + timedelta(hours=2, seconds=1)
    for _ in range(3):
        host.sweep(later)
        later += timedelta(hours=1)
    with host.session_factory() as session:
        incident = session.scalars(select(Incident).where(Incident.instance_id == iid)).one()
    assert incident.kind == "timer_failed"
    assert "SpiffWorkflow 序列化版本 '9.9'" in incident.message


def test_completing_a_task_on_an_unknown_state_format_is_refused_and_changes_nothing(host, diagram):
    host.deploy(diagram("ticket.bpmn"), actor="designer")
    iid = start_ticket(host)
    task = only_task(host, iid)
    _rewrite_version(host, iid, "9.9")
    with pytest.raises(UnsupportedStateFormat, match="SpiffWorkflow 序列化版本 '9.9'"):
        host.complete_task(task.id, {}, actor="staff:cgj")
    with host.session_factory() as session:
        assert session.get(ProcessInstance, iid).status == "running"
    assert only_task(host, iid).id == task.id  # nothing moved
