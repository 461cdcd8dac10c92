"""bpmn/agri_consultation.bpmn and bpmn/agri_push.bpmn against ADR 0008: they lint clean,
carry full BPMN-DI, hold the elements the host relies on, and render in bpmn-js."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from engine.agri.services import AgriServices
from engine.catalog_store import CatalogRegistry
from engine.core.definitions import parse_definition
from engine.core.lint import lint
from engine.working_calendar.store import CalendarProvider
from tests.bpmn.test_diagrams import BPMN_DIR, NS, flow_nodes
from tests.bpmn.test_diagrams_render import page, server  # noqa: F401  (fixtures)

FILES = ("agri_consultation.bpmn", "agri_push.bpmn")
CONTRACT = {
    "route_question": "serviceTask",
    "schedule_expert": "serviceTask",
    "expert_reply": "userTask",
    "expert_reply_reminder": "boundaryEvent",
    "expert_reply_deadline": "boundaryEvent",
    "escalate": "serviceTask",
    "grower_reply": "userTask",
    "grower_reply_deadline": "boundaryEvent",
    "field_visit": "userTask",
    "rate_help": "userTask",
    "rating_deadline": "boundaryEvent",
}


def _root(name: str) -> etree._Element:
    return etree.parse(str(BPMN_DIR / name)).getroot()


@pytest.mark.parametrize("name", FILES)
def test_parses_lints_clean_and_calls_only_agri_services(name):
    path = BPMN_DIR / name
    services = AgriServices(CatalogRegistry(), CalendarProvider()).operations()
    parse_definition(path.read_bytes(), source_name=name, services=services.keys())
    assert lint(_root(name)) == []


def test_contract_elements_and_timers():
    root = _root("agri_consultation.bpmn")
    by_id = {el.get("id"): etree.QName(el).localname for el in flow_nodes(root)}
    assert {k: by_id.get(k) for k in CONTRACT} == CONTRACT
    cancel = {
        b.get("id"): b.get("cancelActivity") for b in root.iterfind(".//bpmn:boundaryEvent", NS)
    }
    assert cancel == {
        "expert_reply_reminder": "false",
        "expert_reply_deadline": "true",
        "grower_reply_reminder": "false",
        "grower_reply_deadline": "true",
        "visit_day_reminder": "false",
        "rating_deadline": "true",
    }
    # Reminders and deadlines read instants computed on the working-day calendar.
    for timer in root.iterfind(".//bpmn:timeDate", NS):
        assert timer.text.startswith(('reply_deadline["', 'visit["')), timer.text
    groups = {
        t.get("id"): t.get(f"{{{NS['camunda']}}}candidateGroups")
        for t in root.iterfind(".//bpmn:userTask", NS)
    }
    assert groups == {
        "expert_reply": "=answer_groups",
        "grower_reply": "=grower_groups",
        "field_visit": "=answer_groups",
        "rate_help": "=grower_groups",
    }


@pytest.mark.parametrize("name", FILES)
def test_every_element_has_a_shape_and_every_flow_an_edge(name):
    root = _root(name)
    shapes = {s.get("bpmnElement") for s in root.iterfind(".//bpmndi:BPMNShape", NS)}
    edges = {e.get("bpmnElement") for e in root.iterfind(".//bpmndi:BPMNEdge", NS)}
    assert {el.get("id") for el in flow_nodes(root)} <= shapes
    assert {f.get("id") for f in root.iterfind(".//bpmn:sequenceFlow", NS)} <= edges


@pytest.mark.slow
@pytest.mark.parametrize("name", FILES)
def test_renders_in_bpmn_js_without_warnings(page, server, name):  # noqa: F811
    result = page.evaluate("url => window.renderDiagram(url)", f"{server}/bpmn/{name}")
    assert "error" not in result, result.get("error")
    assert result["warnings"] == [], json.dumps(result["warnings"], ensure_ascii=False)
    assert {el.get("id") for el in flow_nodes(_root(name))} <= set(result["ids"])
    width, height = result["size"]
    page.set_viewport_size({"width": min(width, 8000), "height": min(height, 3000)})
    page.evaluate("() => window.actualSize()")
    page.screenshot(path=f"/tmp/diagrams/{name.replace('.bpmn', '.png')}", full_page=True)
