"""Diagrams that would run script in a browser are refused wherever they enter: validation,
deploy, import into the designer and a draft's save, each problem naming the element."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.core.definitions import parse_definition, validate
from engine.core.persistence.models import ProcessDefinition, ProcessDraft
from engine.core.problems import DefinitionInvalid
from engine.core.process_drafts import DraftDesk

HTML_SCRIPT = (
    '<bpmn:extensionElements><h:script xmlns:h="http://www.w3.org/1999/xhtml">'
    "document.title = 'pwned'</h:script>"
)


def with_script(xml: str) -> str:
    """ticket.bpmn with an XHTML script hidden in the first task's extension elements."""
    return xml.replace("<bpmn:extensionElements>", HTML_SCRIPT, 1)


def test_validate_names_the_html_script_and_its_task(diagram) -> None:
    problems = validate(with_script(diagram("ticket.bpmn")))
    assert [(p.code, p.element_id) for p in problems] == [("active-content", "sign_for")]
    assert "<h:script>" in problems[0].message and "extensionElements" in problems[0].message
    assert problems[0].line == 19


@pytest.mark.parametrize(
    ("snippet", "named"),
    [
        (
            '<svg:script xmlns:svg="http://www.w3.org/2000/svg">alert(1)</svg:script>',
            "<svg:script>",
        ),
        (
            '<svg:svg xmlns:svg="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "onload",
        ),
        (
            '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml"/></foreignObject>',
            "foreignObject",
        ),
        ('<img xmlns="http://www.w3.org/1999/xhtml" src="x" onerror="alert(1)"/>', "onerror"),
        ("<script>alert(1)</script>", "<script>"),
    ],
)
def test_every_browser_vocabulary_is_refused(diagram, snippet, named) -> None:
    xml = diagram("ticket.bpmn").replace(
        "<bpmn:extensionElements>", f"<bpmn:extensionElements>{snippet}", 1
    )
    problems = validate(xml)
    assert problems and all(p.code == "active-content" for p in problems)
    assert named in problems[0].message


def test_a_stylesheet_instruction_is_refused(diagram) -> None:
    xml = diagram("ticket.bpmn").replace(
        "?>", '?>\n<?xml-stylesheet type="text/xsl" href="/designer/drafts/1.bpmn"?>', 1
    )
    assert [p.code for p in validate(xml)] == ["active-content"]


def test_deploy_refuses_and_stores_nothing(host, diagram) -> None:
    with pytest.raises(DefinitionInvalid) as refused:
        parse_definition(with_script(diagram("ticket.bpmn")))
    assert "<h:script>" in str(refused.value)
    with pytest.raises(DefinitionInvalid):
        host.deploy(with_script(diagram("ticket.bpmn")), actor="designer")
    with host.session_factory() as session:
        assert session.scalars(select(ProcessDefinition)).all() == []


def test_import_and_save_refuse_and_keep_the_draft(host, diagram) -> None:
    drafts = DraftDesk(host)
    bad = with_script(diagram("ticket.bpmn"))
    with pytest.raises(DefinitionInvalid) as refused:
        drafts.from_upload(bad.encode(), filename="evil.bpmn", actor="designer")
    assert refused.value.problems[0].element_id == "sign_for"
    with host.session_factory() as session:
        assert session.scalars(select(ProcessDraft)).all() == []

    v1 = host.deploy(diagram("ticket.bpmn"), actor="designer")
    draft_id = drafts.from_version(v1.definition_id, actor="designer")
    with pytest.raises(DefinitionInvalid) as refused:
        drafts.save(draft_id, bad, actor="designer")
    assert "<h:script>" in refused.value.problems[0].message
    assert drafts.get(draft_id).bpmn_xml == diagram("ticket.bpmn")  # unchanged


def test_ordinary_diagrams_still_pass(diagram) -> None:
    assert validate(diagram("ticket.bpmn")) == []
