"""The designer's operation picker lists exactly what the validator accepts, each operation
described with the parameters the shipped diagrams pass it (engine/service_operations.py)."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from engine.desks import wire_desks
from engine.service_operations import DESCRIPTIONS, describe_operations

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"


def test_every_registered_operation_is_described(host) -> None:
    desks = wire_desks(host)
    listed = desks.service_operations()
    assert {op.name for op in listed} == set(host.runtime.services)
    undescribed = [op.name for op in listed if op.name not in DESCRIPTIONS]
    assert undescribed == [], "describe these in engine/service_operations.py"
    notify = next(op for op in listed if op.name == "notify")
    assert notify.label == "发送通知"
    assert [p.name for p in notify.parameters] == ["kind", "to", "text"]


def test_every_parameter_a_shipped_diagram_passes_is_described() -> None:
    missing = []
    for path in sorted(BPMN_DIR.glob("*.bpmn")):
        root = etree.parse(str(path)).getroot()
        for operator in root.iter(f"{{{SPIFF}}}serviceTaskOperator"):
            described = {p.name for p in DESCRIPTIONS[operator.get("id")].parameters}
            for parameter in operator.iter(f"{{{SPIFF}}}parameter"):
                if parameter.get("id") not in described:
                    missing.append(f"{path.name}: {operator.get('id')}.{parameter.get('id')}")
    assert missing == []


def test_an_undescribed_operation_is_still_offered_by_its_name() -> None:
    listed = describe_operations(["zz_custom", "notify"])
    assert [op.name for op in listed] == ["notify", "zz_custom"]
    assert listed[1].label == "zz_custom" and "暂无说明" in listed[1].description
    assert listed[1].as_dict()["parameters"] == []
