"""In Chromium: the dispatcher supervises a case nobody signed for from the overdue board.

Screenshots of the board at 1366 px and 390 px go to ``build/screenshots``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.engine.complaints.conftest import beijing
from tests.engine.complaints.helpers import do, move_to, notifications, report
from tests.web.browser import expect
from tests.web.browser import login_page as _login
from tests.web.browser import shot as _shot

pytestmark = pytest.mark.slow


def test_dispatcher_supervises_a_case_nobody_signed_for(browser, live_url, app, clock):
    clock.set(beijing("2022-04-11 09:00"))
    desk = app.extensions["juhaoban"].desk
    unsigned = report(desk, "D07-07", "xiguocheng-002", description="马家营村自来水管道破裂")
    handled = report(desk, "D07-02", "juluzhen-001", description="县城供水压力不足")
    do(desk, handled, "sign_for", {"decision": "accept"}, actor="water")
    late = max(
        desk.complaint(unsigned.complaint_id).sign_for_due,
        desk.complaint(handled.complaint_id).handle_due,
    )
    move_to(desk, late + timedelta(days=2))
    unit = desk.complaint(unsigned.complaint_id).primary_unit

    page = _login(browser, live_url, "dispatcher", width=1366)
    page.goto(f"{live_url}/console/overdue")
    card = page.locator(".card", has_text=unsigned.tracking_code)
    expect(card).to_contain_text("签收超时")
    expect(card).not_to_contain_text("尚无待办督办任务")
    _shot(page, "overdue-board-1366")
    narrow = _login(browser, live_url, "dispatcher", width=390)
    narrow.goto(f"{live_url}/console/overdue")
    expect(narrow.locator(".card", has_text=unsigned.tracking_code)).to_contain_text("督办签收")
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(narrow, "overdue-board-390")

    card.locator("input[name=supervision_note]").fill("请今日下班前签收并联系群众")
    card.get_by_role("button", name="督办签收").click()
    page.wait_for_load_state()

    expect(page.locator(".flash")).to_contain_text("已督办签收，已通知")
    card = page.locator(".card", has_text=unsigned.tracking_code)
    expect(card).to_contain_text("请今日下班前签收并联系群众")
    expect(card).to_contain_text("等待单位签收")
    expect(card.get_by_role("button", name="督办签收")).to_have_count(0)
    (title,) = notifications(desk, unit, "sign_supervised")
    assert unsigned.tracking_code in title
    _shot(page, "overdue-board-1366-supervised")

    narrow.goto(f"{live_url}/console/overdue")
    expect(narrow.locator(".card", has_text=unsigned.tracking_code)).to_contain_text("等待单位签收")
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(narrow, "overdue-board-390-supervised")
