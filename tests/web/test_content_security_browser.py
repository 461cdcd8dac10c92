"""The Content-Security-Policy in real headless Chromium.

(a) A diagram stored before script was refused at import (written straight into its row)
runs nothing when a designer opens its links, its version page or the editor on it.
(b) The designer's editor (bpmn-js and the properties panel), the analytics pages (ECharts)
and the report page work under the policy: they render and raise no CSP violation.
Screenshots go to build/screenshots."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from analytics import publish_ranking, publish_report
from analytics.periods import half_year, month
from engine.core.persistence.models import ProcessDefinition
from engine.core.process_drafts import DraftDesk
from responsibility_catalog import load_catalogs, shipped_data_path
from simulation import generate
from tests.web.browser import Page, expect, login_page, new_page, shot

pytestmark = pytest.mark.slow

# Every way the stored script could tell us it ran: the page title, a function the test
# exposes to every frame, and a request to a URL the test watches.
PAYLOAD = (
    '<bpmn:extensionElements><h:script xmlns:h="http://www.w3.org/1999/xhtml">'
    "document.title = 'pwned'; if (window.pwned) { window.pwned(location.href); } "
    "new Image().src = '/pwned?' + encodeURIComponent(location.href);</h:script>"
    '<svg:svg xmlns:svg="http://www.w3.org/2000/svg" onload="window.pwned &amp;&amp; '
    "window.pwned('svg')\"/>"
)
# Records CSP violations in every document the page opens, before any of its scripts run.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""


def _watch(page: Page) -> dict[str, list[str]]:
    """Collect script that ran from the stored diagram, console errors and CSP violations."""
    seen: dict[str, list[str]] = {"ran": [], "errors": [], "requests": []}
    page.expose_function("pwned", lambda where: seen["ran"].append(where))
    page.context.add_init_script(WATCH_VIOLATIONS)
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda err: seen["errors"].append(str(err)))
    page.on("request", lambda r: seen["requests"].append(r.url) if "/pwned" in r.url else None)
    return seen


def _violations(page: Page) -> list[str]:
    return page.evaluate("() => window.__cspViolations || []")


def _script_policy(page: Page) -> str:
    """The script-src the current page was served with (same cookies as the page)."""
    policy = page.request.get(page.url).headers.get("content-security-policy", "")
    return next((d.strip() for d in policy.split(";") if d.strip().startswith("script-src")), "")


def test_a_stored_diagram_with_a_script_runs_nothing_when_opened(browser, live_url, app):
    host = app.extensions["juhaoban.host"]
    with host.session_factory() as session, session.begin():
        row = session.scalars(select(ProcessDefinition)).first()
        row.bpmn_xml = row.bpmn_xml.replace("<bpmn:extensionElements>", PAYLOAD, 1)
        definition_id = row.id
    draft_id = DraftDesk(host, county="julu").from_version(definition_id, actor="designer")

    page = login_page(browser, live_url, "designer", width=1400)
    seen = _watch(page)
    page.goto(f"{live_url}/designer/versions/{definition_id}")
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    for link in (
        f"/designer/versions/{definition_id}.bpmn",
        f"/designer/drafts/{draft_id}.bpmn",
    ):
        try:
            page.goto(f"{live_url}{link}")
        except Exception as err:  # noqa: BLE001 - Chromium aborts a navigation that downloads
            assert "ERR_ABORTED" in str(err) or "Download is starting" in str(err)
        assert seen["ran"] == [] and page.title() != "pwned", link
    # The link on the version page downloads too.
    page.goto(f"{live_url}/designer/versions/{definition_id}")
    with page.expect_download():
        page.get_by_role("link", name="下载 .bpmn").click()
    assert [d.suggested_filename for d in downloads] == [
        "complaint-v1.bpmn",
        f"complaint-draft-{draft_id}.bpmn",
        "complaint-v1.bpmn",
    ]
    assert "h:script" in Path(downloads[0].path()).read_text(encoding="utf-8")
    # The version page draws the diagram, and the editor loads it, without running it.
    page.goto(f"{live_url}/designer/versions/{definition_id}")
    expect(page.locator(".djs-element[data-element-id='sign_for']").first).to_be_visible()
    page.goto(f"{live_url}/designer/drafts/{draft_id}")
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator("#canvas .djs-element[data-element-id='sign_for']").first).to_be_visible()
    shot(page, "csp-01-editor-on-a-diagram-with-a-stored-script")

    assert seen["ran"] == [] and seen["requests"] == []
    assert page.title() != "pwned"


@pytest.fixture
def history(app, clock):
    """A few months of synthetic cases, one published list and one half-year report."""
    host = app.extensions["juhaoban.host"]
    generate(
        host.session_factory,
        catalog=load_catalogs(shipped_data_path())[-1],
        start=datetime(2025, 7, 1, tzinfo=UTC),
        end=clock.now(),
        count=600,
        now=clock.now(),
    )
    ranking = publish_ranking(
        host.session_factory, county="julu", period=month(2026, 2), now=clock.now(), actor="t"
    )
    report = publish_report(
        host.session_factory, county="julu", period=half_year(2025, 2), now=clock.now(), actor="t"
    )
    return ranking.snapshot_id, report.snapshot_id


def test_editor_charts_and_report_page_work_under_the_policy(browser, live_url, history):
    ranking_id, report_id = history
    designer = login_page(browser, live_url, "designer", width=1500)
    seen = _watch(designer)
    designer.goto(f"{live_url}/designer/")
    designer.locator("tr.version").first.get_by_role("button", name="编辑为新草稿").click()
    designer.wait_for_selector("body[data-ready='1']")
    expect(designer.locator("#canvas .djs-element.djs-shape").first).to_be_visible()
    designer.fill("#find-element", "handle_reminder")  # selects it: the panel renders
    designer.press("#find-element", "Enter")
    expect(designer.locator("#properties")).to_contain_text("办理提醒")
    shot(designer, "csp-02-designer-editor")
    assert _violations(designer) == [] and seen["errors"] == []
    assert "'nonce-" in _script_policy(designer)
    assert "unsafe-eval" not in _script_policy(designer)

    leader = login_page(browser, live_url, "leader", width=1400)
    leader_seen = _watch(leader)
    checks = [
        ("/analytics/", "#days-chart canvas", "csp-03-dashboard"),
        ("/analytics/heatmap?period=2025-H2", "#county-map canvas", "csp-04-heatmap"),
        (f"/analytics/rankings/{ranking_id}", "#scores-township canvas", "csp-05-ranking"),
        (f"/analytics/reports/{report_id}", "canvas", "csp-06-report"),
    ]
    for path, chart, name in checks:
        leader.goto(f"{live_url}{path}")
        expect(leader.locator(chart).first).to_be_visible()
        shot(leader, name)
        assert _violations(leader) == [], path
        assert "'nonce-" in _script_policy(leader) and "unsafe" not in _script_policy(leader)
    assert leader_seen["errors"] == []

    resident = new_page(browser)
    resident_seen = _watch(resident)
    resident.goto(f"{live_url}/report/new")
    expect(resident.locator("#locate")).to_be_visible()  # report.js ran and found geolocation
    shot(resident, "csp-07-report-page")
    assert _violations(resident) == [] and resident_seen["errors"] == []
    # Script injected into the page (what stored XSS would add) is blocked, and reported.
    injected = resident.evaluate(
        """() => {
          const s = document.createElement('script');
          s.textContent = 'window.__injected = true';
          document.body.appendChild(s);
          return window.__injected === true;
        }"""
    )
    assert injected is False
    assert _violations(resident) == ["script-src-elem inline"]
