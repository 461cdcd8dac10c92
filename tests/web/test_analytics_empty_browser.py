"""Charts with nothing to show say 无数据 instead of drawing zeros (issue 17, item 7): no
three-slice donut for 0/0/0, no last-year line at zero. Checked on the options ECharts got, in
headless Chromium at 1366 px; screenshots in build/screenshots."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from analytics import publish_report
from analytics.periods import half_year
from responsibility_catalog import load_catalogs, shipped_data_path
from simulation import generate
from tests.web.browser import Page, expect
from tests.web.browser import login_page as _login
from tests.web.browser import shot as _shot

pytestmark = pytest.mark.slow

WIDTH = 1366


def _empty(page: Page, selector: str) -> None:
    """The chart area says 无数据 and holds no ECharts instance at all."""
    expect(page.locator(selector)).to_have_text("无数据")
    expect(page.locator(f"{selector} canvas")).to_have_count(0)
    assert page.evaluate(
        f"() => echarts.getInstanceByDom(document.querySelector('{selector}')) === undefined"
    )


def _series_names(page: Page, selector: str) -> list[str]:
    return page.evaluate(
        f"""() => echarts.getInstanceByDom(document.querySelector('{selector}'))
                   .getOption().series.map(s => s.name)"""
    )


def test_empty_heat_map_and_report_say_no_data(app, browser, live_url):
    host = app.extensions["juhaoban.host"]
    page = _login(browser, live_url, "leader", width=WIDTH)
    page.goto(f"{live_url}/analytics/heatmap")  # no case at all; clock 2 March 2026
    expect(page.locator("h1")).to_contain_text("2026年2月")  # the last complete month
    expect(page.locator("#county-map")).to_have_attribute("data-ready", "true")
    _empty(page, "#matters-chart")
    _empty(page, "#domains-chart")
    _shot(page, "analytics-empty-heatmap")

    report = publish_report(
        host.session_factory,
        county="julu",
        period=half_year(2025, 2),
        now=host.clock.now(),
        actor="test",
    )
    page.goto(f"{live_url}/analytics/reports/{report.snapshot_id}")
    expect(page.locator("h1")).to_contain_text("2025年下半年大数据分析报告")
    for chart in (
        "#report-open",  # was a donut of three zero slices
        "#report-monthly",  # was six zero bars and a zero line
        "#report-domains",
        "#report-matters",
        "#report-townships",
        "#report-hotspots",
    ):
        _empty(page, chart)
    _shot(page, "analytics-empty-report")


def test_a_report_without_last_year_draws_no_last_year_line(app, browser, live_url, clock):
    host = app.extensions["juhaoban.host"]
    generate(
        host.session_factory,
        catalog=load_catalogs(shipped_data_path())[-1],
        start=datetime(2025, 7, 1, tzinfo=UTC),  # the platform's first cases: nothing in 2024
        end=datetime(2025, 12, 31, tzinfo=UTC),
        count=300,
        now=clock.now(),
    )
    report = publish_report(
        host.session_factory, county="julu", period=half_year(2025, 2), now=clock.now(), actor="t"
    )
    page = _login(browser, live_url, "leader", width=WIDTH)
    page.goto(f"{live_url}/analytics/reports/{report.snapshot_id}")
    expect(page.locator("#report-monthly canvas")).to_be_visible()
    assert _series_names(page, "#report-monthly") == ["本期"]
    expect(page.locator("#report-domains canvas")).to_be_visible()
    _shot(page, "analytics-report-no-last-year")
