"""Leaders' figures default to the last complete period (issue 17, item 7): a heat map opened
two days into March shows February, not two days compared with full months."""

from __future__ import annotations

import re

from tests.analytics.cases import build_march


def _heading(html: str) -> str:
    match = re.search(r'<h1>热力图 <span class="muted">([^<]*)</span>', html)
    assert match, "heat map page has no heading"
    return match.group(1).strip()


def test_heat_map_defaults_to_the_last_complete_month(login, clock):
    leader = login("leader")  # clock: Monday 2 March 2026, two days into the month
    page = leader.get("/analytics/heatmap").get_data(as_text=True)
    assert _heading(page) == "2026年2月"
    assert '<option value="2026-02" selected>' in page
    assert "本期上报" in page and "2026年3月" not in _heading(page)
    cases = leader.get("/analytics/cases").get_data(as_text=True)
    assert "2026年2月" in cases
    # A period asked for is still shown, this month included.
    asked = leader.get("/analytics/heatmap?period=2026-03").get_data(as_text=True)
    assert _heading(asked) == "2026年3月"


def test_heat_map_on_the_first_of_the_month_shows_the_month_just_ended(app, login):
    build_march(app.extensions["juhaoban"].desk)  # clock: 1 April 2026 00:10
    page = login("leader").get("/analytics/heatmap").get_data(as_text=True)
    assert _heading(page) == "2026年3月"
    count = re.search(r'<b id="trend-count">(\d+)</b>', page)
    assert count and int(count.group(1)) > 0  # March's cases, not April's ten minutes


def _comparison_row(html: str, measure: str) -> list[str]:
    row = re.search(rf"<tr><td>{measure}</td>(.*?)</tr>", html, re.S)
    assert row, measure
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    ]


def test_a_report_without_cases_shows_no_rate_and_no_change(app, login, clock):
    from analytics import publish_report
    from analytics.periods import half_year

    host = app.extensions["juhaoban.host"]
    empty = publish_report(
        host.session_factory, county="julu", period=half_year(2025, 2), now=clock.now(), actor="t"
    )
    page = login("leader").get(f"/analytics/reports/{empty.snapshot_id}").get_data(as_text=True)
    # No cases in either half-year: the rate is unknown, not 0.0 %, and nothing changed by points.
    assert _comparison_row(page, "办结率") == ["—", "—", "—"]
    assert "个百分点" not in page and "0.0%" not in page
