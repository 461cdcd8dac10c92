"""Heat map counts, location cells and trends; the dashboard's numbers for today."""

from __future__ import annotations

from datetime import timedelta

import pytest

from analytics import HeatFilter, heatmap, today
from analytics.heatmap import CELL_DEGREES
from analytics.periods import month
from responsibility_catalog import load_catalogs, shipped_data_path
from tests.engine.complaints.conftest import beijing
from tests.engine.complaints.helpers import do, move_to, report

CATALOG = load_catalogs(shipped_data_path())[-1]
GARBAGE, ZWT = "D05-01", "zhangwangtuan-004"


@pytest.fixture
def places(desk):
    """March 2026: two garbage reports with GPS in one cell of 赵堤村, an 巨鹿镇 street stall
    and a 堤村乡 relief request without GPS; one report in March 2025 and two in September
    2025 for the trends."""
    desk.host.clock.set(beijing("2025-03-10 09:00"))
    report(desk, GARBAGE, ZWT)
    move_to(desk, beijing("2025-09-15 09:00"))
    report(desk, GARBAGE, ZWT)
    report(desk, "D04-01", "juluzhen-002")
    move_to(desk, beijing("2026-03-10 09:00"))
    report(desk, GARBAGE, ZWT, latitude=37.1412, longitude=114.8961)
    report(desk, GARBAGE, ZWT, latitude=37.1413, longitude=114.8962)
    report(desk, "D04-01", "juluzhen-002")
    report(desk, "D11-03", "dicun-003")


def _map(desk, **filters):
    with desk.host.session_factory() as session:
        return heatmap(
            county="julu",
            heat=HeatFilter(month(2026, 3), **filters),
            catalog=CATALOG,
            session=session,
        )


def test_counts_by_township_and_trends_against_last_year_and_last_half_year(desk, places):
    data = _map(desk)
    counts = {t["id"]: t["count"] for t in data["townships"]}
    assert (counts["zhangwangtuan"], counts["juluzhen"], counts["dicun"], counts["guanzhai"]) == (
        2,
        1,
        1,
        0,
    )
    assert {t["id"]: t["last_year"] for t in data["townships"]}["zhangwangtuan"] == 1
    trend = data["trend"]
    assert trend["count"] == 4
    assert (trend["last_year"]["count"], trend["last_year"]["change"]) == (1, 3.0)
    assert (trend["last_half"]["count"], trend["last_half"]["change"]) == (2, 1.0)
    assert trend["last_half"]["label"] == "2025年9月"


def test_exact_locations_share_a_cell_and_the_rest_sit_at_their_village(desk, places):
    points = _map(desk)["points"]
    exact = [p for p in points if p["exact"]]
    assert len(exact) == 1 and exact[0]["count"] == 2
    assert exact[0]["lat"] == pytest.approx((7428 + 0.5) * CELL_DEGREES)
    assert exact[0]["lon"] == pytest.approx((22979 + 0.5) * CELL_DEGREES)
    at_villages = {(p["lat"], p["lon"]): p["count"] for p in points if not p["exact"]}
    dicun = CATALOG.organisation.villages_by_id["dicun-003"]
    assert at_villages == {
        (dicun.lat, dicun.lon): 1,
        (
            CATALOG.organisation.villages_by_id["juluzhen-002"].lat,
            CATALOG.organisation.villages_by_id["juluzhen-002"].lon,
        ): 1,
    }


def test_township_drill_down_shows_its_villages_and_top_matters(desk, places):
    data = _map(desk, township_id="zhangwangtuan")
    assert [(v["id"], v["count"]) for v in data["villages"]] == [(ZWT, 2)]
    assert [(m["matter_id"], m["count"]) for m in data["matters"]] == [(GARBAGE, 2)]
    assert data["trend"]["count"] == 2
    # The map keeps shading the whole county.
    assert sum(t["count"] for t in data["townships"]) == 4


def test_matter_filter_narrows_everything(desk, places):
    data = _map(desk, matter_id="D11-03")
    assert {t["id"]: t["count"] for t in data["townships"] if t["count"]} == {"dicun": 1}
    assert data["domains"] == [{"domain": "民政救助", "count": 1}]


def test_dashboard_counts_today_by_routing_and_state(desk):
    move_to(desk, beijing("2026-03-10 08:00"))
    yesterday = report(desk, GARBAGE, ZWT)  # yesterday's, still open and overdue today
    move_to(desk, beijing("2026-03-11 08:00"))
    auto = report(desk, GARBAGE, ZWT)
    desk.host.clock.advance(timedelta(minutes=30))
    unknown = report(desk, None, "dicun-003")  # no matter: the dispatcher decides
    desk.host.clock.advance(timedelta(minutes=30))
    do(
        desk,
        unknown,
        "determine",
        {"primary_unit": "dicun", "supporting_units_text": "", "determine_note": "属地"},
        actor="dispatcher",
    )
    contested = report(desk, "D11-03", "dicun-003")
    do(
        desk,
        contested,
        "sign_for",
        {"decision": "return", "return_reason": "非本乡", "return_basis": "清单"},
        actor="staff:dicun",
    )
    waiting = report(desk, None, "dicun-002")  # not yet routed
    assert auto and yesterday and waiting
    with desk.host.session_factory() as session:
        numbers = today(county="julu", now=desk.host.clock.now(), session=session)
    assert numbers.received == 4
    assert (numbers.routed_auto, numbers.routed_by_hand, numbers.unrouted) == (2, 1, 1)
    assert numbers.open == 5
    assert numbers.overdue == 1  # yesterday's garbage point, never signed for
    assert numbers.contested == 1
    # Routed by the catalog at once (0 min) twice, by hand after 30 minutes once.
    assert numbers.avg_dispatch_minutes == 10.0


def test_recent_days_count_reports_and_closures_per_beijing_day(desk):
    from analytics.dashboard import recent_days

    move_to(desk, beijing("2026-03-09 23:30"))  # Monday night: counts for Monday
    first = report(desk, GARBAGE, ZWT)
    move_to(desk, beijing("2026-03-10 08:00"))
    report(desk, GARBAGE, ZWT)
    do(desk, first, "sign_for", {"decision": "accept"}, actor="staff:zwt")
    for t in desk.host.ready_tasks(instance_id=first.instance_id):
        if t.task_name == "assist":
            desk.host.complete_task(t.id, {"assist_note": "已配合"}, actor="assist")
    do(desk, first, "handle", {"outcome": "reply", "reply_text": "已清运"}, actor="staff:zwt")
    do(desk, first, "callback", {"satisfaction": "satisfied"}, actor="resident:1")
    with desk.host.session_factory() as session:
        days = recent_days(county="julu", now=desk.host.clock.now(), session=session, days=3)
    assert days == [
        {"day": "03-08", "received": 0, "closed": 0},
        {"day": "03-09", "received": 1, "closed": 0},
        {"day": "03-10", "received": 1, "closed": 1},
    ]
