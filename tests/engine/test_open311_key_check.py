"""Checking an Open311 api_key: the client of the key's county, its use recorded."""

from __future__ import annotations

from datetime import timedelta

from engine.core.transactions import run_step
from engine.open311 import ApiClientRecord, check_api_key
from engine.open311.keys import issue_key, revoke


def test_a_key_names_its_client_in_its_county_until_revoked(host, clock):
    client, key = run_step(
        host.session_factory,
        lambda s: issue_key("测试应用", county="julu", actor="admin", now=clock.now(), session=s),
    )
    clock.advance(timedelta(minutes=5))
    found = check_api_key(host, key, county="julu")
    assert isinstance(found, ApiClientRecord)
    assert (found.id, found.name, found.last_used_at) == (client.id, "测试应用", clock.now())
    assert check_api_key(host, key, county="other") is None
    assert check_api_key(host, "wrong-key", county="julu") is None
    assert check_api_key(host, "", county="julu") is None

    run_step(
        host.session_factory,
        lambda s: revoke(client.id, county="julu", actor="admin", now=clock.now(), session=s),
    )
    assert check_api_key(host, key, county="julu") is None
