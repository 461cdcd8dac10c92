"""The describe-first report page without a browser: where a pin lands (web/report/geometry),
the suggestion endpoint, the "帮我归类" button for phones without script, the server placing a
position without a village, and photos kept across a refused form."""

from __future__ import annotations

import json
import math
import os
import re
import secrets
import threading
import time
from collections import OrderedDict

import pytest
from werkzeug.datastructures import MultiDict

from analytics.schematic_map import SHIPPED
from engine.intake import models as intake_models
from engine.maintenance import forget_pending_photos
from rules.locating import distance_m, township_areas
from tests.web.conftest import csrf_from
from tests.web.test_report_helpers import (
    complaint_count,
    complaints,
    form,
    photo,
    post_report,
    stored_files,
)
from web import throttling
from web.report import suggestions
from web.report.geometry import NEAR_M, build_county_map, place, projection_for
from web.uploads import MAX_PHOTOS

DONGGUAN = "juluzhen-001"  # 巨鹿镇 东关社区, 37.221 N 115.037 E


@pytest.fixture(scope="module")
def county(shipped_catalogs):
    organisation = shipped_catalogs[-1].organisation
    areas = township_areas(json.loads(SHIPPED.read_text(encoding="utf-8")))
    return organisation, areas


@pytest.fixture(autouse=True)
def fitted(shipped_catalogs):
    """The shipped model fitted, as after a served process's warm-up (fitting is once per
    process; the first request of a cold process gets "pending", tested below)."""
    intake_models.shipped_ready(shipped_catalogs[-1], wait=None)


def _token() -> str:
    return secrets.token_urlsafe(18)


def _error_of(page: str, field: str) -> str:
    match = re.search(rf'id="{field}-error" role="alert">([^<]+)</div>', page)
    assert match, f"no error shown for {field}"
    return match.group(1)


# --- geometry ---------------------------------------------------------------------------


def test_projection_goes_both_ways_and_keeps_distances_in_proportion():
    projection = projection_for([(114.9, 37.1), (115.3, 37.4)])
    lon, lat = projection.to_lonlat(*projection.to_svg(115.037, 37.221))
    assert lon == pytest.approx(115.037) and lat == pytest.approx(37.221)
    # 1 km east and 1 km north are about as long on the map (no squashed county).
    east = (115.037 + 1000 / distance_m((115.0, 37.221), (116.0, 37.221)), 37.221)
    north = (115.037, 37.221 + 1000 / distance_m((115.037, 37.0), (115.037, 38.0)))
    x0, y0 = projection.to_svg(115.037, 37.221)
    dx = math.dist((x0, y0), projection.to_svg(*east))
    dy = math.dist((x0, y0), projection.to_svg(*north))
    assert dx == pytest.approx(dy, rel=0.01)
    assert dx * projection.metres_per_unit == pytest.approx(1000, rel=0.01)


def test_a_pin_picks_the_nearest_village_and_its_township(county):
    organisation, areas = county
    villages = organisation.villages
    found = place(37.221, 115.037, villages=villages, areas=areas)
    assert found is not None and found.village_id == DONGGUAN and found.township_id == "juluzhen"
    # Halfway between two villages, a little nearer the second: the second.
    a, b = villages[0], villages[40]
    lat, lon = a.lat + 0.55 * (b.lat - a.lat), a.lon + 0.55 * (b.lon - a.lon)
    nearest = min(villages, key=lambda v: distance_m((lon, lat), (v.lon, v.lat)))
    found = place(lat, lon, villages=villages, areas=areas)
    assert found is not None and found.village_id == nearest.id
    assert found.township_id == nearest.township_id


def test_a_position_far_outside_the_county_is_not_placed(county):
    organisation, areas = county
    assert place(39.9042, 116.4074, villages=organisation.villages, areas=areas) is None  # Beijing
    assert place(math.nan, 115.0, villages=organisation.villages, areas=areas) is None
    # Just beyond the drawn boundary but near a village (a GPS fix at the county line): placed.
    edge = max(organisation.villages, key=lambda v: v.lon)
    near = edge.lon + 0.5 * NEAR_M / distance_m((0.0, edge.lat), (1.0, edge.lat))
    found = place(edge.lat, near, villages=organisation.villages, areas={})
    assert found is not None and found.village_id == edge.id
    # Farther out: not placed, unless a township area holds the point.
    far = near + 0.5
    assert place(edge.lat, far, villages=organisation.villages, areas={}) is None
    square = {"juluzhen": [[[(114.0, 36.0), (116.0, 36.0), (116.0, 38.0), (114.0, 38.0)]]]}
    found = place(edge.lat, far, villages=organisation.villages, areas=square)
    assert found is not None and found.village_id == edge.id


