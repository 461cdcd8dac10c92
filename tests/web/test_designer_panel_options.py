"""What the editor's properties panel offers (GET /designer/panel-options.json): the service
operations the validator accepts, and the groups and expressions tasks may be assigned to."""

from __future__ import annotations

import pytest


def test_designers_get_operations_groups_and_expressions(app, login) -> None:
    response = login("designer").get("/designer/panel-options.json")
    assert response.status_code == 200
    options = response.get_json()

    host = app.extensions["juhaoban.host"]
    operations = {op["name"]: op for op in options["operations"]}
    assert set(operations) == set(host.runtime.services)  # exactly what the validator accepts
    schedule = operations["schedule_deadline"]
    assert schedule["label"] == "计算环节期限（工作日）"
    assert schedule["result"] == "handle_deadline"
    assert schedule["parameters"] == [
        {"name": "stage", "label": "环节", "example": '"handle"', "type": "str"}
    ]

    groups = {g["value"]: g["label"] for g in options["groups"]}
    assert groups["dispatcher"] == "调度员"
    assert groups["dispatch_lead"] == "调度中心负责人"
    assert groups["orgdept"] == "组织部"
    assert not [g for g in groups if g.endswith(":")]  # no half-made per-person groups
    # Units of the county's catalog, with their leads (the demo county's water company).
    assert groups["lead:water_supply"] == groups["water_supply"] + "负责人"

    expressions = [e["value"] for e in options["expressions"]]
    assert "=primary_unit" in expressions


@pytest.mark.parametrize("username", ["dispatcher", "dispatch_lead", "water", "resident", "admin"])
def test_only_designers_read_the_panel_options(login, username) -> None:
    assert login(username).get("/designer/panel-options.json").status_code == 403


def test_strangers_are_sent_to_sign_in(app) -> None:
    response = app.test_client().get("/designer/panel-options.json")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
