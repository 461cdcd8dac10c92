"""The reporter's case pages after they moved under /cases (issue 23's vocabulary), in Chromium
at a phone's and a desktop's width: reached from the submitted page, from the navigation and
from an old /report address; screenshots for people to look at."""

from __future__ import annotations

import re

import pytest

from tests.web.browser import expect, login_page, new_page, shot
from tests.web.test_report_helpers import code_of, photo, post_report, reply


@pytest.mark.parametrize("width", [390, 1366])
def test_reporter_reaches_the_case_pages_old_and_new_addresses(
    browser, live_url, app, login, width
):
    code = code_of(post_report(login("resident"), photos=[photo()]))
    reply(app, code, text="已修复供水管道")

    page = login_page(browser, live_url, "resident", width=width)
    page.goto(f"{live_url}/report/submitted/{code}")
    shot(page, f"case-pages-submitted-{width}")
    page.click("text=查看办理进度")
    expect(page).to_have_url(f"{live_url}/cases/track?code={code}")
    expect(page.locator("body")).to_contain_text("已修复供水管道")
    shot(page, f"case-pages-track-{width}")

    page.click("nav >> text=我的诉求")
    expect(page).to_have_url(f"{live_url}/cases/mine")
    shot(page, f"case-pages-mine-{width}")
    page.locator("ul.case-list li", has_text=code).locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/cases/mine/\d+$"))
    expect(page.locator("input[name=satisfaction]").first).to_be_visible()
    shot(page, f"case-pages-mine-detail-{width}")

    # A tracking link printed or bookmarked before the move.
    visitor = new_page(browser, width)
    visitor.goto(f"{live_url}/report/track?code={code}")
    expect(visitor).to_have_url(f"{live_url}/cases/track?code={code}")
    expect(visitor.locator("body")).to_contain_text("已修复供水管道")
    visitor.goto(f"{live_url}/")
    expect(visitor.locator("a", has_text="查询办理进度")).to_have_attribute("href", "/cases/track")
    shot(visitor, f"case-pages-home-{width}")
    # No page shows a horizontal scroll bar at this width.
    for p in (page, visitor):
        assert p.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [390, 1366])
def test_designer_version_page_names_instance_states(browser, live_url, app, login, width):
    """The version page's recent instances read the engine's records and state names."""
    post_report(login("resident"))
    page = login_page(browser, live_url, "designer", width=width)
    page.goto(f"{live_url}/designer/")
    page.locator("a[href^='/designer/versions/']").first.click()
    expect(page.locator("table").last).to_contain_text("运行中")
    shot(page, f"designer-version-{width}")
    page.locator("table a[href^='/designer/instances/']").first.click()
    expect(page.locator("main")).to_contain_text("运行中")
    shot(page, f"designer-instance-{width}")
