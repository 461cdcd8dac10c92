"""The what-if in real Chromium: the department starts a replay from the draft page, the
status page shows the job waiting and refreshes itself into the report once the job is done,
the report downloads as Excel, and the wide tables scroll inside their box on a phone.
Screenshots ``whatif-*`` at 1366 and 390 px go to ``build/screenshots``."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.web.browser import expect, login_page, shot
from tests.web.whatif_county import DRAFT, whatif_county

pytestmark = pytest.mark.slow


@pytest.fixture
def app(tmp_path, clock, shipped_catalogs):
    app = whatif_county(tmp_path, clock, shipped_catalogs)
    jobs: list = []
    app.config["WHATIF_RUNNER"] = jobs.append  # the test runs the job: no waiting on a thread
    app.extensions["test.whatif_jobs"] = jobs
    return app


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_replay_started_from_a_draft(browser, live_url, app):
    jobs = app.extensions["test.whatif_jobs"]
    org = login_page(browser, live_url, "orgdept", width=1366)
    org.goto(f"{live_url}/catalog/v/{DRAFT}/")
    start = org.locator("#whatif-start")
    expect(start).to_have_text("用此草稿回放最近 3 个月")
    expect(org.locator("#whatif-scale")).to_have_value("0.05")
    org.select_option("#whatif-scale", "1.0")
    shot(org, "whatif-01-draft-1366")
    start.click()
    org.wait_for_load_state()

    # The request returned at once: the job waits, the page says so and will refresh.
    expect(org.locator("h1")).to_contain_text("排队中")
    expect(org.locator(".whatif-progress")).to_contain_text("自动刷新")
    assert len(jobs) == 1
    shot(org, "whatif-02-waiting-1366")
    status_url = org.url

    jobs.pop()()  # the worker's turn: the replay runs to its end
    total = org.locator("#whatif-total")
    expect(total).to_be_visible(timeout=20_000)  # the page's own refresh brings the report
    expect(org.locator("h1")).to_contain_text("已完成")
    contested = total.locator("tr[data-measure=contested]")
    expect(contested).to_have_class("better")
    expect(contested.locator("td").nth(1)).to_have_text("0")
    expect(org.locator("body")).to_contain_text("规模 1.0（全部诉求）")
    expect(
        org.locator("#whatif-township tr[data-id=xiaolvzhai] td[data-measure=contested]")
    ).to_have_class("better")
    shot(org, "whatif-03-report-1366")

    with org.expect_download() as download:
        org.click("text=下载 Excel 报告")
    assert download.value.suggested_filename == f"清单回放比较-{DRAFT}-2025-12-02.xlsx"
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert book.sheetnames == ["总览", "按单位", "按乡镇"]

    phone = login_page(browser, live_url, "orgdept", width=390)
    phone.goto(f"{live_url}/catalog/v/{DRAFT}/")
    expect(phone.locator("#whatif-start")).to_be_visible()
    expect(phone.locator("form.whatif-start")).to_contain_text("回放（已完成）")
    shot(phone, "whatif-04-draft-390")
    phone.goto(status_url)
    expect(phone.locator("#whatif-unit")).to_be_visible()
    assert _fits_the_screen(phone), "the report's tables must scroll inside their box"
    shot(phone, "whatif-05-report-390")
