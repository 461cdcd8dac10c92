from __future__ import annotations

import pytest

from engine import DefinitionInvalid
from tests.conftest import DIAGRAMS


@pytest.mark.parametrize(("hazard", "hours"), [(True, 2), (False, 24)])
def test_business_rule_task_evaluates_its_dmn_table(host, hazard, hours):
    host.deploy_file(DIAGRAMS / "triage.bpmn", actor="designer")
    iid = host.start("triage", {"hazard": hazard}, actor="t")
    assert host.instance(iid).status == "completed"
    assert host.instance_data(iid)["sign_hours"] == hours


def test_missing_decision_table_is_reported(host, diagram):
    with pytest.raises(DefinitionInvalid) as caught:
        host.deploy(diagram("triage.bpmn"), actor="designer")
    assert any("urgency" in p.message for p in caught.value.problems)
