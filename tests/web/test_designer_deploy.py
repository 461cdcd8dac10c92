"""Deploying from the designer asks for confirmation and shows the rehearsal on recent
complaints; a version whose replay raises is refused unless overridden with a reason."""

from __future__ import annotations

import re

from sqlalchemy import select

from engine.core.persistence.models import AuditEvent, ProcessDefinition, ProcessDraft
from tests.engine.complaints.helpers import report
from tests.engine.test_deploy_gate import INIT_FIRST_LINE
from tests.web.conftest import csrf_from


def _versions(app) -> list[int]:
    with app.extensions["juhaoban.host"].session_factory() as session:
        return sorted(session.scalars(select(ProcessDefinition.version)))


def draft_raising_in_init(app, client, code: str = "1/0") -> tuple[int, str]:
    """Two complaints reported, and a saved draft whose ``init`` script runs ``code`` first."""
    desk = app.extensions["juhaoban"].desk
    report(desk, "D07-07", "xiguocheng-002")
    report(desk, "D07-07", "xiguocheng-002")
    token = csrf_from(client.get("/designer/").get_data(as_text=True))
    opened = client.post("/designer/versions/1/draft", data={"csrf_token": token})
    draft_id = int(opened.headers["Location"].rsplit("/", 1)[1])
    xml = client.get(f"/designer/drafts/{draft_id}.bpmn").get_data(as_text=True)
    assert INIT_FIRST_LINE in xml
    edited = xml.replace(INIT_FIRST_LINE, f"<bpmn:script>{code}\nreturn_count = 0\n")
    saved = client.post(
        f"/designer/drafts/{draft_id}/save", data=edited.encode(), headers={"X-CSRF-Token": token}
    )
    assert saved.get_json()["problems"] == []
    return draft_id, token


def test_the_confirmation_page_names_the_failing_element_and_post_refuses(app, login) -> None:
    client = login("designer")
    draft_id, token = draft_raising_in_init(app, client)
    page = client.get(f"/designer/drafts/{draft_id}/deploy").get_data(as_text=True)
    assert re.search(r'id="sampled">2<', page) and re.search(r'id="failed-count"[^>]*>2<', page)
    failure = re.search(r'<tr class="failure" data-element-id="init">(.*?)</tr>', page, re.S)
    assert failure and "ZeroDivisionError" in failure.group(1)
    assert 'name="override_reason"' in page and 'id="diff-link"' in page
    assert "修改 1 处" in page  # the init script

    refused = client.post(
        f"/designer/drafts/{draft_id}/deploy", data={"csrf_token": token, "confirm": "1"}
    )
    assert refused.status_code == 409
    assert "未部署" in refused.get_data(as_text=True) and "init" in refused.get_data(as_text=True)
    no_reason = client.post(
        f"/designer/drafts/{draft_id}/deploy",
        data={"csrf_token": token, "confirm": "1", "override": "1", "override_reason": " "},
    )
    assert no_reason.status_code == 400 and "须填写理由" in no_reason.get_data(as_text=True)
    assert _versions(app) == [1]

    forced = client.post(
        f"/designer/drafts/{draft_id}/deploy",
        data={"csrf_token": token, "confirm": "1", "override": "1", "override_reason": "演练"},
    )
    assert forced.status_code == 302 and _versions(app) == [1, 2]
    with app.extensions["juhaoban.host"].session_factory() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "definition.deploy_override")
        ).one()
        assert session.get(ProcessDraft, draft_id).deployed_definition_id is not None
    assert (event.actor, event.detail["reason"]) == ("designer", "演练")
    assert [f["element_id"] for f in event.detail["failures"]] == ["init", "init"]


def test_deploying_without_confirmation_changes_nothing(app, login) -> None:
    client = login("designer")
    token = csrf_from(client.get("/designer/").get_data(as_text=True))
    opened = client.post("/designer/versions/1/draft", data={"csrf_token": token})
    draft_id = int(opened.headers["Location"].rsplit("/", 1)[1])
    form = client.post(f"/designer/drafts/{draft_id}/deploy", data={"csrf_token": token})
    assert form.status_code == 400 and "请先勾选确认" in form.get_data(as_text=True)
    scripted = client.post(
        f"/designer/drafts/{draft_id}/deploy", json={}, headers={"X-CSRF-Token": token}
    )
    assert scripted.status_code == 400 and scripted.get_json()["ok"] is False
    assert _versions(app) == [1]


def test_scripts_deploy_with_json_and_get_the_failures_when_refused(app, login) -> None:
    client = login("designer")
    draft_id, token = draft_raising_in_init(app, client)
    url = f"/designer/drafts/{draft_id}/deploy"
    refused = client.post(url, json={"confirm": True}, headers={"X-CSRF-Token": token})
    assert refused.status_code == 409
    assert {f["element_id"] for f in refused.get_json()["failures"]} == {"init"}
    forced = client.post(
        url, json={"confirm": True, "override_reason": "演练"}, headers={"X-CSRF-Token": token}
    )
    assert forced.get_json()["version"] == 2


def test_the_draft_diff_compares_with_the_current_version(app, login) -> None:
    client = login("designer")
    draft_id, _token = draft_raising_in_init(app, client)
    page = client.get(f"/designer/drafts/{draft_id}/diff").get_data(as_text=True)
    assert "第 1 版 → 草稿" in page and 'data-element-id="init"' in page
