"""Signing in and out in Chromium: the password page from the menu, a wrong old password named
next to its field, a changed password ending the session in a second browser."""

from __future__ import annotations

import re

from cli.demo.users import DEMO_PASSWORD
from tests.web.browser import expect, login_page, new_page, shot


def test_a_unit_changes_its_password_and_the_other_browser_is_signed_out(browser, live_url):
    page = login_page(browser, live_url, "water", width=390)
    other = login_page(browser, live_url, "water", width=1366)
    page.click("text=修改密码")
    expect(page.locator("h1")).to_have_text("修改密码")
    shot(page, "password-page-390")

    page.fill("#old_password", "not-the-password")
    page.fill("#new_password", "ShuiWu-2026!")
    page.fill("#new_password_again", "ShuiWu-2026!")
    page.click("button[type=submit]")
    expect(page.locator(".field-error").first).to_be_visible()
    shot(page, "password-page-wrong-old")

    page.fill("#old_password", DEMO_PASSWORD)
    page.fill("#new_password", "ShuiWu-2026!")
    page.fill("#new_password_again", "ShuiWu-2026!")
    page.click("button[type=submit]")
    expect(page.locator(".flash")).to_be_visible()
    shot(page, "password-changed")

    other.reload()
    expect(other).to_have_url(re.compile(r"/auth/login\?next="))
    expect(other.locator("nav")).not_to_contain_text("修改密码")
    fresh = new_page(browser, 1366)
    fresh.goto(f"{live_url}/auth/login")
    fresh.fill("#username", "water")
    fresh.fill("#password", "ShuiWu-2026!")
    fresh.click("button[type=submit]")
    expect(fresh.locator("nav")).to_contain_text("修改密码")
