"""The core's read models: frozen copies of definitions, drafts and instances, per county."""

from __future__ import annotations

import dataclasses

import pytest

from engine.core import (
    DraftNotFound,
    InstanceNotFound,
    database_revision,
    definition_version,
    definition_versions,
    draft_view,
    element_heat,
    instance_view,
    open_drafts,
    recent_instances,
    schema_state,
    version_usage,
    workflow_totals,
)
from engine.core.process_drafts import DraftDesk
from tests.engine.helpers import start_ticket


def test_versions_are_frozen_copies_kept_to_their_county(host, diagram) -> None:
    v1 = host.deploy(diagram("ticket.bpmn"), actor="designer")
    v2 = host.deploy(diagram("ticket.bpmn").replace('name="', 'name="新', 1), actor="designer:2")
    other = host.deploy(diagram("ticket.bpmn"), actor="designer", county="xingtai")

    versions = definition_versions(host, county="julu")
    assert [(v.process_key, v.version) for v in versions] == [("ticket", 2), ("ticket", 1)]
    assert [v.id for v in definition_versions(host, county="julu", process_key="nope")] == []
    newest = definition_version(host, v2.definition_id, county="julu")
    assert newest is not None and newest.deployed_by == "designer:2"
    assert "ticket" in newest.bpmn_xml and newest.withdrawn_at is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        newest.version = 9  # type: ignore[misc]  # the test shows the frozen dataclass refuses it
    assert definition_version(host, other.definition_id, county="julu") is None
    assert definition_version(host, v1.definition_id, county="xingtai") is None


def test_instances_their_usage_heat_and_inspection(host, diagram) -> None:
    deployed = host.deploy(diagram("ticket.bpmn"), actor="designer")
    first, second = start_ticket(host), start_ticket(host)

    assert [row.id for row in recent_instances(host, deployed.definition_id)] == [second, first]
    assert [row.id for row in recent_instances(host, deployed.definition_id, limit=1)] == [second]
    assert recent_instances(host, deployed.definition_id)[0].status == "running"
    usage = version_usage(host, county="julu")
    assert usage[deployed.definition_id].running == 2
    assert version_usage(host, county="xingtai") == {}
    heat = element_heat(host, deployed.definition_id)
    assert sum(h.open for h in heat.values()) == 2
    view = instance_view(host, first)
    assert view.instance_id == first and view.definition_id == deployed.definition_id
    with pytest.raises(InstanceNotFound):
        instance_view(host, 999_999)


def test_drafts_are_read_per_county_and_closed_ones_are_not_open(host, diagram) -> None:
    deployed = host.deploy(diagram("ticket.bpmn"), actor="designer")
    desk = DraftDesk(host, county="julu")
    draft_id = desk.from_version(deployed.definition_id, actor="designer")

    draft = draft_view(host, draft_id, county="julu")
    assert draft.base_definition_id == deployed.definition_id
    assert draft.process_key == "ticket" and draft.problems == ()
    assert [d.id for d in open_drafts(host, county="julu")] == [draft_id]
    assert open_drafts(host, county="xingtai") == []
    with pytest.raises(DraftNotFound):
        draft_view(host, draft_id, county="xingtai")
    desk.discard(draft_id, actor="designer")
    assert open_drafts(host, county="julu") == []


def test_totals_and_schema_state(host, diagram) -> None:
    host.deploy(diagram("ticket.bpmn"), actor="designer")
    start_ticket(host)
    totals = workflow_totals(host)
    assert (totals.definitions, totals.running, totals.open_incidents) == (1, 1, 0)
    state = schema_state(host)
    assert state.pending == () and state.current == state.head
    assert database_revision(host) == state.head
