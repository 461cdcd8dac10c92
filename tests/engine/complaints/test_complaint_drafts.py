"""A designer's draft of the complaint diagram keeps the consultation process it calls."""

from __future__ import annotations

from sqlalchemy import select

from engine.core.persistence.models import ProcessDefinition
from engine.core.process_drafts import DraftDesk


def test_a_complaint_draft_deploys_with_the_consultation_it_calls(desk, host) -> None:
    drafts = DraftDesk(host)
    with host.session_factory() as session:
        (v1,) = session.scalars(select(ProcessDefinition)).all()
        called = list(v1.called_xmls)
    draft_id = drafts.from_version(v1.id, actor="designer")
    edited = drafts.get(draft_id).bpmn_xml.replace('name="督办"', 'name="督办（县领导）"')
    assert drafts.save(draft_id, edited, actor="designer").problems == []
    deployment = drafts.deploy(draft_id, actor="designer")
    with host.session_factory() as session:
        v2 = session.get(ProcessDefinition, deployment.definition_id)
        assert v2.version == 2 and v2.called_xmls == called
