"""End to end in real headless Chromium (Debian's), driven by Playwright.

The happy path: a resident reports → it is routed → the unit signs, handles and replies →
the supporting units assist → the resident rates → closed. The contested path: a township
returns a case → the dispatcher sees both sides and re-routes. Screenshots of the key pages
go to ``build/screenshots`` (or ``$JUHAOBAN_SCREENSHOT_DIR``) for people to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.intake.models import shipped_ready
from engine.intake.training import catalog_now
from tests.engine.complaints.conftest import beijing
from tests.web.browser import Page, expect
from tests.web.browser import login_page as _login
from tests.web.browser import shot as _shot

pytestmark = pytest.mark.slow


def _open_task(page: Page, base: str, title: str) -> None:
    page.goto(f"{base}/inbox/")
    page.locator("a.task", has_text=title).first.click()
    page.wait_for_load_state()


def test_resident_reports_unit_handles_resident_rates(browser, live_url, app, tmp_path):
    # The resident reports with a photo.
    resident = _login(browser, live_url, "resident")
    resident.goto(f"{live_url}/report/new")
    resident.select_option("#matter_id", "D07-07")
    resident.select_option("#township_id", "xiguocheng")
    resident.select_option("#village_id", "xiguocheng-002")
    resident.fill("#description", "村口路面塌陷，下面的水管破了，车过不去")
    photo = tmp_path / "road.png"
    shutil.copy(Path(__file__).parent / "fixtures" / "road.png", photo)
    resident.set_input_files("#photos", str(photo))
    _shot(resident, "01-report")
    resident.click("button.wide")
    expect(resident.locator("body")).to_contain_text("县供水服务中心")
    _shot(resident, "02-submitted")
    code = resident.locator(".tracking-code").first.inner_text().strip()

    # The water supply centre signs for it and replies.
    water = _login(browser, live_url, "water", width=1280)
    _open_task(water, live_url, "签收")
    expect(water.locator("body")).to_contain_text("派单依据")
    _shot(water, "03-unit-task")
    water.click("text=确认签收")
    water.wait_for_load_state()
    _open_task(water, live_url, "办理")
    water.fill("#f-reply-reply_text", "已抢修管道并恢复路面")
    water.click("text=提交答复")
    water.wait_for_load_state()

    # The two supporting units report their part.
    for username in ("xgc", "transport"):
        unit = _login(browser, live_url, username, width=1280)
        _open_task(unit, live_url, "协办")
        unit.fill("#f-task-assist_note", "已配合现场警戒")
        unit.click("form.stack button[type=submit]")
        unit.wait_for_load_state()

    # The resident rates; the case is closed and the public page says so.
    resident.goto(f"{live_url}/cases/mine")
    resident.locator("a", has_text="塌陷").first.click()
    expect(resident.locator("body")).to_contain_text("已抢修管道并恢复路面")
    resident.check("input[name=satisfaction][value=satisfied]")
    _shot(resident, "04-callback")
    resident.click("text=提交评价")
    resident.wait_for_load_state()
    resident.goto(f"{live_url}/cases/track?code={code}")
    expect(resident.locator("body")).to_contain_text("已办结")
    _shot(resident, "05-tracking-closed")
    complaint = app.extensions["juhaoban"].desk
    with complaint.host.session_factory() as db:
        from sqlalchemy import select

        from engine.complaints.models import Complaint

        closed = db.scalars(select(Complaint).where(Complaint.tracking_code == code)).one()
    assert (closed.status, closed.satisfaction, len(closed.photos)) == ("closed", "satisfied", 1)


def test_township_returns_and_the_dispatcher_reroutes_seeing_both_sides(
    browser, live_url, app, clock
):
    clock.set(beijing("2022-04-11 09:00"))  # first catalog version: the township is primary
    from tests.engine.complaints.helpers import report

    desk = app.extensions["juhaoban"].desk
    submitted = report(desk, "D04-01", "xiaolvzhai-002", description="S324 沿线商户占道经营")

    township = _login(browser, live_url, "xlz", width=1280)
    _open_task(township, live_url, "签收")
    township.click("summary:has-text('退回')")
    township.fill("#f-return-return_reason", "该路段属县城周边省道沿线，应由城管局负责")
    township.fill("#f-return-return_basis", "D04-01 占道经营")
    township.click("text=确认退回")
    township.wait_for_load_state()

    # Fitted as a served process does when it starts: under a loaded CI machine the case
    # page's wait for a first fit (up to 30 s) raced Playwright's 30 s navigation timeout.
    with app.extensions["juhaoban.host"].session_factory() as session:
        shipped_ready(catalog_now("julu", clock.now(), session=session), wait=None)
    dispatcher = _login(browser, live_url, "dispatcher", width=1280)
    dispatcher.goto(f"{live_url}/console/contested")
    dispatcher.click("text=查看并裁定")
    body = dispatcher.locator("body")
    expect(body).to_contain_text("该路段属县城周边省道沿线，应由城管局负责")  # the unit's side
    expect(body).to_contain_text("2020-05")  # the catalog version that routed it
    expect(body).to_contain_text("其他")  # the rule that applied
    _shot(dispatcher, "06-contested-side-by-side")
    phone = _login(browser, live_url, "dispatcher", width=390)  # the same page on a phone
    phone.goto(dispatcher.url)
    expect(phone.locator("body")).to_contain_text("推荐事项类别")
    _shot(phone, "06-contested-side-by-side-390")
    phone.close()
    dispatcher.check("input[name=ruling][value=reroute]")
    dispatcher.select_option("#new_primary_unit", "urban_management")
    dispatcher.fill("#ruling_note", "按省道沿线5公里范围，改派城管局")
    dispatcher.click("text=提交裁定")
    dispatcher.wait_for_load_state()

    assert desk.complaint(submitted.complaint_id).primary_unit == "urban_management"
    cgj = _login(browser, live_url, "cgj", width=1280)
    cgj.goto(f"{live_url}/inbox/")
    expect(cgj.locator("body")).to_contain_text("占道经营")
    _shot(cgj, "07-rerouted-inbox")
