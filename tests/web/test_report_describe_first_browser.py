"""The describe-first report page in Chromium on a 390 px phone: say what happened, pick a
suggested matter, add a photo, tap the map, submit; and a refused form that keeps the photo.
Screenshots: report-describe-first-390/-1366, report-describe-first-large-text-390,
report-kept-photos-390 (build/screenshots)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.web.browser import Page, expect, shot
from tests.web.test_report_helpers import PHONE, complaints, png_bytes, stored_files
from web.report.suggestions import suggest_for

pytestmark = pytest.mark.slow

PHONE_SIZE = {"width": 390, "height": 844}
TEXT = "俺们村东头那个垃圾池子都满出来半个月了，臭得很，也没人来拉"
VILLAGE = "juluzhen-001"  # 巨鹿镇 东关社区


@pytest.fixture(autouse=True)
def trained(app):
    """The shipped suggestion model trained before the page asks (once per process; it takes
    seconds to tens of seconds on a busy machine, longer than a browser test should wait)."""
    with app.test_request_context():
        assert suggest_for("垃圾池满了")


def _phone(browser: Browser) -> Page:
    return browser.new_page(viewport=PHONE_SIZE, locale="zh-CN", device_scale_factor=1)


def _describe_and_pick(page: Page) -> str:
    """Types the description; picks the first suggestion; returns its matter id."""
    page.fill("#description", TEXT)
    first = page.locator("#suggestions label.suggestion").first
    expect(first).to_contain_text("因为提到：")
    first.click()
    picked = first.locator("input").get_attribute("value") or ""
    assert picked
    expect(page.locator("#matter_id")).to_have_value(picked)
    return picked


def _attach_photo(page: Page) -> None:
    page.set_input_files(
        "#photos", files=[{"name": "pool.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    expect(page.locator("#photo-previews img")).to_have_count(1)


def _tap_village(page: Page, village_id: str) -> None:
    dot = page.locator(f'#county-map circle[data-v="{village_id}"]')
    dot.scroll_into_view_if_needed()
    box = dot.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#map-pin")).to_have_attribute("visibility", "visible")
    expect(page.locator("#village_id")).to_have_value(village_id)
    expect(page.locator("#township_id")).to_have_value("juluzhen")
    expect(page.locator("#place-found")).to_contain_text("已定位到：巨鹿镇 东关社区")
    assert page.input_value("#latitude") and page.input_value("#longitude")


def test_describe_pick_photo_pin_and_submit_on_a_phone(browser, live_url, app):
    page = _phone(browser)
    page.goto(f"{live_url}/report/new")
    # Describe first: the photo and the description come before the matter.
    order = page.eval_on_selector_all("#report-form section.card", "cards => cards.map(c => c.id)")
    assert order == ["describe", "matter", "place", "contact"]
    expect(page.locator("button[name=classify]")).to_be_hidden()  # script suggests as one types
    picked = _describe_and_pick(page)
    _attach_photo(page)
    _tap_village(page, VILLAGE)
    page.fill("#reporter_phone", PHONE)
    no_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_scroll, "the page is wider than the phone"
    shot(page, "report-describe-first-390")

    page.click("button.wide")
    expect(page.locator(".tracking-code")).to_be_visible()
    code = page.locator(".tracking-code").inner_text().strip()
    [complaint] = complaints(app)
    assert complaint.tracking_code == code
    assert complaint.matter_id == picked and complaint.village_id == VILLAGE
    assert len(complaint.photos) == 1 and complaint.photos[0] in stored_files(app)
    assert complaint.latitude and complaint.longitude


def test_the_page_at_desktop_width_and_in_large_text(browser, live_url):
    desk = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    desk.goto(f"{live_url}/report/new")
    _describe_and_pick(desk)
    _tap_village(desk, VILLAGE)
    shot(desk, "report-describe-first-1366")

    page = _phone(browser)
    page.goto(f"{live_url}/report/new")
    body = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body >= 17, f"body text is {body}px on a phone"
    page.click("#large-text")
    expect(page.locator("html")).to_have_class("js large-text")
    large = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert large >= 1.3 * body
    page.reload()  # remembered on this phone
    expect(page.locator("#large-text")).to_have_attribute("aria-pressed", "true")
    _describe_and_pick(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "report-describe-first-large-text-390")


def test_a_refused_form_keeps_the_photo_until_it_is_sent(browser, live_url, app):
    page = _phone(browser)
    page.goto(f"{live_url}/report/new")
    picked = _describe_and_pick(page)
    _attach_photo(page)
    _tap_village(page, VILLAGE)
    page.click("button.wide")  # no phone number: a public reporter must leave one

    expect(page.locator("#reporter_phone-error")).to_contain_text("请留下手机号")
    kept = page.locator("#kept-photos img")
    expect(kept).to_have_count(1)
    expect(kept).to_have_js_property("complete", True)
    assert kept.evaluate("img => img.naturalWidth") == 8, "the kept photo is shown"
    expect(page.locator(".error")).to_contain_text("已选的照片已保留（1 张）")
    expect(page.locator("#matter_id")).to_have_value(picked)
    expect(page.locator("#village_id")).to_have_value(VILLAGE)
    assert complaints(app) == []
    shot(page, "report-kept-photos-390")

    page.fill("#reporter_phone", PHONE)
    page.click("button.wide")
    expect(page.locator(".tracking-code")).to_be_visible()
    [complaint] = complaints(app)
    assert complaint.matter_id == picked and len(complaint.photos) == 1
    assert complaint.photos[0] in stored_files(app)


def test_gps_picks_the_nearest_village_and_refuses_a_place_outside_the_county(browser, live_url):
    context = browser.new_context(
        viewport=PHONE_SIZE,
        locale="zh-CN",
        permissions=["geolocation"],
        geolocation={"latitude": 39.9042, "longitude": 116.4074},  # Beijing
    )
    page = context.new_page()
    page.goto(f"{live_url}/report/new")
    page.click("#locate")
    expect(page.locator("#place-found")).to_contain_text("您现在的位置不在巨鹿县范围内")
    expect(page.locator("#village_id")).to_have_value("")
    assert page.input_value("#latitude") == ""

    context.set_geolocation({"latitude": 37.2213, "longitude": 115.0368})
    page.click("#locate")
    expect(page.locator("#place-found")).to_contain_text("已定位到：巨鹿镇 东关社区")
    expect(page.locator("#village_id")).to_have_value(VILLAGE)
    expect(page.locator("#map-pin")).to_have_attribute("visibility", "visible")
    assert page.input_value("#latitude") == "37.221300"
    context.close()


def test_without_script_help_me_classify_then_report(browser, live_url, app):
    context = browser.new_context(viewport=PHONE_SIZE, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_url}/report/new")
    expect(page.locator("#county-map")).to_be_hidden()  # a map nobody can tap is not shown
    page.fill("#description", TEXT)
    page.set_input_files(
        "#photos", files=[{"name": "pool.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.click("button[name=classify]")
    first = page.locator("#suggestions label.suggestion").first
    expect(first).to_contain_text("因为提到：")
    expect(page.locator("#kept-photos img")).to_have_count(1)
    first.click()
    picked = first.locator("input").get_attribute("value")
    page.select_option("#township_id", "juluzhen")
    page.select_option("#village_id", VILLAGE)
    page.fill("#reporter_phone", PHONE)
    shot(page, "report-describe-first-no-script-390")
    page.click("button.wide")
    expect(page.locator(".tracking-code")).to_be_visible()
    [complaint] = complaints(app)
    assert complaint.matter_id == picked and complaint.village_id == VILLAGE
    assert len(complaint.photos) == 1
    context.close()
