"""The instance migration page in headless Chromium at 1366 and 390 px: the preview, a dry
run that moves nothing, the confirmation the browser insists on, and the real migration.
Screenshots designer-migrate-* go to build/screenshots."""

from __future__ import annotations

import pytest

from tests.web.browser import expect, login_page, shot
from tests.web.test_designer_migration_pages import URL, start_cases, versions_of

pytestmark = pytest.mark.slow


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_designer_previews_dry_runs_and_migrates(browser, live_url, app, tmp_path) -> None:
    cases = start_cases(app, tmp_path / "v2")
    everything = sum(cases.values(), [])
    for width in (1366, 390):
        page = login_page(browser, live_url, "designer", width=width)
        page.goto(f"{live_url}{URL}")
        expect(page.locator("#movable-count")).to_have_text("3")
        expect(page.locator("#blocked-count")).to_have_text("2")
        expect(page.locator("#blocked")).to_contain_text("实例已被暂停")
        expect(page.locator("#by-element tr[data-element-id='sign_for']")).to_contain_text("签收")
        assert no_horizontal_scroll(page)
        shot(page, f"designer-migrate-preview-{width}")

        page.click("#dry-run")
        expect(page.locator("#migration-result")).to_contain_text("试运行：可迁移 3 件")
        assert no_horizontal_scroll(page)
        shot(page, f"designer-migrate-dry-run-{width}")
        assert versions_of(app, everything) == [1] * 5
        page.close()

    page = login_page(browser, live_url, "designer", width=390)
    page.goto(f"{live_url}{URL}?from=1&to=2")
    # The browser will not send the migration before the box is ticked.
    page.click("#confirm-migrate")
    expect(page.locator("#migration-result")).to_have_count(0)
    assert versions_of(app, everything) == [1] * 5
    page.check("#confirm")
    page.click("#confirm-migrate")
    expect(page.locator("#migration-result")).to_contain_text("已迁移 3 件，2 件未迁移（原因见下）")
    expect(page.locator("#refused")).to_contain_text("第 2 版缺少实例用到的环节 determine")
    assert no_horizontal_scroll(page)
    shot(page, "designer-migrate-done-390")
    assert versions_of(app, cases["routed"]) == [2, 2, 2]

    wide = login_page(browser, live_url, "designer", width=1366)
    wide.goto(f"{live_url}/designer/versions/1")
    wide.click("#migrate-link")
    expect(wide.locator("#movable-count")).to_have_text("0")
    expect(wide.locator("#confirm-migrate")).to_have_count(0)
    expect(wide.locator("#nothing-movable")).to_contain_text("没有可迁移到第 2 版的实例")
    shot(wide, "designer-migrate-after-1366")
