"""The JSON API for integrators: a case links its tasks and deadlines, tasks their case, units
come with names, times carry the county's +08:00 offset, anonymous reporters rate by phone,
and one actor format for grid workers."""

from __future__ import annotations

from datetime import datetime

from engine.complaints.visibility import can_view
from engine.people import Account
from tests.engine.complaints.helpers import do, report, task
from tests.web.test_report_helpers import PHONE, reply

MAJIAYING = "xiguocheng-002"


def _csrf_client(login, username):
    client = login(username)
    token = client.get("/api/session").get_json()["csrf_token"]
    return client, {"X-CSRF-Token": token}


def _documented_properties(doc, schema):
    """Every property name a schema documents (allOf and $ref followed)."""
    if "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    names = set(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        names |= _documented_properties(doc, part)
    return names


def _schema(doc, name):
    return doc["components"]["schemas"][name]


def _assert_documented(doc, name, body):
    undocumented = set(body) - _documented_properties(doc, _schema(doc, name))
    assert not undocumented, f"{name} lacks {sorted(undocumented)}"


def test_case_json_lists_its_tasks_deadlines_and_unit_names_in_county_time(app, login):
    desk = app.extensions["juhaoban"].desk
    submitted = report(desk, "D07-07", MAJIAYING)
    client = login("dispatcher")
    detail = client.get(f"/api/complaints/{submitted.complaint_id}").get_json()
    assert detail["instance_id"] == submitted.instance_id
    assert detail["primary_unit_name"] == "县供水服务中心"
    assert len(detail["supporting_unit_names"]) == len(detail["supporting_units"]) > 0
    assert "xiguocheng" not in detail["supporting_unit_names"]
    (sign_for,) = [t for t in detail["tasks"] if t["task_name"] == "sign_for"]
    assert sign_for["id"] == task(desk, submitted, "sign_for").id
    assert sign_for["candidate_groups"] == ["water_supply"]
    assert sign_for["candidate_group_names"] == ["县供水服务中心"]
    assert (sign_for["complaint_id"], sign_for["tracking_code"]) == (
        submitted.complaint_id,
        submitted.tracking_code,
    )
    assert sign_for["due_at"] == detail["sign_for_due"] == detail["deadlines"]["sign_for"]["due"]
    remind = datetime.fromisoformat(detail["deadlines"]["sign_for"]["remind_at"])
    assert remind < datetime.fromisoformat(sign_for["due_at"])
    for instant in (detail["received_at"], sign_for["due_at"], detail["timeline"][0]["at"]):
        assert instant.endswith("+08:00"), instant
    assert detail["stages"][0]["unit_name"] == "县供水服务中心"
    assert detail["timeline"][0]["actor_label"] == "群众"
    doc = client.get("/api/openapi.json").get_json()
    assert "+08:00" in doc["info"]["description"]
    _assert_documented(doc, "ComplaintDetail", detail)
    for name, items in (
        ("CaseTask", detail["tasks"]),
        ("Stage", detail["stages"]),
        ("TimelineEntry", detail["timeline"]),
    ):
        for item in items:
            _assert_documented(doc, name, item)


def test_contested_and_callback_deadlines_appear_in_the_case_json(app, login):
    desk = app.extensions["juhaoban"].desk
    submitted = report(desk, "D07-07", MAJIAYING)
    client = login("dispatcher")
    do(
        desk,
        submitted,
        "sign_for",
        {"decision": "return", "return_reason": "不归我们管", "return_basis": "三定方案"},
        actor="water",
    )
    detail = client.get(f"/api/complaints/{submitted.complaint_id}").get_json()
    (adjudicate,) = [t for t in detail["tasks"] if t["task_name"] == "adjudicate"]
    assert adjudicate["due_at"] == detail["deadlines"]["contested"]["due"]
    assert detail["deadlines"]["contested"]["remind_at"].endswith("+08:00")
    assert any(e["actor_label"] == "王供水" for e in detail["timeline"])

    replied = report(desk, "D07-07", MAJIAYING, description="另一处水管破裂")
    complaint = desk.complaint(replied.complaint_id)
    reply(app, complaint.tracking_code)
    detail = client.get(f"/api/complaints/{replied.complaint_id}").get_json()
    (callback,) = [t for t in detail["tasks"] if t["task_name"] == "callback"]
    assert callback["due_at"] == detail["deadlines"]["callback"]["due"] is not None
    assert detail["deadlines"]["handle"]["due"] == detail["handle_due"]


