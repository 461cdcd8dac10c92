"""Interoperability: the PyPI GeoReport v2 client `georeport` (written elsewhere) against a
live local server, in JSON and in XML, and a schemathesis fuzz run of the OpenAPI document
with no 5xx response."""

from __future__ import annotations

import pytest
from georeport import GeoReport

from tests.web import open311_schemas as schema
from tests.web.open311_keys import issue_open311_key

pytestmark = pytest.mark.slow


@pytest.fixture
def filed(app, live_url) -> list[str]:
    """Two requests filed through the API, as another application would."""
    import requests

    key = issue_open311_key(app, "外部客户端")
    codes = []
    for fields in (
        {"service_code": "D07-07", "address_id": "xiguocheng-002", "description": "路面塌陷"},
        {
            "service_code": "D05-01",
            "lat": "37.215",
            "long": "115.03",
            "attribute[garbage_state]": "burning",
        },
    ):
        response = requests.post(
            f"{live_url}/open311/v2/requests.json", data={"api_key": key, **fields}, timeout=30
        )
        assert response.status_code == 200, response.text
        codes.append(response.json()[0]["service_request_id"])
    return codes


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_georeport_client_reads_everything(live_url, filed, fmt, shipped_catalogs) -> None:
    client = GeoReport(f"{live_url}/open311/v2", jurisdiction="julu", output_format=fmt)

    services = client.get_service_list()
    codes = [s["service_code"] for s in services]
    assert codes == [m.id for d in shipped_catalogs[-1].domains for m in d.matters]
    garbage = services[codes.index("D05-01")]
    assert garbage["service_name"] == "村内垃圾点清运"
    assert str(garbage["metadata"]).lower() == "true"

    definition = client.get_service_definition("D05-01")
    attributes = definition["attributes"]
    attribute = attributes[0] if fmt == "json" else attributes["attribute"]
    assert attribute["code"] == "garbage_state"

    listed = client.get_service_requests()
    listed = listed if isinstance(listed, list) else [listed]
    assert sorted(r["service_request_id"] for r in listed) == sorted(filed)
    assert client.get_service_requests(service_code="D05-01", status="open")
    one = client.get_service_request(filed[0])
    assert (one["service_request_id"], one["status"], one["agency_responsible"]) == (
        filed[0],
        "open",
        "县供水服务中心",
    )


def test_schemathesis_finds_no_server_error(live_url, filed) -> None:
    import schemathesis
    from hypothesis import HealthCheck, given, settings

    api = schemathesis.openapi.from_url(f"{live_url}/open311/v2/openapi.json")
    base_url = f"{live_url}/open311/v2"
    failures = []
    calls = []
    for operation in api.get_all_operations():
        operation = operation.ok()

        @settings(
            max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        @given(case=operation.as_strategy())
        def run(case) -> None:
            response = case.call(base_url=base_url, timeout=30)
            calls.append(response.status_code)
            if response.status_code >= 500:
                failures.append(
                    (case.method, case.formatted_path, response.status_code, response.text[:200])
                )
            elif (
                response.headers.get("Content-Type", "").startswith("application/json")
                and response.status_code >= 400
            ):
                schema.check_json(schema.ERRORS, response.json())

        run()
    assert failures == []
    assert len(calls) >= 100 and {200, 400, 404} <= set(calls)  # it really exercised the API


def test_the_key_page_in_chromium(browser, live_url) -> None:
    from tests.web.browser import expect, login_page, shot

    page = login_page(browser, live_url, "admin", width=1280)
    page.goto(f"{live_url}/admin/open311-keys/")
    page.fill("#name", "省政务服务App")
    page.fill("#contact", "王工 0319-1234567")
    page.click("form.card button")
    expect(page.locator("#new-key")).to_contain_text("jhb_")
    expect(page.locator("tr.client")).to_contain_text("省政务服务App")
    shot(page, "open311-keys")