def test_the_map_draws_every_township_and_each_village_inside_its_own(county):
    organisation, areas = county
    townships = [(t.id, t.name) for t in organisation.townships]
    county_map = build_county_map(areas, townships, organisation.villages)
    assert [t.name for t in county_map.townships] == [t.name for t in organisation.townships]
    assert len(county_map.villages) == len(organisation.villages)
    width, height = map(float, county_map.view_box.split()[2:])
    for dot in county_map.villages:
        assert 0 < dot.x < width and 0 < dot.y < height
        lon, lat = county_map.projection.to_lonlat(dot.x, dot.y)
        found = place(lat, lon, villages=organisation.villages, areas=areas)
        assert found is not None and found.village_id == dot.id
    assert county_map.near_units == pytest.approx(NEAR_M / county_map.projection.metres_per_unit)


# --- the suggestion endpoint ----------------------------------------------------------


def test_suggest_answers_the_top_three_with_their_reasons(app):
    client = app.test_client()  # not signed in: public like the page
    response = client.get(
        "/report/suggest", query_string={"text": "俺们村东头那个垃圾池子都满出来半个月了"}
    )
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert list(body) == ["suggestions"]
    found = body["suggestions"]
    assert 1 <= len(found) <= 3
    assert set(found[0]) == {"matter_id", "name", "domain", "score", "words"}
    assert any("垃圾" in s["name"] for s in found), found
    assert any("垃圾" in w for w in found[0]["words"])
    scores = [s["score"] for s in found]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)


def test_suggest_says_pending_while_the_model_is_fitted_then_answers(
    app, monkeypatch, shipped_catalogs
):
    """Right after a start the model is still being fitted: the typing page hears "pending"
    at once (and asks again) instead of a request hanging; once fitted, suggestions."""
    release = threading.Event()
    real = intake_models.shipped_model

    def slow_fit(catalog):
        release.wait(60)
        return real(catalog)

    monkeypatch.setattr(intake_models, "shipped_model", slow_fit)
    monkeypatch.setattr(intake_models, "_CACHE", OrderedDict())  # a process just started
    monkeypatch.setattr(suggestions, "AS_YOU_TYPE_WAIT_S", 0.05)
    client = app.test_client()
    text = {"text": "路灯黑了好几天了"}
    assert client.get("/report/suggest", query_string=text).get_json() == {
        "suggestions": [],
        "pending": True,
    }
    release.set()
    intake_models.shipped_ready(shipped_catalogs[-1], wait=None)
    found = client.get("/report/suggest", query_string=text).get_json()
    assert "pending" not in found and found["suggestions"][0]["name"] == "路灯不亮"


def test_suggest_is_throttled_per_address_with_a_json_answer(app, monkeypatch):
    monkeypatch.setattr(throttling, "SUGGESTIONS_PER_ADDRESS", "3 per minute")
    client = app.test_client()
    for _ in range(3):
        assert client.get("/report/suggest?text=路灯不亮").status_code == 200
    refused = client.get("/report/suggest?text=路灯不亮")
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    body = refused.get_json()
    assert body["suggestions"] == [] and "过于频繁" in body["error"]
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.1.2.3"  # another address is not affected
    assert other.get("/report/suggest?text=路灯不亮").status_code == 200


def test_suggest_is_empty_for_nothing_and_bounded_for_a_huge_text(app):
    client = app.test_client()
    assert client.get("/report/suggest").get_json() == {"suggestions": []}
    assert client.get("/report/suggest?text=%20%20").get_json() == {"suggestions": []}
    started = time.perf_counter()
    huge = client.get("/report/suggest", query_string={"text": "垃圾池满了" * 20_000})
    assert huge.status_code == 200 and len(huge.get_json()["suggestions"]) <= 3
    assert time.perf_counter() - started < 10


