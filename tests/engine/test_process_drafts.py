"""Drafts in the designer: open a version, save (even with problems), deploy only when clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from engine.core.persistence.models import AuditEvent, ProcessDefinition, ProcessDraft
from engine.core.problems import DefinitionInvalid
from engine.core.process_drafts import DraftClosed, DraftDesk

FOREIGN = Path(__file__).parent / "diagrams" / "foreign"


@pytest.fixture
def drafts(host) -> DraftDesk:
    return DraftDesk(host)


def _version_rows(host):
    with host.session_factory() as session:
        return session.execute(
            select(ProcessDefinition.process_key, ProcessDefinition.version).order_by(
                ProcessDefinition.id
            )
        ).all()


def test_saved_problems_block_deploy_until_fixed(host, drafts, diagram) -> None:
    v1 = host.deploy(diagram("ticket.bpmn"), actor="designer")
    draft_id = drafts.from_version(v1.definition_id, actor="designer")
    broken = diagram("ticket.bpmn").replace(
        # A date: a quoted duration ("P2D") in a timeDate fails at run time, and is refused.
        "<bpmn:timeDate>sign_due</bpmn:timeDate>",
        "<bpmn:timeDate>2026-03-04T08:00:00+08:00</bpmn:timeDate>",
    )

    saved = drafts.save(draft_id, broken, actor="designer")
    assert [(p.code, p.element_id, p.fix) for p in saved.problems] == [
        ("unquoted-timer", "sign_deadline", '"2026-03-04T08:00:00+08:00"')
    ]
    assert drafts.get(draft_id).bpmn_xml == broken  # work in progress is kept
    with pytest.raises(DefinitionInvalid):
        drafts.deploy(draft_id, actor="designer")
    assert _version_rows(host) == [("ticket", 1)]

    quoted = broken.replace(">2026-03-04T08:00:00+08:00<", '>"2026-03-04T08:00:00+08:00"<')
    drafts.save(draft_id, quoted, actor="designer")
    deployment = drafts.deploy(draft_id, actor="designer")
    assert (deployment.version, deployment.created) == (2, True)
    assert drafts.get(draft_id).deployed_definition_id == deployment.definition_id
    with pytest.raises(DraftClosed):
        drafts.save(draft_id, broken, actor="designer")
    with host.session_factory() as session:
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions.count("definition.deployed") == 2
    assert "definition.draft_deployed" in actions


def test_text_that_is_not_bpmn_is_refused_and_the_draft_unchanged(host, drafts, diagram) -> None:
    v1 = host.deploy(diagram("ticket.bpmn"), actor="designer")
    draft_id = drafts.from_version(v1.definition_id, actor="designer")
    for bad in ("<html/>", "not xml", ""):
        with pytest.raises(DefinitionInvalid):
            drafts.save(draft_id, bad, actor="designer")
    assert drafts.get(draft_id).bpmn_xml == diagram("ticket.bpmn")


def test_importing_a_compatible_diagram_makes_a_clean_draft(host, drafts) -> None:
    saved = drafts.from_upload(
        (FOREIGN / "camunda_leave.bpmn").read_bytes(), filename="leave.bpmn", actor="designer"
    )
    assert saved.problems == []
    assert drafts.get(saved.draft_id).process_key == "street_light"
    assert drafts.deploy(saved.draft_id, actor="designer").version == 1


def test_importing_a_camunda_only_diagram_lists_what_to_change(host, drafts) -> None:
    saved = drafts.from_upload(
        (FOREIGN / "camunda_order.bpmn").read_bytes(), filename="order.bpmn", actor="designer"
    )
    assert {p.element_id for p in saved.problems} >= {"Task_lookup", "Task_notify", "Flow_vip"}
    assert drafts.get(saved.draft_id).problems  # kept with the draft for the editor


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe not utf-8",
        b"just text",
        b"<html><body/></html>",
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>",
    ],
    ids=["binary", "text", "html", "xxe"],
)
def test_importing_something_else_stores_nothing(host, drafts, data) -> None:
    with pytest.raises(DefinitionInvalid) as caught:
        drafts.from_upload(data, filename="x.bpmn", actor="designer")
    assert caught.value.problems[0].message
    with host.session_factory() as session:
        assert session.scalars(select(ProcessDraft)).all() == []
