"""bpmn/catalog_revision.bpmn against ADR 0006: it lints clean, carries full BPMN-DI, holds the
elements the host relies on, and renders in bpmn-js without warnings."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from lxml import etree

from engine.core.definitions import parse_definition
from engine.core.lint import lint
from tests.bpmn.test_diagrams import BPMN_DIR, NS, flow_nodes
from tests.bpmn.test_diagrams_render import page, server  # noqa: F401  (fixtures)

FILE = BPMN_DIR / "catalog_revision.bpmn"
CONTRACT = {
    "open_round": "serviceTask",
    "schedule_opinions": "serviceTask",
    "give_opinion": "userTask",
    "opinion_reminder": "boundaryEvent",
    "opinion_deadline": "boundaryEvent",
    "record_lapsed": "serviceTask",
    "review": "userTask",
    "revise": "userTask",
    "publish": "serviceTask",
}


@pytest.fixture(scope="module")
def root() -> etree._Element:
    return etree.parse(str(FILE)).getroot()


def test_diagram_parses_and_lints_clean(root):
    parse_definition(FILE.read_bytes(), process_key="catalog_revision", source_name=FILE.name)
    assert lint(root) == []


def test_contract_elements_and_parallel_opinions(root):
    by_id = {el.get("id"): etree.QName(el).localname for el in flow_nodes(root)}
    assert {k: by_id.get(k) for k in CONTRACT} == CONTRACT
    opinion = root.find(".//bpmn:userTask[@id='give_opinion']", NS)
    loop = opinion.find("bpmn:multiInstanceLoopCharacteristics", NS)
    assert loop is not None and loop.get("isSequential") in (None, "false"), (
        "units answer in parallel"
    )
    assert opinion.get(f"{{{NS['camunda']}}}candidateGroups") == "=opinion_unit"
    timers = {
        b.get("id"): b.get("cancelActivity") for b in root.iterfind(".//bpmn:boundaryEvent", NS)
    }
    assert timers == {"opinion_reminder": "false", "opinion_deadline": "true"}
    names = [t.get("id") for t in root.iterfind(".//bpmn:timerEventDefinition", NS)]
    assert [n for n, c in Counter(names).items() if c > 1] == []


def test_every_element_has_a_shape_and_every_flow_an_edge(root):
    shapes = {s.get("bpmnElement") for s in root.iterfind(".//bpmndi:BPMNShape", NS)}
    edges = {e.get("bpmnElement") for e in root.iterfind(".//bpmndi:BPMNEdge", NS)}
    assert {el.get("id") for el in flow_nodes(root)} <= shapes
    assert {f.get("id") for f in root.iterfind(".//bpmn:sequenceFlow", NS)} <= edges


@pytest.mark.slow
def test_renders_in_bpmn_js_without_warnings(page, server, root):  # noqa: F811
    result = page.evaluate("url => window.renderDiagram(url)", f"{server}/bpmn/{FILE.name}")
    assert "error" not in result, result.get("error")
    assert result["warnings"] == [], json.dumps(result["warnings"], ensure_ascii=False)
    assert {el.get("id") for el in flow_nodes(root)} <= set(result["ids"])
    width, height = result["size"]
    page.set_viewport_size({"width": min(width, 8000), "height": min(height, 3000)})
    page.evaluate("() => window.actualSize()")
    page.screenshot(path="/tmp/diagrams/catalog_revision.png", full_page=True)