def test_task_json_names_its_case(app, login):
    desk = app.extensions["juhaoban"].desk
    submitted = report(desk, "D07-07", MAJIAYING)
    client, headers = _csrf_client(login, "water")
    (listed,) = [
        t for t in client.get("/api/tasks").get_json()["tasks"] if t["task_name"] == "sign_for"
    ]
    assert (listed["complaint_id"], listed["tracking_code"]) == (
        submitted.complaint_id,
        submitted.tracking_code,
    )
    assert listed["candidate_group_names"] == ["县供水服务中心"]
    shown = client.get(f"/api/tasks/{listed['id']}").get_json()
    assert shown["tracking_code"] == submitted.tracking_code and shown["case_title"]
    done = client.post(
        f"/api/tasks/{listed['id']}/complete", json={"decision": "accept"}, headers=headers
    ).get_json()
    assert {t["tracking_code"] for t in done["ready"]} == {submitted.tracking_code}
    notes = client.get("/api/notifications").get_json()["notifications"]
    assert any(n["tracking_code"] == submitted.tracking_code for n in notes)
    doc = client.get("/api/openapi.json").get_json()
    _assert_documented(doc, "TaskDetail", shown)
    for note in notes:
        _assert_documented(doc, "Notification", note)


def _anonymous_in_callback(app):
    client = app.test_client()
    created = client.post(
        "/api/complaints",
        json={
            "village_id": MAJIAYING,
            "matter_id": "D07-07",
            "description": "村口水管破裂",
            "reporter_phone": PHONE,
        },
    ).get_json()
    reply(app, created["tracking_code"])
    return client, created


def test_anonymous_reporter_rates_through_the_api_with_the_phone_check(app):
    client, created = _anonymous_in_callback(app)
    code = created["tracking_code"]
    desk = app.extensions["juhaoban"].desk
    wrong = client.post(
        f"/api/track/{code}/rate", json={"phone": "13900009999", "satisfaction": "satisfied"}
    )
    assert wrong.status_code == 403 and "手机号" in wrong.get_json()["message"]
    assert desk.complaint(created["id"]).stage == "callback"
    bad = client.post(f"/api/track/{code}/rate", json={"phone": PHONE, "satisfaction": "great"})
    assert bad.status_code == 400 and "satisfaction" in bad.get_json()["errors"]
    ok = client.post(
        f"/api/track/{code}/rate",
        json={"phone": "138 0000 1234", "satisfaction": "basic", "callback_comment": "还行"},
    )
    assert ok.status_code == 200 and ok.get_json()["status"] == "closed"
    complaint = desk.complaint(created["id"])
    assert (complaint.stage, complaint.satisfaction) == ("closed", "basic")
    again = client.post(f"/api/track/{code}/rate", json={"phone": PHONE, "satisfaction": "basic"})
    assert again.status_code == 409
    assert client.post("/api/track/NOPE/rate", json={"phone": PHONE}).status_code == 404


def test_the_api_and_the_page_share_the_phone_lock(app):
    client, created = _anonymous_in_callback(app)
    code = created["tracking_code"]
    for _ in range(5):
        response = client.post(
            f"/api/track/{code}/rate", json={"phone": "13900000000", "satisfaction": "basic"}
        )
        assert response.status_code == 403
    locked = client.post(f"/api/track/{code}/rate", json={"phone": PHONE, "satisfaction": "basic"})
    assert locked.status_code == 429 and "12345" in locked.get_json()["message"]
    page = app.test_client()
    html = page.get(f"/cases/track?code={code}").get_data(as_text=True)
    from tests.web.conftest import csrf_from

    refused = page.post(
        f"/cases/track/{code}/verify", data={"csrf_token": csrf_from(html), "phone": PHONE}
    )
    assert refused.status_code == 429
    assert app.extensions["juhaoban"].desk.complaint(created["id"]).stage == "callback"


def test_grid_worker_sees_their_own_api_report_written_with_the_grid_actor(app, login):
    client, headers = _csrf_client(login, "gridworker")
    created = client.post(
        "/api/complaints",
        json={
            "village_id": "xiaolvzhai-002",  # not one of the grid worker's grids
            "matter_id": "D04-01",
            "description": "路灯不亮",
            "reporter_name": "王大爷",
            "consent": True,
        },
        headers=headers,
    )
    assert created.status_code == 201
    complaint_id = created.get_json()["id"]
    desk = app.extensions["juhaoban"].desk
    assert desk.complaint(complaint_id).reported_by == "grid:gridworker"
    assert client.get(f"/api/complaints/{complaint_id}").status_code == 200
    listed = client.get("/api/complaints").get_json()["complaints"]
    assert complaint_id in {c["id"] for c in listed}


def test_reports_stored_with_the_old_grid_worker_actor_stay_visible(app):
    desk = app.extensions["juhaoban"].desk
    submitted = report(
        desk, "D04-01", "xiaolvzhai-002", reporter_account=None, reporter_phone=PHONE
    )
    complaint = desk.complaint(submitted.complaint_id)
    complaint.reported_by = "grid_worker:gw-9"  # as the JSON API wrote it before
    worker = Account(1, "gw-9", "网格员九", "grid_worker", None, (), "julu")
    assert can_view(worker, complaint)
    other = Account(2, "gw-8", "网格员八", "grid_worker", None, (), "julu")
    assert not can_view(other, complaint)
