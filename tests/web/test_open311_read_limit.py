"""Open311 reads: anonymous clients get 60 a minute per address, key holders 600 per key,
all GETs counted together; the 429 is in the spec's error format with Retry-After."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from tests.web.open311_keys import issue_open311_key

BASE = "/open311/v2"
READS = ["/services.json", "/discovery.json", "/requests.json", "/servicerequestupdates.json"]


@pytest.fixture
def key(app) -> str:
    return issue_open311_key(app, "乡镇大屏")


def reader(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_anonymous_reads_are_limited_per_address(app):
    client = reader(app, "10.0.3.1")
    for n in range(60):
        response = client.get(BASE + READS[n % len(READS)])
        assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["X-RateLimit-Limit"] == "60"

    refused = client.get(BASE + "/services.json")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    [error] = refused.get_json()
    assert error["code"] == "429"
    assert "每个地址每分钟最多读取 60 次" in error["description"]
    assert "api_key" in error["description"] and "后再试" in error["description"]

    as_xml = client.get(BASE + "/requests.xml")
    assert as_xml.status_code == 429
    assert ElementTree.fromstring(as_xml.data).find("error/code").text == "429"

    assert reader(app, "10.0.3.2").get(BASE + "/services.json").status_code == 200


def test_key_holders_read_more(app, key):
    client = reader(app, "10.0.3.1")
    for _ in range(61):
        response = client.get(BASE + "/services.json", query_string={"api_key": key})
        assert response.status_code == 200
    assert response.headers["X-RateLimit-Limit"] == "600"
    # The key's reads are its own: the address still has its anonymous allowance.
    assert client.get(BASE + "/services.json").headers["X-RateLimit-Remaining"] == "59"


def test_a_wrong_key_reads_anonymously(app):
    response = reader(app, "10.0.3.1").get(BASE + "/services.json?api_key=wrong")
    assert response.status_code == 200
    assert response.headers["X-RateLimit-Limit"] == "60"
