"""The designer's pages without a browser: who may do what, imports, bad input, audit."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.core.persistence.models import AuditEvent, ProcessDefinition, ProcessDraft
from tests.engine.complaints.helpers import report
from tests.web.conftest import csrf_from

FOREIGN = Path(__file__).parents[1] / "engine" / "diagrams" / "foreign"


def _session(app):
    return app.extensions["juhaoban.host"].session_factory()


def _open_draft(client) -> tuple[int, str]:
    token = csrf_from(client.get("/designer/").get_data(as_text=True))
    response = client.post("/designer/versions/1/draft", data={"csrf_token": token})
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1]), token


def _upload(client, token, name, data):
    return client.post(
        "/designer/import",
        data={"csrf_token": token, "diagram": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _drafts(app) -> list[ProcessDraft]:
    with _session(app) as session:
        return list(session.scalars(select(ProcessDraft)))


@pytest.mark.parametrize("username", ["dispatcher", "dispatch_lead", "designer"])
def test_readers_see_versions_with_their_instances(app, login, username) -> None:
    report(app.extensions["juhaoban"].desk, "D07-07", "xiguocheng-002")
    html = login(username).get("/designer/").get_data(as_text=True)
    assert "诉求办理" in html and "第 1 版" in html
    row = re.search(r'<tr class="version" data-version="1">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r"<td>(\d+)</td>", row) == ["1", "1"]  # running, all instances
    assert ("编辑为新草稿" in html) is (username == "designer")


@pytest.mark.parametrize("username", ["dispatcher", "water", "leader", "orgdept"])
def test_only_designers_open_drafts_and_deploy(app, login, username) -> None:
    client = login(username)
    page = client.get("/designer/")
    token = csrf_from(client.get("/notifications/").get_data(as_text=True))
    assert client.post("/designer/versions/1/draft", data={"csrf_token": token}).status_code == 403
    designer = login("designer")
    draft_id, _ = _open_draft(designer)
    deploy = client.post(f"/designer/drafts/{draft_id}/deploy", headers={"X-CSRF-Token": token})
    assert deploy.status_code == 403
    assert page.status_code in (200, 403)


def test_residents_and_strangers_are_kept_out(app, login) -> None:
    assert login("resident").get("/designer/").status_code == 403
    assert app.test_client().get("/designer/").status_code == 302  # to the login page


def test_deployment_through_the_page_is_audited_with_the_designer(app, login) -> None:
    client = login("designer")
    draft_id, token = _open_draft(client)
    xml = client.get(f"/designer/drafts/{draft_id}.bpmn").get_data(as_text=True)
    edited = xml.replace('name="督办"', 'name="督办（限时）"')
    saved = client.post(
        f"/designer/drafts/{draft_id}/save", data=edited.encode(), headers={"X-CSRF-Token": token}
    )
    assert saved.get_json() == {"ok": True, "saved": True, "problems": []}
    confirm = client.get(f"/designer/drafts/{draft_id}/deploy").get_data(as_text=True)
    assert 'id="deploy-form"' in confirm and "无需回放" in confirm  # no complaint yet
    deployed = client.post(
        f"/designer/drafts/{draft_id}/deploy", data={"csrf_token": token, "confirm": "1"}
    )
    assert deployed.status_code == 302 and deployed.headers["Location"].endswith("/versions/2")
    assert "已部署为第 2 版" in client.get(deployed.headers["Location"]).get_data(as_text=True)
    with _session(app) as session:
        event = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "definition.deployed")
            .order_by(AuditEvent.id.desc())
        ).first()
        assert (event.actor, event.detail["version"]) == ("designer", 2)
        assert session.scalar(select(ProcessDefinition.name).where(ProcessDefinition.version == 2))
    diff = client.get("/designer/diff?old=1&new=2").get_data(as_text=True)
    assert "督办（限时）" in diff and 'data-element-id="supervise"' in diff


def test_save_without_the_csrf_token_is_refused(app, login) -> None:
    client = login("designer")
    draft_id, _ = _open_draft(client)
    assert client.post(f"/designer/drafts/{draft_id}/save", data=b"<x/>").status_code == 400


def test_saving_text_that_is_not_bpmn_changes_nothing(app, login) -> None:
    client = login("designer")
    draft_id, token = _open_draft(client)
    before = client.get(f"/designer/drafts/{draft_id}.bpmn").get_data()
    response = client.post(
        f"/designer/drafts/{draft_id}/save",
        data=b"<html>oops</html>",
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 400
    assert "不是 BPMN" in response.get_json()["problems"][0]["message"]
    assert client.get(f"/designer/drafts/{draft_id}.bpmn").get_data() == before


def test_an_oversized_save_is_refused(app, login) -> None:
    client = login("designer")
    draft_id, token = _open_draft(client)
    response = client.post(
        f"/designer/drafts/{draft_id}/save",
        data=b"<a>" + b"x" * (2 * 1024 * 1024) + b"</a>",
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 413
    assert "2 MB" in response.get_json()["problems"][0]["message"]


def test_import_of_a_modeler_diagram_opens_it_with_its_problems(app, login) -> None:
    client = login("designer")
    token = csrf_from(client.get("/designer/").get_data(as_text=True))
    response = _upload(client, token, "order.bpmn", (FOREIGN / "camunda_order.bpmn").read_bytes())
    assert response.status_code == 302
    editor = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "java-delegate" in editor and "Task_lookup" in editor  # problems handed to the editor
    (draft,) = _drafts(app)
    assert draft.process_key == "order_complaint" and len(draft.problems) == 7


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.png", (Path(__file__).parent / "fixtures" / "road.png").read_bytes(), "UTF-8"),
        ("notes.bpmn", "会议纪要".encode(), "不是合法的 XML"),
        (
            "xxe.bpmn",
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>',
            "DOCTYPE",
        ),
        ("big.bpmn", b"<a>" + b"x" * 2048 + b"</a>", "1 KB"),
        ("", b"", "请选择"),
    ],
    ids=["image", "text", "xxe", "too-large", "no-file"],
)
def test_import_of_something_else_explains_and_stores_nothing(
    app, login, monkeypatch, name, data, message
) -> None:
    # A small limit keeps the test's upload in memory; the check is the same.
    monkeypatch.setattr("web.designer.drafts.MAX_DIAGRAM_BYTES", 1024)
    client = login("designer")
    token = csrf_from(client.get("/designer/").get_data(as_text=True))
    response = _upload(client, token, name, data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="import-problems"' in html, html[-3000:]
    assert message in html, html[
        html.index("import-problems") : html.index("import-problems") + 400
    ]
    assert _drafts(app) == []


def test_diff_of_two_different_processes_is_refused(app, login) -> None:
    host = app.extensions["juhaoban.host"]
    host.deploy((FOREIGN / "camunda_leave.bpmn").read_bytes(), actor="designer")
    response = login("designer").get("/designer/diff?old=1&new=2")
    assert response.status_code == 400 and "同一流程" in response.get_data(as_text=True)


def test_version_page_shows_heat_and_recent_instances(app, login) -> None:
    submitted = report(app.extensions["juhaoban"].desk, "D07-07", "xiguocheng-002")
    html = login("dispatcher").get("/designer/versions/1").get_data(as_text=True)
    spec = re.search(r'<script type="application/json" class="diagram-spec">(.*?)</script>', html)
    badges = json.loads(spec.group(1))["badges"]
    assert badges["sign_for"]["text"] == "待办 1 · 已办 0"  # the task waiting at its element
    assert f"/designer/instances/{submitted.instance_id}" in html


def test_case_page_links_dispatchers_to_the_instance_view(app, login) -> None:
    submitted = report(app.extensions["juhaoban"].desk, "D07-07", "xiguocheng-002")
    case = login("dispatcher").get(f"/cases/{submitted.complaint_id}").get_data(as_text=True)
    assert f"/designer/instances/{submitted.instance_id}" in case
    page = login("dispatcher").get(f"/designer/instances/{submitted.instance_id}")
    assert page.status_code == 200 and "签收超时" in page.get_data(as_text=True)
    assert login("dispatcher").get("/designer/instances/999").status_code == 404
