"""Analytics pages over the March of known cases: what a leader and a unit see."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.analytics.cases import build_march
from tests.web.conftest import csrf_from

# A case page (/cases/<id>), not the navigation's tracking page (/cases/track).
CASE_LINK = re.compile(r'href="/cases/\d+"')


@pytest.fixture
def march(app):
    return build_march(app.extensions["juhaoban"].desk)  # clock: 1 April 2026 00:10


def _publish(client, path, **form):
    token = csrf_from(client.get("/analytics/rankings/").get_data(as_text=True))
    return client.post(path, data={**form, "csrf_token": token})


def test_dashboard_shows_todays_numbers(login, march):
    page = login("leader").get("/analytics/").get_data(as_text=True)
    # The tab title is the title (chart scripts once leaked into it), and the chart data once.
    assert "<title>今日概况 · 巨好办</title>" in page
    assert page.count('id="days-data"') == 1
    # Today (1 April) one report arrived, routed by the catalog; eight cases are open.
    assert '<b id="received">1</b>' in page
    assert "尚未发布红黑榜" in page


def test_heat_map_counts_townships_and_drills_into_villages_and_cases(login, march):
    leader = login("leader")
    page = leader.get("/analytics/heatmap?period=2026-03").get_data(as_text=True)
    assert '<b id="trend-count">8</b>' in page
    assert "示意图" in page and "echarts.min.js" in page
    township = leader.get("/analytics/heatmap?period=2026-03&township=zhangwangtuan")
    text = township.get_data(as_text=True)
    assert "张王疃乡各村" in text and "赵堤村" in text
    cases = leader.get("/analytics/cases?period=2026-03&matter=D05-01&township=zhangwangtuan")
    text = cases.get_data(as_text=True)
    assert "共 5 件" in text  # Z1, Z2, Z4, Z5 and the 31 March report
    assert len(CASE_LINK.findall(text)) == 5
    geo = leader.get("/analytics/heatmap/county.geojson").get_json()
    assert geo["schematic"] is True and len(geo["features"]) == 10
    assert leader.get("/analytics/heatmap?period=2026-13").status_code == 400


def test_leader_publishes_the_list_and_drills_into_a_figure(login, march):
    leader = login("leader")
    response = _publish(leader, "/analytics/rankings/publish", period="2026-03")
    assert response.status_code == 302
    snapshot_url = response.headers["Location"]
    page = leader.get(snapshot_url).get_data(as_text=True)
    assert "2026年3月红黑榜" in page and "张王疃乡" in page
    assert page.index("黑榜") < page.index("张王疃乡")
    # A second publication of the same month changes nothing.
    again = _publish(leader, "/analytics/rankings/publish", period="2026-03")
    assert again.headers["Location"] == snapshot_url
    # The cases behind 张王疃乡's response rate: Z4 (late) and Z5 (never signed) missed.
    drill = leader.get(f"{snapshot_url}/cases?unit=zhangwangtuan&figure=response&only=miss")
    text = drill.get_data(as_text=True)
    assert "计入 3 / 5" in text and len(CASE_LINK.findall(text)) == 2
    assert "垃圾点满溢" not in text  # descriptions stay on the case page
    book = load_workbook(BytesIO(leader.get(f"{snapshot_url}.xlsx").data))
    assert book.sheetnames == ["乡镇", "县直部门", "计分规则"]
    first = next(book["乡镇"].iter_rows(min_row=2, values_only=True))
    assert first[:5] == (1, "张王疃乡", "黑榜", 54.23, 6)
    history = leader.get("/analytics/units/zhangwangtuan").get_data(as_text=True)
    assert "列入黑榜" in history and "2026年3月" in history
    # An unfinished month cannot be published.
    assert _publish(leader, "/analytics/rankings/publish", period="2026-04").status_code == 400


def test_units_read_the_list_but_only_their_own_cases(login, march):
    _publish(login("leader"), "/analytics/rankings/publish", period="2026-03")
    zwt = login("zwt")
    notices = zwt.get("/notifications/").get_data(as_text=True)
    assert "本单位在乡镇中排第 1 名，列入黑榜" in notices
    link = re.search(r'href="/analytics/rankings/(\d+)"', notices).group(1)
    page = zwt.get(f"/analytics/rankings/{link}").get_data(as_text=True)
    assert "本单位：</b>第 1 名，综合得分 54.23" in page and "列入黑榜" in page
    own = zwt.get(f"/analytics/rankings/{link}/cases?unit=zhangwangtuan&figure=completion")
    assert own.status_code == 200
    other = zwt.get(f"/analytics/rankings/{link}/cases?unit=dicun&figure=response")
    assert other.status_code == 403
    assert zwt.get("/analytics/heatmap").status_code == 403
    assert zwt.get("/analytics/units/dicun").status_code == 403


def test_report_on_demand_html_and_excel(login, march):
    leader = login("leader")
    token = csrf_from(leader.get("/analytics/reports/").get_data(as_text=True))
    response = leader.post(
        "/analytics/reports/generate",
        data={"from": "2026-03-01", "to": "2026-03-31", "csrf_token": token},
    )
    assert response.status_code == 302
    page = leader.get(response.headers["Location"]).get_data(as_text=True)
    assert "2026年3月大数据分析报告" in page
    assert '<b id="total-received">8</b>' in page
    assert "农村人居环境" in page and "75.0%" in page
    book = load_workbook(BytesIO(leader.get(response.headers["Location"] + ".xlsx").data))
    assert book["总体情况"]["B2"].value == 8
    future = leader.post(
        "/analytics/reports/generate",
        data={"from": "2026-03-01", "to": "2026-04-30", "csrf_token": token},
    )
    assert future.status_code == 400
    # Every unit was told; a unit opens the report from its notifications.
    assert "2026年3月大数据分析报告已发布" in login("cgj").get("/notifications/").get_data(
        as_text=True
    )
    assert login("cgj").get(response.headers["Location"]).status_code == 200
    # The organisation department reads reports but does not generate them.
    orgdept = login("orgdept")
    token = csrf_from(orgdept.get("/analytics/reports/").get_data(as_text=True))
    assert "生成报告" not in orgdept.get("/analytics/reports/").get_data(as_text=True)
    refused = orgdept.post(
        "/analytics/reports/generate",
        data={"from": "2026-02-01", "to": "2026-02-28", "csrf_token": token},
    )
    assert refused.status_code == 403


def test_a_deployment_points_the_map_to_its_own_geojson(app, login, tmp_path):
    real = {"type": "FeatureCollection", "features": [], "name": "巨鹿县乡镇界（测绘院）"}
    path = tmp_path / "julu.geojson"
    path.write_text(json.dumps(real, ensure_ascii=False), encoding="utf-8")
    app.config["MAP_GEOJSON"] = str(path)
    leader = login("leader")
    assert leader.get("/analytics/heatmap/county.geojson").get_json() == real
    page = leader.get("/analytics/heatmap").get_data(as_text=True)
    assert "示意图" not in page and "本县配置的 GeoJSON" in page
    app.config["MAP_GEOJSON"] = "https://tiles.example.cn/julu.geojson"
    assert leader.get("/analytics/heatmap/county.geojson").headers["Location"] == (
        "https://tiles.example.cn/julu.geojson"
    )
    assert '"https://tiles.example.cn/julu.geojson"' in leader.get("/analytics/heatmap").get_data(
        as_text=True
    )


def test_the_heat_map_is_kept_for_half_a_minute_of_engine_time(app, login, march, clock):
    from tests.engine.complaints.helpers import report

    leader = login("leader")

    def april() -> str:
        page = leader.get("/analytics/heatmap?period=2026-04").get_data(as_text=True)
        return re.search(r'<b id="trend-count">(\d+)</b>', page).group(1)

    assert april() == "1"  # the report at 00:10 on 1 April
    report(app.extensions["juhaoban"].desk, "D05-01", "zhangwangtuan-004")
    assert april() == "1"  # the big screen's repeated question is answered from memory
    clock.advance(timedelta(seconds=31))
    assert april() == "2"
