"""Open311's engine side on both databases: keys (hashed, revocable) and request queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.complaints import ComplaintReport, ReportRejected
from engine.core.transactions import run_step
from engine.open311 import (
    ClientRejected,
    Open311Desk,
    SubmissionDetails,
    by_codes,
    search,
    submission_keeper,
    updates,
)
from engine.open311.keys import authenticate, issue_key, revoke
from engine.open311.models import ApiClient, Open311Submission
from tests.engine.complaints.helpers import report


def test_keys_are_stored_hashed_found_by_prefix_and_revocable(host, clock) -> None:
    def issue(session):
        return issue_key("App", county="julu", actor="admin", now=clock.now(), session=session)

    (client, key), (_, other) = (
        run_step(host.session_factory, issue),
        run_step(host.session_factory, issue),
    )
    with host.session_factory() as session:
        stored = session.scalars(select(ApiClient.key_hash)).all()
    assert key not in stored and other not in stored and len(set(stored)) == 2
    with host.session_factory.begin() as session:
        assert authenticate(key, county="julu", now=clock.now(), session=session).id == client.id
        assert authenticate(key, county="other", now=clock.now(), session=session) is None
        assert authenticate(key[:-1] + "x", county="julu", now=clock.now(), session=session) is None
    run_step(
        host.session_factory,
        lambda s: revoke(client.id, county="julu", actor="admin", now=clock.now(), session=s),
    )
    with host.session_factory.begin() as session:
        assert authenticate(key, county="julu", now=clock.now(), session=session) is None
        assert authenticate(other, county="julu", now=clock.now(), session=session) is not None


def test_queries_by_code_window_status_and_updates(desk, host, clock) -> None:
    first = report(desk, "D07-07", "xiguocheng-002")
    clock.advance(timedelta(days=30))
    second = report(desk, "D09-01", "juluzhen-010")
    now = clock.now()
    assert [
        r.complaint.tracking_code
        for r in by_codes(host, [second.tracking_code, first.tracking_code], county="julu")
    ] == [second.tracking_code, first.tracking_code]
    recent = search(host, county="julu", start=now - timedelta(days=10), end=now)
    assert [r.complaint.tracking_code for r in recent] == [second.tracking_code]
    by_code = search(
        host, county="julu", start=now - timedelta(days=90), end=now, service_codes=["D07-07"]
    )
    assert [r.complaint.tracking_code for r in by_code] == [first.tracking_code]
    assert (
        search(host, county="julu", start=now - timedelta(days=90), end=now, statuses=["closed"])
        == []
    )
    found = updates(host, county="julu", start=now - timedelta(minutes=1), end=now)
    assert {u.record.complaint.tracking_code for u in found} == {second.tracking_code}
    with host.session_factory() as session:
        assert session.scalars(select(Open311Submission)).all() == []


def test_the_desk_issues_lists_and_revokes_keys_and_a_key_names_its_county(host, clock) -> None:
    desk = Open311Desk(host)
    key = desk.issue_key("App", contact="", requests_per_minute=30, county="julu", actor="admin")
    other = desk.issue_key("Other", contact="", requests_per_minute=5, county="xingtai", actor="a")
    (listed,) = desk.clients(county="julu")
    assert (listed.name, listed.county, listed.last_used_at) == ("App", "julu", None)
    found = desk.client_for_key(other)
    assert found is not None and (found.name, found.county) == ("Other", "xingtai")
    # The key was just issued
    assert desk.client_for_key(key).county == "julu"  # type: ignore[union-attr]
    assert desk.clients(county="julu")[0].last_used_at == clock.now()
    assert desk.client_for_key("") is None and desk.client_for_key(key[:-1] + "x") is None
    with pytest.raises(ClientRejected):
        desk.revoke(listed.id, county="xingtai", actor="admin")
    desk.revoke(listed.id, county="julu", actor="admin")
    assert desk.client_for_key(key) is None
    assert desk.clients(county="julu")[0].revoked_by == "admin"


def test_a_request_keeps_its_open311_details_in_the_reports_step(desk, host) -> None:
    client = Open311Desk(host)
    key = client.issue_key("App", contact="", requests_per_minute=30, county="julu", actor="a")
    client_id = client.client_for_key(key).id  # type: ignore[union-attr]  # the key was just issued
    details = SubmissionDetails(client_id, {"garbage_state": "full"}, media_url="https://x.cn/1")
    submitted = desk.submit(
        ComplaintReport(channel="open311", village_id="xiguocheng-002", description="路面塌陷"),
        actor=f"open311:{client_id}",
        also=submission_keeper(details),
    )
    (record,) = by_codes(host, [submitted.tracking_code], county="julu")
    assert record.media_url == "https://x.cn/1"
    with pytest.raises(ReportRejected):
        desk.submit(
            ComplaintReport(channel="open311", village_id="nowhere", description="x"),
            actor=f"open311:{client_id}",
            also=submission_keeper(details),
        )
    with host.session_factory() as session:
        assert len(session.scalars(select(Open311Submission)).all()) == 1
