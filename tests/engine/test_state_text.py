"""The stored state's text (engine/core/state_text.py): orjson writes what ``json`` wrote.

Task data reaches the store from forms, services and scripts; whatever the encoder, a
restored instance must see the same values it had, with the same Python types."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import update

from engine.core.instance_rows import load_instance
from engine.core.instances import load_workflow
from engine.core.persistence.models import ProcessInstance
from tests.engine.helpers import start_ticket

AWKWARD = {
    "name": "东关村 3 组路灯不亮",
    "reported_on": date(2024, 2, 9),
    "received_at": datetime(2024, 2, 9, 21, 30, 5),
    "fee": Decimal("12.50"),
    "tags": {"路灯"},
    "by_month": {3: "三月", 4: "四月"},
    "nested": [{"when": date(2024, 3, 1), "ok": True, "none": None, "ratio": 0.1}],
}


# Beyond orjson's 64 bits: the whole state goes to the standard library's encoder.
HUGE = {"huge": 2**70, "when": date(2024, 3, 1)}


def _restored(host, iid):
    with host.session_factory() as session:
        workflow, _ = load_workflow(
            load_instance(iid, session=session), host.runtime, session=session
        )
    return workflow


@pytest.mark.parametrize("values", [AWKWARD, HUGE], ids=["awkward", "huge"])
def test_task_data_comes_back_with_its_types_and_matches_the_standard_encoder(
    host, diagram, values
):
    host.deploy(diagram("ticket.bpmn"), actor="designer")
    iid = start_ticket(host)
    workflow = _restored(host, iid)
    workflow.task_tree.data.update(values)
    serializer = host.runtime.serializer

    text = serializer.dump_workflow(workflow)

    # The values are those the standard library's encoder wrote before orjson.
    standard = serializer.encoder.encode(serializer.state_dict(workflow))
    assert json.loads(text) == json.loads(standard)

    # And they come back as the objects they were (a set as a list, keys as JSON's strings).
    back = serializer.load_workflow(text, workflow.spec, workflow.subprocess_specs)
    data = back.task_tree.data
    if values is HUGE:
        assert data["huge"] == 2**70 and data["when"] == date(2024, 3, 1)
        return
    assert data["reported_on"] == date(2024, 2, 9) and type(data["reported_on"]) is date
    assert data["received_at"] == datetime(2024, 2, 9, 21, 30, 5)
    assert data["fee"] == Decimal("12.50")
    assert data["tags"] == ["路灯"]
    assert data["by_month"] == {"3": "三月", "4": "四月"}
    assert data["nested"] == [{"when": date(2024, 3, 1), "ok": True, "none": None, "ratio": 0.1}]
    assert data["name"] == "东关村 3 组路灯不亮"


def test_a_state_written_by_the_standard_encoder_with_nan_still_loads(host, diagram):
    """Rows written before orjson may hold ``NaN``, which is not JSON and orjson refuses."""
    host.deploy(diagram("ticket.bpmn"), actor="designer")
    iid = start_ticket(host)
    row = host.instance(iid)
    state = json.loads(row.state_json)
    state["tasks"][state["root"]]["data"]["reading"] = float("nan")
    old_text = json.dumps(state, ensure_ascii=False)
    assert "NaN" in old_text
    with host.session_factory.begin() as session:
        session.execute(
            update(ProcessInstance).where(ProcessInstance.id == iid).values(state_json=old_text)
        )
    host.runtime.live_workflows.forget(iid)

    reading = _restored(host, iid).task_tree.data["reading"]

    assert reading != reading  # NaN, as it was written
