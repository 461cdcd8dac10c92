"""Extensions in Chromium: offered only when the catalog allows one, a wrong day named."""

from __future__ import annotations

from datetime import timedelta

from tests.engine.complaints.helpers import do, report, task, task_names
from tests.web.browser import expect, login_page, shot

MAJIAYING = "xiguocheng-002"


def test_units_see_the_extension_form_only_when_one_is_allowed_and_a_weekend_is_named(
    app, browser, live_url
):
    desk = app.extensions["juhaoban"].desk
    allowed = report(desk, "D07-07", MAJIAYING)  # one extension allowed
    none = report(desk, "D07-02", MAJIAYING)  # none: the township handles it
    for submitted in (allowed, none):
        do(desk, submitted, "sign_for", {"decision": "accept"}, actor="staff")

    township = login_page(browser, live_url, "xgc", width=1280)
    township.goto(f"{live_url}/inbox/tasks/{task(desk, none, 'handle').id}")
    expect(township.locator("summary", has_text="答复办结")).to_be_visible()
    expect(township.locator("summary", has_text="申请延期")).to_have_count(0)
    shot(township, "inbox-handle-no-extension")

    due = desk.complaint(allowed.complaint_id).handle_due.date()
    saturday = due + timedelta(days=(5 - due.weekday()) % 7 or 7)
    water = login_page(browser, live_url, "water", width=1280)
    water.goto(f"{live_url}/inbox/tasks/{task(desk, allowed, 'handle').id}")
    water.locator("summary", has_text="申请延期").click()
    form = water.locator("#form-extension")
    form.locator("[name=extension_reason]").fill("管材需外地调运")
    form.locator("[name=extension_until]").fill(saturday.isoformat())
    form.locator("button[type=submit]").click()
    expect(water.locator("#f-extension-extension_until-err")).to_contain_text("不是工作日")
    shot(water, "inbox-extension-weekend-refused")
    assert "approve_extension" not in task_names(desk, allowed)
