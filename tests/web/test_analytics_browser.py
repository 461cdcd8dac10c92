"""Analytics in real headless Chromium: the map and charts render (ECharts from npm, CJK
labels), a click on a township drills down, a click on a matter lists its cases. Screenshots
of every analytics page go to build/screenshots."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from analytics import publish_ranking, publish_report
from analytics.periods import half_year, month
from responsibility_catalog import load_catalogs, shipped_data_path
from simulation import generate
from tests.web.browser import Page, expect
from tests.web.browser import login_page as _login
from tests.web.browser import shot as _shot

pytestmark = pytest.mark.slow


@pytest.fixture
def history(app, clock):
    """Fourteen months of synthetic history before the test clock (2 March 2026), lists
    published for each month and the report of the second half of 2025."""
    host = app.extensions["juhaoban.host"]
    catalog = load_catalogs(shipped_data_path())[-1]
    generate(
        host.session_factory,
        catalog=catalog,
        start=datetime(2025, 1, 1, tzinfo=UTC),
        end=clock.now(),
        count=5000,
        now=clock.now(),
    )
    for year, number in [(2025, m) for m in range(1, 13)] + [(2026, 1), (2026, 2)]:
        publish_ranking(
            host.session_factory,
            county="julu",
            period=month(year, number),
            now=clock.now(),
            actor="test",
        )
    report = publish_report(
        host.session_factory, county="julu", period=half_year(2025, 2), now=clock.now(), actor="t"
    )
    return report.snapshot_id


def _chart_ready(page: Page, selector: str) -> None:
    expect(page.locator(f"{selector} canvas").first).to_be_visible()


def test_leader_reads_dashboard_heat_map_lists_and_report(browser, live_url, history):
    page = _login(browser, live_url, "leader", width=1400)
    expect(page.locator("h1")).to_contain_text("今日概况")  # the leaders' home
    _shot(page, "analytics-01-dashboard")

    page.goto(f"{live_url}/analytics/heatmap?period=2025-H2")
    expect(page.locator("#county-map")).to_have_attribute("data-ready", "true")
    _chart_ready(page, "#matters-chart")
    _shot(page, "analytics-02-heatmap")
    # Click 张王疃乡 on the map (a real mouse click on the canvas).
    point = page.evaluate(
        """() => {
          const el = document.getElementById('county-map');
          el.scrollIntoView({block: 'center'});
          const chart = echarts.getInstanceByDom(el);
          const box = el.getBoundingClientRect();
          const [x, y] = chart.convertToPixel({geoIndex: 0}, [114.93, 37.13]);
          return [box.left + x, box.top + y];
        }"""
    )
    page.mouse.click(point[0], point[1])
    page.wait_for_url("**township=zhangwangtuan**")
    expect(page.locator("h1")).to_contain_text("张王疃乡")
    expect(page.locator("body")).to_contain_text("张王疃乡各村")
    expect(page.locator("#county-map")).to_have_attribute("data-ready", "true")
    _chart_ready(page, "#matters-chart")
    _shot(page, "analytics-03-heatmap-township")
    # The top matter's bar lists its cases.
    bar = page.evaluate(
        """() => {
          const el = document.getElementById('matters-chart');
          el.scrollIntoView({block: 'center'});
          const chart = echarts.getInstanceByDom(el);
          const data = chart.getOption().series[0].data;
          const box = el.getBoundingClientRect();
          const [x, y] = chart.convertToPixel({seriesIndex: 0}, [data[data.length - 1] / 2, data.length - 1]);
          return [box.left + x, box.top + y];
        }"""
    )
    page.mouse.click(bar[0], bar[1])
    page.wait_for_url("**/analytics/cases**")
    expect(page.locator("h1")).to_contain_text("村内垃圾点清运")
    _shot(page, "analytics-04-cases")

    page.goto(f"{live_url}/analytics/rankings/")
    _shot(page, "analytics-05a-rankings")
    page.click("text=2026年2月红黑榜")
    expect(page.locator("h1")).to_contain_text("2026年2月红黑榜")
    _chart_ready(page, "#scores-township")
    _shot(page, "analytics-05-ranking")
    ranking_url = page.url
    # The cases behind 张王疃乡's on-time rate, as published.
    page.locator("tr", has_text="张王疃乡").locator("td").nth(7).locator("a").click()
    expect(page.locator("h1")).to_contain_text("张王疃乡 · 2026年2月按时办理率")
    expect(page.locator("table a[href^='/cases/']").first).to_be_visible()
    _shot(page, "analytics-05b-ranking-cases")
    page.goto(ranking_url)
    page.locator("table a", has_text="张王疃乡").first.click()
    expect(page.locator("h1")).to_contain_text("张王疃乡 · 历次红黑榜")
    _chart_ready(page, "#history-chart")
    _shot(page, "analytics-06-unit-history")

    page.goto(f"{live_url}/analytics/reports/")
    expect(page.locator("table")).to_contain_text("2025年下半年")
    _shot(page, "analytics-07a-reports")
    page.goto(f"{live_url}/analytics/reports/{history}")
    expect(page.locator("h1")).to_contain_text("2025年下半年大数据分析报告")
    for chart in ("#report-open", "#report-domains", "#report-matters", "#report-townships"):
        _chart_ready(page, chart)
    _shot(page, "analytics-07-report")


def test_unit_reads_its_standing_on_a_phone(browser, live_url, history):
    page = _login(browser, live_url, "zwt")
    page.goto(f"{live_url}/notifications/")
    page.locator("a", has_text="查看榜单").first.click()
    expect(page.locator("h1")).to_contain_text("红黑榜")
    _shot(page, "analytics-08-unit-ranking-phone")
