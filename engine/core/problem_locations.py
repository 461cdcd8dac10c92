"""Where a problem is shown: on an element the editor draws, with the subprocesses around it.

Lint rules and SpiffWorkflow name whatever element carried the fault, which is often one the
editor never draws (a ``conditionExpression`` or ``timerEventDefinition`` with its own id) or
one hidden inside a collapsed subprocess. The locator moves each problem to the nearest drawn
element (sequence flow, task, event, gateway, subprocess ...) and records the enclosing
subprocesses so the editor can mark the collapsed shape and drill in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from lxml import etree

from engine.core.problems import Problem

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"

# Elements bpmn-js draws as a shape or a connection (whether or not the file has DI for them).
DRAWN_TAGS = frozenset(
    {
        "task",
        "userTask",
        "manualTask",
        "serviceTask",
        "scriptTask",
        "businessRuleTask",
        "sendTask",
        "receiveTask",
        "callActivity",
        "subProcess",
        "transaction",
        "adHocSubProcess",
        "startEvent",
        "endEvent",
        "intermediateCatchEvent",
        "intermediateThrowEvent",
        "boundaryEvent",
        "exclusiveGateway",
        "inclusiveGateway",
        "parallelGateway",
        "eventBasedGateway",
        "complexGateway",
        "sequenceFlow",
        "messageFlow",
        "association",
        "dataInputAssociation",
        "dataOutputAssociation",
        "dataObjectReference",
        "dataStoreReference",
        "textAnnotation",
        "group",
        "participant",
        "lane",
    }
)
SUBPROCESS_TAGS = frozenset({"subProcess", "transaction", "adHocSubProcess"})


def _local(node: etree._Element) -> str:
    tag = node.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def tag_as_written(node: etree._Element) -> str:
    """``bpmn:task`` as the file spells it (the prefix the document binds, if any)."""
    local = _local(node)
    return f"{node.prefix}:{local}" if node.prefix else local


def element_label(node: etree._Element) -> str:
    """How a message names an element: ``bpmn:task（id=Task_1）``, or the tag alone."""
    element_id = node.get("id")
    tag = tag_as_written(node)
    return f"{tag}（id={element_id}）" if element_id else tag


class ProblemLocator:
    """Moves problems onto drawn elements of one diagram (plus the documents it calls)."""

    def __init__(self, documents: Iterable[etree._Element]) -> None:
        self._by_id: dict[str, etree._Element] = {}
        self._drawn: set[str] = set()
        self._participants: dict[str, str] = {}
        for document in documents:
            for node in document.iter():
                element_id = node.get("id") if isinstance(node.tag, str) else None
                if element_id and element_id not in self._by_id:
                    self._by_id[element_id] = node
            for di in document.iter(f"{{{BPMNDI}}}BPMNShape", f"{{{BPMNDI}}}BPMNEdge"):
                if di.get("bpmnElement"):
                    self._drawn.add(di.get("bpmnElement"))
            for participant in document.iter(f"{{{BPMN}}}participant"):
                if participant.get("processRef") and participant.get("id"):
                    self._participants.setdefault(
                        participant.get("processRef"), participant.get("id")
                    )

    def element(self, element_id: str | None) -> etree._Element | None:
        return self._by_id.get(element_id) if element_id else None

    def visible(self, node: etree._Element) -> etree._Element | None:
        """``node`` or its nearest ancestor the editor draws; None for document-level nodes."""
        current: etree._Element | None = node
        while current is not None:
            if _local(current) in DRAWN_TAGS or (
                current.get("id") in self._drawn and _local(current) != "process"
            ):
                return current
            if _local(current) in ("process", "definitions"):
                return None
            current = current.getparent()
        return None

    def place(self, problem: Problem) -> Problem:
        """The problem on its drawn element, with the enclosing subprocesses and a line."""
        node = self.element(problem.element_id)
        if node is None:
            return problem
        owner = self.visible(node)
        line = problem.line or getattr(node, "sourceline", None)
        if owner is None:
            process = node if _local(node) == "process" else None
            # A whole process is drawn as its pool when it has one.
            drawn = self._participants.get(process.get("id")) if process is not None else None
            return dataclasses.replace(problem, element_id=drawn or problem.element_id, line=line)
        return dataclasses.replace(
            problem, element_id=owner.get("id"), line=line, path=subprocess_path(owner)
        )

    def place_all(self, problems: Iterable[Problem]) -> list[Problem]:
        return [self.place(p) for p in problems]


def subprocess_path(node: etree._Element) -> tuple[str, ...]:
    """Ids of the subprocesses enclosing ``node`` (not ``node`` itself), outermost first."""
    path: list[str] = []
    parent = node.getparent()
    while parent is not None:
        if _local(parent) in SUBPROCESS_TAGS and parent.get("id"):
            path.append(parent.get("id"))
        parent = parent.getparent()
    return tuple(reversed(path))


def without_duplicates(problems: Iterable[Problem]) -> list[Problem]:
    """Each (code, element, message) once, in the order first found."""
    seen: set[tuple[str, str | None, str]] = set()
    kept: list[Problem] = []
    for problem in problems:
        key = (problem.code, problem.element_id, problem.message)
        if key not in seen:
            seen.add(key)
            kept.append(problem)
    return kept
