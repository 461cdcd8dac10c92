"""In Chromium: a unit's notifications name the case; the case history names people, units
and the timer. Screenshots: readable-notifications, readable-case-history."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.engine.complaints.helpers import do, move_to, report
from tests.web.browser import expect, login_page, shot

pytestmark = pytest.mark.slow

MAJIAYING = "xiguocheng-002"


def test_notifications_and_history_read_as_words(browser, live_url, app):
    desk = app.extensions["juhaoban"].desk
    submitted = report(desk, "D07-07", MAJIAYING, grid_id=f"{MAJIAYING}-g1")
    complaint = desk.complaint(submitted.complaint_id)
    do(desk, submitted, "sign_for", {"decision": "accept"}, actor="water")
    remind = datetime.fromisoformat(
        desk.host.instance_data(submitted.instance_id)["handle_deadline"]["remind_at"]
    )
    move_to(desk, remind + timedelta(minutes=1))

    water = login_page(browser, live_url, "water", width=1280)
    water.goto(f"{live_url}/notifications/")
    expect(water.locator("body")).to_contain_text(
        f"{complaint.tracking_code} {complaint.matter_name}"
    )
    shot(water, "readable-notifications")

    dispatcher = login_page(browser, live_url, "dispatcher", width=1280)
    dispatcher.goto(f"{live_url}/cases/{submitted.complaint_id}")
    history = dispatcher.locator("ul.timeline")
    expect(history).to_contain_text("王供水")
    expect(history).to_contain_text("系统定时器")
    expect(history).not_to_contain_text("system:timer")
    expect(dispatcher.locator("body")).to_contain_text("马家营村第一网格")
    shot(dispatcher, "readable-case-history")
