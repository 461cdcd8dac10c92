"""One report validator: the same bad field gets the same message whether it comes through
the report page, the JSON API or Open311 (engine.complaints.report_rules decides)."""

from __future__ import annotations

import re

from engine.complaints import report_rules as rules
from tests.web.open311_keys import issue_open311_key
from tests.web.test_report_helpers import MAJIAYING, complaint_count, post_report

GOOD = {"village_id": MAJIAYING, "matter_id": "D07-07", "description": "路面塌陷"}


def _page_error(page: str, field: str) -> str:
    match = re.search(
        rf'<div class="field-error" id="{field}-error" role="alert">([^<]+)</div>', page
    )
    assert match, f"no error shown for {field}"
    return match.group(1)


def _api_errors(app, **fields: object) -> dict[str, str]:
    response = app.test_client().post("/api/complaints", json=GOOD | fields)
    assert response.status_code == 400, response.get_json()
    return response.get_json()["errors"]


def test_a_malformed_phone_reads_the_same_on_every_channel(app) -> None:
    page = post_report(app.test_client(), reporter_phone="12345").get_data(as_text=True)
    assert _page_error(page, "reporter_phone") == rules.PHONE_MALFORMED

    assert _api_errors(app, reporter_phone="12345")["reporter_phone"] == rules.PHONE_MALFORMED

    key = issue_open311_key(app)
    response = app.test_client().post(
        "/open311/v2/requests.json",
        data={
            "api_key": key,
            "service_code": "D07-07",
            "address_id": MAJIAYING,
            "description": "路面塌陷",
            "phone": "12345",
        },
    )
    assert response.status_code == 400
    assert response.get_json()[0]["description"] == f"phone：{rules.PHONE_MALFORMED}"
    assert complaint_count(app) == 0


def test_place_and_matter_read_the_same_on_the_page_and_the_api(app) -> None:
    client = app.test_client()
    page = post_report(client, township_id="", village_id="nowhere").get_data(as_text=True)
    assert _page_error(page, "village_id") == rules.VILLAGE_UNKNOWN
    page = post_report(client, matter_id="D99-99").get_data(as_text=True)
    assert _page_error(page, "matter_id") == rules.MATTER_UNKNOWN
    page = post_report(client, grid_id="juluzhen-001-g1").get_data(as_text=True)
    grid_message = _page_error(page, "grid_id")

    errors = _api_errors(app, village_id="nowhere", matter_id="D99-99")
    assert errors == {"village_id": rules.VILLAGE_UNKNOWN, "matter_id": rules.MATTER_UNKNOWN}
    assert _api_errors(app, grid_id="juluzhen-001-g1") == {"grid_id": grid_message}
    assert complaint_count(app) == 0
