"""A timer picks a working-day deadline the diagram computes, in real headless Chromium
(issue 21: timers with the working-day helpers). The engine counts working days in service
operations (ADR 0003), so the timer's helper lists the deadlines this diagram's service tasks
store, and picking one writes the expression the validator accepts and the engine evaluates."""

from __future__ import annotations

import pytest

from tests.web.browser import Page, expect, login_page, shot
from tests.web.test_designer_panel_browser import _open_complaint_editor, _saved_xml

pytestmark = pytest.mark.slow


def _open_timer_group(page: Page) -> None:
    header = page.locator("[data-group-id='group-timer'] .bio-properties-panel-group-header")
    if "open" not in (header.get_attribute("class") or "").split():
        header.click()


def _check_clean(page: Page, element_id: str) -> None:
    page.click("#check")
    expect(page.locator("#status")).not_to_contain_text("正在检查")
    expect(page.locator(f"#problems li[data-element-id='{element_id}']")).to_have_count(0)


def test_a_timer_references_a_working_day_deadline_picked_from_the_diagram(
    browser, live_url
) -> None:
    page = login_page(browser, live_url, "designer", width=1500)
    page.set_viewport_size({"width": 1500, "height": 1000})
    _open_complaint_editor(page, live_url)
    page.fill("#find-element", "determine_reminder")
    page.press("#find-element", "Enter")
    _open_timer_group(page)

    picker = page.locator("#juhaoban-timer-deadline")
    # The complaint diagram computes the sign-for and handling deadlines in service tasks.
    # The options arrive with the panel's options (a request): wait for them, then read.
    expect(picker.locator("option", has_text='sign_for_deadline["due"]')).not_to_have_count(0)
    labels = picker.locator("option").all_inner_texts()
    assert any('sign_for_deadline["due"]' in label for label in labels), labels
    assert any('handle_deadline["remind_at"]' in label and "提醒时刻" in label for label in labels)

    # The dispatcher's reminder (a date timer) is moved to the jurisdiction deadline itself.
    picker.select_option('jurisdiction_deadline["due"]')
    value = page.locator("#bio-properties-panel-timerEventDefinitionValue")
    expect(value).to_have_value('jurisdiction_deadline["due"]')
    shot(page, "designer-panel-timer-deadline")
    _check_clean(page, "determine_reminder")
    assert 'jurisdiction_deadline["due"]' in _saved_xml(page)

    # A cycle timer (the handling reminder) fires once at the picked instant.
    page.fill("#find-element", "handle_reminder")
    page.press("#find-element", "Enter")
    _open_timer_group(page)
    page.locator("#juhaoban-timer-deadline").select_option(
        '"R1/" + handle_deadline["due"] + "/PT1M"'
    )
    expect(value).to_have_value('"R1/" + handle_deadline["due"] + "/PT1M"')
    _check_clean(page, "handle_reminder")

    # A duration timer is a plain ISO duration: no deadline list to mislead the designer.
    page.select_option("#bio-properties-panel-timerEventDefinitionType", "timeDuration")
    expect(page.locator("#juhaoban-timer-deadline")).to_have_count(0)
