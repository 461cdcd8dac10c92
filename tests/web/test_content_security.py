"""Stored diagrams are downloads that cannot run script; every page carries a strict
Content-Security-Policy whose nonce is the only way inline script runs, and a
Permissions-Policy."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from engine.core.persistence.models import ProcessDefinition
from tests.web.conftest import csrf_from

HTML_SCRIPT = (
    '<bpmn:extensionElements><h:script xmlns:h="http://www.w3.org/1999/xhtml">'
    "document.title = 'pwned'</h:script>"
)
# One account of each kind (role, unit staff and lead, agriculture), and nobody signed in.
USERS = [
    None,
    "resident",
    "gridworker",
    "water",
    "water_lead",
    "agri",
    "expert",
    "grower",
    "dispatcher",
    "dispatch_lead",
    "orgdept",
    "designer",
    "leader",
    "admin",
]
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>", re.I)
_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def _open_draft(client) -> int:
    token = csrf_from(client.get("/designer/").get_data(as_text=True))
    response = client.post("/designer/versions/1/draft", data={"csrf_token": token})
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _directives(response) -> dict[str, str]:
    policy = response.headers.get("Content-Security-Policy", "")
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in policy.split(";")
        if part.strip()
    }


@pytest.mark.parametrize("path", ["/designer/versions/1.bpmn", "/designer/drafts/{draft}.bpmn"])
def test_stored_diagrams_are_sandboxed_downloads(app, login, path) -> None:
    designer = login("designer")
    draft_id = _open_draft(designer)
    response = designer.get(path.format(draft=draft_id))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    directives = _directives(response)
    assert "sandbox" in directives and directives["default-src"] == "'none'"
    assert "<bpmn:definitions" in response.get_data(as_text=True)  # the editor still reads it


def test_a_diagram_stored_before_the_rule_is_still_served_inert(app, login) -> None:
    host = app.extensions["juhaoban.host"]
    with host.session_factory() as session, session.begin():
        row = session.scalars(select(ProcessDefinition)).first()
        row.bpmn_xml = row.bpmn_xml.replace("<bpmn:extensionElements>", HTML_SCRIPT, 1)
    response = login("dispatcher").get("/designer/versions/1.bpmn")
    assert "<h:script" in response.get_data(as_text=True)
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in _directives(response)


def test_the_designer_refuses_to_save_a_draft_with_a_script(app, login) -> None:
    designer = login("designer")
    draft_id = _open_draft(designer)
    good = designer.get(f"/designer/drafts/{draft_id}.bpmn").get_data(as_text=True)
    token = csrf_from(designer.get(f"/designer/drafts/{draft_id}").get_data(as_text=True))
    bad = good.replace("<bpmn:extensionElements>", HTML_SCRIPT, 1)
    response = designer.post(
        f"/designer/drafts/{draft_id}/save",
        data=bad.encode(),
        headers={"X-CSRF-Token": token, "Content-Type": "application/xml"},
    )
    assert response.status_code == 400
    problems = response.get_json()["problems"]
    assert problems[0]["code"] == "active-content" and "<h:script>" in problems[0]["message"]
    assert designer.get(f"/designer/drafts/{draft_id}.bpmn").get_data(as_text=True) == good


def _pages(app) -> list[str]:
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
    )


def test_every_page_of_every_role_has_a_strict_policy_with_a_nonce(app, login) -> None:
    pages_seen = 0
    nonces: set[str] = set()
    for username in USERS:
        client = login(username) if username else app.test_client()
        for path in _pages(app):
            response = client.get(path)
            where = f"{username or '未登录'} {path} ({response.status_code})"
            directives = _directives(response)
            assert directives.get("default-src") == "'self'", where
            assert directives.get("object-src") == "'none'", where
            assert directives.get("frame-ancestors") == "'none'", where
            assert directives.get("base-uri") == "'self'", where
            assert directives.get("form-action") == "'self'", where
            script = directives.get("script-src", "")
            assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, where
            nonce = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9_-]{16,})'", script)
            assert nonce, where
            policy = response.headers.get("Permissions-Policy", "")
            assert "geolocation=(self)" in policy and "camera=()" in policy, where
            assert "microphone=()" in policy, where
            if response.mimetype != "text/html":
                continue
            pages_seen += 1
            nonces.add(nonce.group(1))
            html = response.get_data(as_text=True)
            for attributes in _INLINE_SCRIPT.findall(html):
                if "application/json" in attributes:
                    continue  # data, never executed
                assert f'nonce="{nonce.group(1)}"' in attributes, where
            assert not _HANDLER.search(html), f"{where}: inline event handler"
            assert "javascript:" not in html, where
    assert pages_seen > 150
    assert len(nonces) == pages_seen  # a fresh nonce for every response


def test_pages_with_inline_script_and_print_pages(app, login) -> None:
    """Pages the route walk cannot reach without arguments: the editor, charts, print."""
    designer = login("designer")
    draft_id = _open_draft(designer)
    leader = login("leader")
    pages = [
        (designer, f"/designer/drafts/{draft_id}"),
        (designer, "/designer/versions/1"),
        (leader, "/analytics/"),
        (leader, "/analytics/heatmap"),
        (leader, "/analytics/rankings/"),
    ]
    pages.append((login("orgdept"), "/catalog/v/2022-06/print"))
    pages.append((app.test_client(), "/no/such/page"))
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == (404 if path == "/no/such/page" else 200), path
        html = response.get_data(as_text=True)
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
        assert nonce, path
        for attributes in _INLINE_SCRIPT.findall(html):
            if "application/json" not in attributes:
                assert f'nonce="{nonce.group(1)}"' in attributes, path
        assert not _HANDLER.search(html) and "javascript:" not in html, path
