"""Version 2 of the complaint diagram, made from the shipped one, for migration tests.

- ``sign_reminder`` (签收提醒) changes rule: from the catalog's reminder instant to 20 minutes
  after the case reached 签收 (a ``timeDuration`` instead of a ``timeDate``);
- ``handle_reminder`` (办理提醒) reads a variable cases started on version 1 do not have;
- the dispatcher's ``determine_reminder`` (定性提醒) and its notification are removed.
"""

from __future__ import annotations

import re
from pathlib import Path

from engine.core.host import WorkflowHost, called_documents

BPMN = Path(__file__).resolve().parents[3] / "bpmn" / "complaint.bpmn"

SIGN_REMINDER_V1 = '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">sign_for_deadline["remind_at"]</bpmn:timeDate>'
SIGN_REMINDER_V2 = (
    '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"PT20M"</bpmn:timeDuration>'
)
HANDLE_REMINDER_V1 = 'handle_deadline["remind_at"] + "/PT1M"'
HANDLE_REMINDER_V2 = 'handle_remind_at + "/PT1M"'
REMOVED = (
    "determine_reminder",
    "notify_determine_reminder",
    "determine_reminder_end",
    "f_determine_reminder",
    "f_determine_reminded",
)


def without(xml: str, ids: tuple[str, ...]) -> str:
    """``xml`` without the elements ``ids`` (their lane references and diagram shapes too)."""
    for ident in ids:
        xml = re.sub(rf"\s*<bpmn:flowNodeRef>{ident}</bpmn:flowNodeRef>", "", xml)
        xml = re.sub(rf'\s*<bpmn:(\w+) id="{ident}"[^>]*?/>', "", xml)
        xml = re.sub(rf'\s*<bpmn:(\w+) id="{ident}"[^>]*?[^/]>.*?</bpmn:\1>', "", xml, flags=re.S)
        xml = re.sub(
            rf'\s*<bpmndi:(BPMNShape|BPMNEdge) id="[^"]*" bpmnElement="{ident}".*?</bpmndi:\1>',
            "",
            xml,
            flags=re.S,
        )
    return xml


def version_two_xml() -> str:
    xml = BPMN.read_text(encoding="utf-8")
    assert SIGN_REMINDER_V1 in xml and HANDLE_REMINDER_V1 in xml, "complaint.bpmn changed"
    xml = xml.replace(SIGN_REMINDER_V1, SIGN_REMINDER_V2)
    xml = xml.replace(HANDLE_REMINDER_V1, HANDLE_REMINDER_V2)
    xml = without(xml, REMOVED)
    assert 'id="determine_reminder"' not in xml
    return xml


def deploy_version_two(host: WorkflowHost) -> int:
    dmns = tuple(p.read_bytes() for p in sorted(BPMN.parent.glob("*.dmn")))
    deployment = host.deploy(
        version_two_xml(),
        dmns,
        source_name="complaint.bpmn",
        called_bpmn=called_documents(BPMN),
        actor="designer",
    )
    assert deployment.version == 2
    return deployment.definition_id