def test_suggest_never_fails_the_page_when_the_model_does(app, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("model file damaged")

    monkeypatch.setattr(intake_models, "suggest_matters", broken)
    client = app.test_client()
    response = client.get("/report/suggest?text=垃圾池满了")
    assert response.status_code == 200 and response.get_json() == {"suggestions": []}
    refused = post_report(client, reporter_phone="", description="垃圾池满了")
    assert refused.status_code == 400 and "没有找到合适的类别" in refused.get_data(as_text=True)


def test_help_me_classify_without_script_shows_suggestions_and_stores_nothing(app):
    client = app.test_client()
    page = client.get("/report/new").get_data(as_text=True)
    assert "帮我归类" in page and 'id="county-map"' in page
    token = _token()
    response = post_report(
        client,
        classify="1",
        matter_id="",
        village_id="",
        reporter_phone="",
        description="俺们村东头那个垃圾池子都满出来半个月了",
        submission_token=token,
        photos=[photo("pool.png")],
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'class="field-error"' not in page
    radios = re.findall(r'<input type="radio" name="matter_id" value="([^"]+)"', page)
    assert 2 <= len(radios) <= 4 and radios[-1] == "unsure"  # ≤ 3 suggestions, then 不确定
    assert "因为提到：" in page and "俺们村东头那个垃圾池子" in page
    assert f"/report/pending/{token}/" in page, "the chosen photo waits for the real submit"
    assert complaint_count(app) == 0


def test_a_picked_suggestion_counts_though_the_full_list_was_left_empty(app):
    """Without script a picked suggestion (a radio) and the full list's "请选择…" both send a
    matter_id; the one chosen counts."""
    client = app.test_client()
    token = csrf_from(client.get("/report/new").get_data(as_text=True))
    data = MultiDict(form(csrf_token=token))
    data.setlist("matter_id", ["D07-07", ""])
    assert client.post("/report/new", data=data).status_code == 302
    data.setlist("matter_id", ["", ""])
    refused = client.post("/report/new", data=data).get_data(as_text=True)
    assert "请选择事项类别" in _error_of(refused, "matter_id")
    [complaint] = complaints(app)
    assert complaint.matter_id == "D07-07"


# --- the server places a position ---------------------------------------------------------


def test_a_position_without_a_village_is_placed_at_the_nearest_village_and_said(app):
    client = app.test_client()
    response = post_report(
        client, township_id="", village_id="", latitude="37.2212", longitude="115.0371"
    )
    assert response.status_code == 302
    [complaint] = complaints(app)
    assert complaint.village_id == DONGGUAN
    assert complaint.latitude == pytest.approx(37.2212)
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已按现场位置定位到：巨鹿镇 东关社区" in result


def test_a_position_far_outside_the_county_is_a_field_error(app):
    client = app.test_client()
    response = post_report(
        client, township_id="", village_id="", latitude="39.9042", longitude="116.4074"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "不在巨鹿县范围内" in _error_of(page, "latitude")
    nan = post_report(client, latitude="nan", longitude="115.0").get_data(as_text=True)
    assert "请填写数字" in _error_of(nan, "latitude")
    assert complaint_count(app) == 0


# --- photos kept across a refused form ------------------------------------------------------


def _kept(page: str, token: str) -> list[str]:
    return re.findall(rf'src="/report/pending/{token}/([0-9a-f]{{32}}\.png)"', page)


def test_a_refused_form_keeps_its_photo_which_the_next_submit_attaches(app):
    client = app.test_client()
    token = _token()
    refused = post_report(client, reporter_phone="", submission_token=token, photos=[photo()])
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "请留下手机号" in _error_of(page, "reporter_phone")
    assert "已选的照片已保留（1 张）" in page and "照片尚未保存" not in page
    [name] = _kept(page, token)
    shown = client.get(f"/report/pending/{token}/{name}")
    assert shown.status_code == 200 and shown.mimetype == "image/png"
    assert "private" in shown.headers["Cache-Control"]
    shown.close()  # send_file's open file
    assert client.get(f"/report/pending/{_token()}/{name}").status_code == 404  # another token
    assert client.get(f"/report/pending/..%2F{token}/{name}").status_code == 404
    assert complaint_count(app) == 0

    sent = post_report(client, submission_token=token)  # the phone now, no new file
    assert sent.status_code == 302
    [complaint] = complaints(app)
    assert len(complaint.photos) == 1 and complaint.photos[0] in stored_files(app)
    assert client.get(f"/report/pending/{token}/{name}").status_code == 404, "folder is gone"
    assert not (app.extensions["juhaoban"].uploads_dir / "pending" / token).exists()


def test_a_kept_photo_can_be_removed_and_six_is_the_limit_in_all(app):
    client = app.test_client()
    token = _token()
    page = post_report(
        client,
        reporter_phone="",
        submission_token=token,
        photos=[photo(f"p{i}.png") for i in range(4)],
    ).get_data(as_text=True)
    kept = _kept(page, token)
    assert len(kept) == 4
    page = post_report(
        client,
        reporter_phone="",
        submission_token=token,
        photos=[photo(f"q{i}.png") for i in range(3)],
    ).get_data(as_text=True)
    assert f"最多上传 {MAX_PHOTOS} 张照片" in _error_of(page, "photos")
    assert len(_kept(page, token)) == MAX_PHOTOS
    response = post_report(client, submission_token=token, remove_photo=kept[0])
    assert response.status_code == 302
    [complaint] = complaints(app)
    assert len(complaint.photos) == MAX_PHOTOS - 1


def test_without_a_valid_token_photos_of_a_refused_form_are_not_kept(app):
    client = app.test_client()
    response = post_report(
        client, reporter_phone="", submission_token="../../etc", photos=[photo()]
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "照片尚未保存，请重新选择" in page
    assert stored_files(app) == []


def test_pending_photos_older_than_a_day_are_removed_by_the_hourly_job(app, tmp_path):
    from engine.scheduler import TimerScheduler

    client = app.test_client()
    old, fresh = _token(), _token()
    for token in (old, fresh):
        post_report(client, reporter_phone="", submission_token=token, photos=[photo()])
    uploads = app.extensions["juhaoban"].uploads_dir
    day_ago = time.time() - 25 * 3600
    for path in (uploads / "pending" / old).iterdir():
        os.utime(path, (day_ago, day_ago))
    assert forget_pending_photos(uploads) == 1
    assert not (uploads / "pending" / old).exists() and (uploads / "pending" / fresh).is_dir()
    # The scheduler's hourly housekeeping runs it when it knows where uploads are.
    for path in (uploads / "pending" / fresh).iterdir():
        os.utime(path, (day_ago, day_ago))
    TimerScheduler(app.extensions["juhaoban.host"], uploads_dir=uploads).forget_keys()
    assert not (uploads / "pending" / fresh).exists()
