"""The editor in headless Chromium with diagrams drawn elsewhere: a file that binds the
``camunda`` prefix to Activiti's namespace saves and deploys (and a failed save says why
instead of hanging), a problem inside a collapsed subprocess is counted on the subprocess
and a click opens it, and the complaint diagram opens readable at 1366 px and, read-only,
at 390 px. Screenshots designer-fidelity-* go to build/screenshots."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.core.process_drafts import DraftDesk
from tests.web.browser import Page, expect, login_page, shot

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).parent / "fixtures"
REBINDING = FIXTURES / "activiti_rebinds_camunda.bpmn"
COLLAPSED = FIXTURES / "collapsed_subprocess_problem.bpmn"
# bpmn-js draws a start event 36 units wide: at a readable zoom (>= 0.6) that is >= 21 px.
READABLE_START_PX = 36 * 0.6 - 0.5


def _import(page: Page, base: str, diagram: Path) -> int:
    page.goto(f"{base}/designer/")
    page.set_input_files("#diagram-file", str(diagram))
    page.locator("#import").get_by_role("button", name="导入").click()
    page.wait_for_selector("body[data-ready='1']")
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def _box(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not drawn"
    return box


def test_a_diagram_binding_camunda_to_activiti_saves_and_deploys(browser, live_url, app) -> None:
    page = login_page(browser, live_url, "designer", width=1366)
    draft_id = _import(page, live_url, REBINDING)
    status = page.locator("#status")
    expect(status).to_contain_text("前缀 camunda")
    expect(status).to_contain_text("已改名为 activiti")

    # A save the server never answers ends with the reason, not "正在保存…" for ever.
    page.route("**/save", lambda route: route.abort())
    page.click("#save")
    expect(status).to_contain_text("未保存：无法连接服务器")
    page.click("#deploy")
    expect(status).to_contain_text("未部署：草稿没有保存成功")
    page.unroute("**/save")

    page.click("#save")
    expect(status).to_contain_text("草稿已保存，检查通过")
    saved = DraftDesk(app.extensions["juhaoban.host"], county="julu").get(draft_id).bpmn_xml
    assert 'xmlns:activiti="http://activiti.org/bpmn"' in saved
    assert 'activiti:initiator="reporter"' in saved  # Activiti's own settings kept
    assert "<activiti:executionListener" in saved
    shot(page, "designer-fidelity-01-rebound-prefix-saved")

    page.click("#deploy")
    page.wait_for_url("**/drafts/*/deploy")
    page.check("input[name=confirm]")
    page.click("#confirm-deploy")
    expect(page.locator(".flash")).to_contain_text("已部署为第 1 版")
    shot(page, "designer-fidelity-02-rebound-prefix-deployed")


def test_a_problem_inside_a_collapsed_subprocess_is_counted_on_it_and_opens_it(
    browser, live_url
) -> None:
    page = login_page(browser, live_url, "designer", width=1366)
    _import(page, live_url, COLLAPSED)
    problem = page.locator("#problems li[data-element-id='tally']")
    expect(problem).to_contain_text("现场巡查 › 统计问题")
    badge = page.locator(".problem-badge.inside[data-subprocess='patrol']")
    expect(badge).to_have_text("内有 1 个问题")
    expect(
        page.locator(".djs-element.has-problem-inside[data-element-id='patrol']")
    ).to_be_visible()
    tally = page.locator(".djs-element.has-problem[data-element-id='tally']")
    expect(tally).to_be_hidden()  # drawn on the subprocess's own plane
    shot(page, "designer-fidelity-03-collapsed-subprocess-badge")
    page.click("#check")  # the server's answer places the problem the same way
    expect(page.locator("#status")).to_contain_text("检查发现 1 个问题")
    expect(badge).to_have_text("内有 1 个问题")

    problem.locator("a.where").click()
    expect(tally).to_be_visible()
    expect(page.locator(".bjs-breadcrumbs")).to_contain_text("现场巡查")
    expect(page.locator(".djs-element.selected[data-element-id='tally']")).to_have_count(1)
    shot(page, "designer-fidelity-04-subprocess-opened")

    # Back at the top level, the badge itself drills in too.
    page.locator(".bjs-breadcrumbs li").first.click()
    expect(tally).to_be_hidden()
    badge.click()
    expect(tally).to_be_visible()


def test_the_complaint_diagram_opens_readable_beside_the_palette(browser, live_url) -> None:
    page = login_page(browser, live_url, "designer", width=1366)
    page.goto(f"{live_url}/designer/")
    page.locator("#process-complaint tr.version").first.get_by_role(
        "button", name="编辑为新草稿"
    ).click()
    page.wait_for_selector("body[data-ready='1']")
    start = _box(page, ".djs-element.djs-shape[data-element-id='start']")
    palette = _box(page, ".djs-palette")
    assert start["width"] >= READABLE_START_PX
    assert start["x"] > palette["x"] + palette["width"]  # not under the palette
    assert start["y"] + start["height"] <= _box(page, "#canvas")["y"] + 900
    shot(page, "designer-fidelity-05-complaint-1366")


def test_a_phone_opens_the_complaint_editor_read_only_and_readable(browser, live_url) -> None:
    errors: list[str] = []
    page = login_page(browser, live_url, "designer", width=1366)
    page.goto(f"{live_url}/designer/")
    page.locator("#process-complaint tr.version").first.get_by_role(
        "button", name="编辑为新草稿"
    ).click()
    page.wait_for_selector("body[data-ready='1']")
    editor_url = page.url
    page.close()

    phone = login_page(browser, live_url, "designer", width=390)
    phone.on("pageerror", lambda err: errors.append(str(err)))
    phone.goto(editor_url)
    phone.wait_for_selector("body[data-ready]")
    assert phone.locator("body").get_attribute("data-ready") == "1", phone.text_content("#status")
    expect(phone.locator("#read-only-note")).to_have_text("手机上只能查看，编辑请使用电脑")
    expect(phone.locator("#properties")).to_be_hidden()
    expect(phone.locator("#save")).to_be_hidden()
    expect(phone.locator(".djs-palette")).to_have_count(0)
    canvas = _box(phone, "#canvas")
    start = _box(phone, ".djs-element.djs-shape[data-element-id='start']")
    assert start["width"] >= READABLE_START_PX
    assert (
        canvas["x"] <= start["x"] and start["x"] + start["width"] <= canvas["x"] + canvas["width"]
    )
    assert (
        canvas["y"] <= start["y"] and start["y"] + start["height"] <= canvas["y"] + canvas["height"]
    )
    shot(phone, "designer-fidelity-06-complaint-390-read-only")

    # A finger drag pans the diagram.
    before = start["x"]
    phone.locator("#canvas").dispatch_event(
        "pointerdown", {"pointerType": "touch", "clientX": 300, "clientY": 600, "isPrimary": True}
    )
    phone.locator("#canvas").dispatch_event(
        "pointermove", {"pointerType": "touch", "clientX": 200, "clientY": 600, "isPrimary": True}
    )
    phone.locator("#canvas").dispatch_event("pointerup", {"pointerType": "touch"})
    assert _box(phone, ".djs-element.djs-shape[data-element-id='start']")["x"] == pytest.approx(
        before - 100, abs=1
    )

    # The version page's diagram is as readable on the phone.
    phone.goto(f"{live_url}/designer/")
    phone.locator("#process-complaint tr.version a").first.click()
    phone.wait_for_selector("body[data-diagrams-ready='1']")
    on_version = _box(phone, ".diagram .djs-element.djs-shape[data-element-id='start']")
    assert on_version["width"] >= READABLE_START_PX
    shot(phone, "designer-fidelity-07-version-390")
    assert errors == []
