"""The process designer in real headless Chromium: a designer changes the handling reminder
through the properties panel and deploys; complaints started afterwards get the new reminder,
one started before keeps the old one (on virtual time). Screenshots of the designer, the
diff and an instance view go to build/screenshots."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from engine.core.definition_diff import diff_definitions
from engine.core.definitions import validate
from engine.core.process_drafts import DraftDesk
from tests.engine.complaints.conftest import BPMN_DIR
from tests.engine.complaints.helpers import do, move_to, notifications, report
from tests.web.browser import Page, expect, login_page, shot

pytestmark = pytest.mark.slow
MAJIAYING = "xiguocheng-002"
SECOND = timedelta(seconds=1)


def _open_editor(page: Page, base: str) -> None:
    page.goto(f"{base}/designer/")
    shot(page, "designer-01-definitions")
    page.locator("#process-complaint tr.version").first.get_by_role(
        "button", name="编辑为新草稿"
    ).click()
    page.wait_for_selector("body[data-ready='1']")


def _select(page: Page, element_id: str) -> None:
    page.fill("#find-element", element_id)
    page.press("#find-element", "Enter")
    expect(page.locator("#properties")).to_contain_text("办理提醒")


def test_designer_changes_the_handling_reminder_for_new_complaints_only(
    browser, live_url, app, clock
) -> None:
    desk = app.extensions["juhaoban"].desk
    before = report(desk, "D07-07", MAJIAYING)

    page = login_page(browser, live_url, "designer", width=1500)
    page.set_viewport_size({"width": 1500, "height": 1000})
    _open_editor(page, live_url)
    _select(page, "handle_reminder")
    timer_group = page.locator("[data-group-id='group-timer']")
    if not timer_group.locator("#bio-properties-panel-timerEventDefinitionType").is_visible():
        timer_group.locator(".bio-properties-panel-group-header").click()
    page.select_option("#bio-properties-panel-timerEventDefinitionType", "timeDuration")
    value = page.locator("#bio-properties-panel-timerEventDefinitionValue")
    value.fill("P1D")  # the commonest slip: an unquoted ISO duration
    value.press("Tab")

    page.click("#check")
    problem = page.locator("#problems li[data-element-id='handle_reminder']")
    expect(problem).to_contain_text("未加引号")
    expect(
        page.locator(".djs-element.has-problem[data-element-id='handle_reminder']")
    ).to_have_count(1)
    shot(page, "designer-02-problem-at-element")
    page.click("#deploy")
    expect(page.locator("#status")).to_contain_text("不能部署")

    problem.get_by_role("button").click()  # one-click fix: "P1D" quoted
    expect(page.locator("#problem-count")).to_have_text("没有问题")
    page.click("#deploy")  # asks for confirmation: the complaint so far is replayed first
    page.wait_for_url("**/drafts/*/deploy")
    expect(page.locator("#sampled")).to_have_text("1")
    expect(page.locator("#same-stages")).to_have_text("1")
    expect(page.locator("#failed-count")).to_have_text("0")
    page.check("input[name=confirm]")
    page.click("#confirm-deploy")
    expect(page.locator(".flash")).to_contain_text("已部署为第 2 版")
    shot(page, "designer-03-deployed")

    after = report(desk, "D07-07", MAJIAYING)
    for submitted in (before, after):
        do(desk, submitted, "sign_for", {"decision": "accept"}, actor="staff:water")
    start = clock.now()
    move_to(desk, start + timedelta(days=1) + SECOND)
    assert notifications(desk, "water_supply", "handle_reminder") == [
        f"诉求 {after.tracking_code} 办理时限已过 80%"
    ]
    old_remind_at = datetime.fromisoformat(
        desk.host.instance_data(before.instance_id)["handle_deadline"]["remind_at"]
    )
    assert old_remind_at > start + timedelta(days=1)
    move_to(desk, old_remind_at + SECOND)
    assert len(notifications(desk, "water_supply", "handle_reminder")) == 2

    # The diff names the one element that changed and marks it on both diagrams.
    page.goto(f"{live_url}/designer/")
    page.get_by_role("link", name="与第 1 版比较").click()
    page.wait_for_selector("body[data-diagrams-ready='1']")
    changes = page.locator("#changes li.change")
    expect(changes).to_have_count(1)
    expect(changes.first).to_contain_text("办理提醒")
    expect(changes.first).to_contain_text('"P1D"')
    expect(
        page.locator("#new-diagram .djs-element.changed[data-element-id='handle_reminder']")
    ).to_have_count(1)
    shot(page, "designer-04-diff")

    # A dispatcher opens the instance view of the complaint started before the change.
    dispatcher = login_page(browser, live_url, "dispatcher", width=1500)
    dispatcher.goto(f"{live_url}/designer/instances/{before.instance_id}")
    dispatcher.wait_for_selector("body[data-diagrams-ready='1']")
    expect(dispatcher.locator("h1 + p")).to_contain_text("第 1 版")
    expect(dispatcher.locator(".djs-element.active[data-element-id='handle']")).to_have_count(1)
    expect(dispatcher.locator(".djs-element.done[data-element-id='sign_for']")).to_have_count(1)
    expect(dispatcher.locator("#timers")).to_contain_text("办理超期")
    expect(dispatcher.locator("#history")).to_contain_text("签收")
    shot(dispatcher, "designer-05-instance-view")


@pytest.mark.parametrize("diagram", ["complaint.bpmn", "joint_consultation.bpmn"])
def test_the_editor_round_trips_our_diagrams_without_a_change(
    browser, live_url, app, diagram
) -> None:
    """What the panel cannot edit (spiffworkflow service operators, payloads) survives an
    import and export by bpmn-js, so saving an untouched diagram changes nothing."""
    original = (BPMN_DIR / diagram).read_text(encoding="utf-8")
    drafts = DraftDesk(app.extensions["juhaoban.host"], county="julu")
    saved = drafts.from_upload(original.encode(), filename=diagram, actor="designer")
    page = login_page(browser, live_url, "designer", width=1500)
    page.goto(f"{live_url}/designer/drafts/{saved.draft_id}")
    page.wait_for_selector("body[data-ready='1']")
    exported = page.evaluate("async () => (await juhaobanModeler.saveXML({format: true})).xml")
    assert diff_definitions(original, exported).empty
    called = tuple(drafts.get(saved.draft_id).called_xmls)
    assert validate(exported, called_bpmn=called) == []
