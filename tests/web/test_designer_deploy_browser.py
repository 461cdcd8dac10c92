"""The deploy confirmation in headless Chromium: a version whose ``init`` raises shows the
failing element, is refused, and goes live only with a reason. Screenshots at 1366 px and
390 px go to build/screenshots."""

from __future__ import annotations

import pytest

from tests.web.browser import expect, login_page, shot
from tests.web.test_designer_deploy import draft_raising_in_init

pytestmark = pytest.mark.slow


def test_the_designer_sees_the_failed_replay_and_overrides_with_a_reason(
    browser, live_url, app, login
) -> None:
    draft_id, _token = draft_raising_in_init(app, login("designer"))
    for width in (1366, 390):
        page = login_page(browser, live_url, "designer", width=width)
        page.goto(f"{live_url}/designer/drafts/{draft_id}/deploy")
        failure = page.locator("#failures tr.failure[data-element-id='init']")
        expect(failure).to_have_count(2)
        expect(failure.first).to_contain_text("ZeroDivisionError")
        expect(failure.first).to_contain_text("初始化流程变量")
        expect(page.locator("#failed-count")).to_have_text("2")
        shot(page, f"designer-06-deploy-refused-{width}")
        page.close()

    page = login_page(browser, live_url, "designer", width=1366)
    page.goto(f"{live_url}/designer/drafts/{draft_id}/deploy")
    page.check("input[name=confirm]")
    page.click("#confirm-deploy")
    expect(page.locator("#deploy-error")).to_contain_text("未部署")
    page.check("input[name=override]")
    page.fill("#override-reason", "演练：初始化脚本的问题已知，另行修复")
    page.check("input[name=confirm]")
    page.click("#confirm-deploy")
    expect(page.locator(".flash")).to_contain_text("已部署为第 2 版")
