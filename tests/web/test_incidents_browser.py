"""The incident page in Chromium: the administrator suspends a failing case and moves it."""

from __future__ import annotations

from tests.web.browser import expect, login_page, shot
from tests.web.test_incidents_pages import TICKET, failing, host  # noqa: F401  (fixtures)


def test_the_admin_suspends_and_moves_a_failing_case(browser, live_url, failing, host):  # noqa: F811
    host.deploy(TICKET.replace("reminders + 1", "1"), actor="designer")
    page = login_page(browser, live_url, "admin", width=1366)
    page.click("text=运行异常")
    row = page.locator("#incident-1")
    expect(row).to_contain_text("定时器故障")
    expect(row).to_contain_text("ticket 第 1 版")
    shot(page, "incidents-open")

    row.locator("button", has_text="暂停").click()
    expect(page.locator(".flash")).to_contain_text(f"流程实例 {failing} 已暂停")
    expect(page.locator(f"#suspended-{failing}")).to_be_visible()
    page.locator(f"#suspended-{failing} select").select_option(label="第 2 版")
    page.locator(f"#suspended-{failing} button", has_text="迁移到版本…").click()
    expect(page.locator(".flash")).to_contain_text("已从第 1 版迁移到第 2 版")
    shot(page, "incidents-after-move")
