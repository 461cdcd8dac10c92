"""The JSON API: documented routes, status codes, field-level errors, permissions."""

from __future__ import annotations

import json
import re

from werkzeug.routing import Rule

from engine.complaints.models import Complaint
from engine.core.persistence.models import ProcessInstance
from tests.engine.complaints.helpers import report


def _documented(app):
    doc = app.test_client().get("/api/openapi.json").get_json()
    return doc, {(path, method) for path, ops in doc["paths"].items() for method in ops}


def _routes(app):
    found = set()
    for rule in app.url_map.iter_rules():
        if not isinstance(rule, Rule) or not rule.endpoint.startswith("api."):
            continue
        path = re.sub(r"<(?:[a-z0-9]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((path, method.lower()))
    return found


def test_openapi_document_matches_the_routes(app):
    doc, documented = _documented(app)
    assert doc["openapi"].startswith("3.")
    assert documented == _routes(app)
    for ops in doc["paths"].values():
        for op in ops.values():
            for response in op["responses"].values():
                ref = response["content"]["application/json"]["schema"].get("$ref")
                if ref:
                    assert ref.rsplit("/", 1)[1] in doc["components"]["schemas"]


def _csrf_client(login, username):
    client = login(username)
    token = client.get("/api/session").get_json()["csrf_token"]
    return client, {"X-CSRF-Token": token}


def test_anonymous_report_is_routed_and_trackable(app):
    client = app.test_client()
    response = client.post(
        "/api/complaints",
        json={"village_id": "xiguocheng-002", "matter_id": "D07-07", "description": "路面塌陷"},
    )
    assert response.status_code == 201
    body = response.get_json()
    assert (body["stage"], body["primary_unit"]) == ("sign_for", "water_supply")
    public = client.get(f"/api/track/{body['tracking_code']}").get_json()
    assert public["stage_label"] == "待签收" and "description" not in public


def test_bad_report_gets_field_level_errors(app):
    response = app.test_client().post(
        "/api/complaints",
        json={"village_id": "nowhere", "matter_id": "D99-01", "description": "", "hacker": "x"},
    )
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"hacker": "不接受此字段"}
    response = app.test_client().post(
        "/api/complaints", json={"village_id": "nowhere", "matter_id": "D99-01", "description": ""}
    )
    assert set(response.get_json()["errors"]) == {"village_id", "matter_id", "description"}


def test_unit_completes_its_task_and_the_second_attempt_is_409(app, login):
    desk = app.extensions["juhaoban"].desk
    submitted = report(desk, "D07-07", "xiguocheng-002")
    client, headers = _csrf_client(login, "water")
    (task,) = [
        t for t in client.get("/api/tasks").get_json()["tasks"] if t["task_name"] == "sign_for"
    ]
    fields = client.get(f"/api/tasks/{task['id']}").get_json()["form_fields"]
    assert {f["id"] for f in fields} == {"decision", "return_reason", "return_basis"}
    bad = client.post(
        f"/api/tasks/{task['id']}/complete", json={"decision": "return"}, headers=headers
    )
    assert bad.status_code == 400 and set(bad.get_json()["errors"]) == {
        "return_reason",
        "return_basis",
    }
    ok = client.post(
        f"/api/tasks/{task['id']}/complete", json={"decision": "accept"}, headers=headers
    )
    assert ok.status_code == 200
    assert "handle" in {t["task_name"] for t in ok.get_json()["ready"]}
    again = client.post(
        f"/api/tasks/{task['id']}/complete", json={"decision": "accept"}, headers=headers
    )
    assert again.status_code == 409 and "water" in again.get_json()["message"]
    detail = client.get(f"/api/complaints/{submitted.complaint_id}").get_json()
    assert detail["stage"] == "handling" and "县供水服务中心" in detail["routing_explanation"]


def test_another_township_gets_403_and_nothing_changes(app, login):
    desk = app.extensions["juhaoban"].desk
    submitted = report(desk, "D04-01", "xiaolvzhai-002")  # 2022-06: urban management primary
    client, headers = _csrf_client(login, "xgc")
    task_id = next(
        t.id
        for t in desk.host.ready_tasks(instance_id=submitted.instance_id)
        if t.task_name == "sign_for"
    )
    assert client.get(f"/api/tasks/{task_id}").status_code == 403
    response = client.post(
        f"/api/tasks/{task_id}/complete", json={"decision": "accept"}, headers=headers
    )
    assert response.status_code == 403
    assert desk.complaint(submitted.complaint_id).stage == "sign_for"
    assert client.get(f"/api/complaints/{submitted.complaint_id}").status_code == 403


def test_signed_in_writes_need_the_csrf_header(app, login):
    client = login("dispatcher")
    response = client.post("/api/complaints/1/close", json={"kind": "invalid", "reason": "x"})
    assert response.status_code == 400 and "CSRF" in response.get_json()["message"]


def test_api_needs_login_for_staff_data(app):
    assert app.test_client().get("/api/tasks").status_code == 401
    assert app.test_client().get("/api/complaints").get_json()["error"] == "请先登录"


def test_a_case_stored_by_a_newer_release_is_refused_with_a_message_not_a_500(app, login):
    desk = app.extensions["juhaoban"].desk
    submitted = report(desk, "D07-07", "xiguocheng-002")
    host = app.extensions["juhaoban.host"]
    with host.session_factory.begin() as session:
        row = session.get(ProcessInstance, submitted.instance_id)
        state = json.loads(row.state_json)
        state["serializer_version"] = "9.9"
        row.state_json = json.dumps(state, ensure_ascii=False)
    host.runtime.live_workflows.clear()
    client, headers = _csrf_client(login, "water")
    (task,) = [
        t for t in client.get("/api/tasks").get_json()["tasks"] if t["task_name"] == "sign_for"
    ]
    refused = client.post(
        f"/api/tasks/{task['id']}/complete", json={"decision": "accept"}, headers=headers
    )
    assert refused.status_code == 503
    assert refused.get_json()["error"] == "流程故障"
    assert "SpiffWorkflow 序列化版本 '9.9'" in refused.get_json()["message"]
    # Reading the case needs its workflow too: the same message, and the case stays where it was.
    detail = client.get(f"/api/complaints/{submitted.complaint_id}")
    assert detail.status_code == 503 and "'9.9'" in detail.get_json()["message"]
    with host.session_factory() as session:
        assert session.get(Complaint, submitted.complaint_id).stage == "sign_for"
