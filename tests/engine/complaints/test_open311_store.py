"""Open311's engine side on both databases: keys (hashed, revocable) and request queries."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from engine.core.transactions import run_step
from engine.open311.keys import authenticate, issue_key, revoke
from engine.open311.models import ApiClient, Open311Submission
from engine.open311.queries import by_codes, search, updates
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
    with host.session_factory() as session:
        assert [
            r.complaint.tracking_code
            for r in by_codes(
                [second.tracking_code, first.tracking_code], county="julu", session=session
            )
        ] == [second.tracking_code, first.tracking_code]
        recent = search(county="julu", start=now - timedelta(days=10), end=now, session=session)
        assert [r.complaint.tracking_code for r in recent] == [second.tracking_code]
        by_code = search(
            county="julu",
            start=now - timedelta(days=90),
            end=now,
            service_codes=["D07-07"],
            session=session,
        )
        assert [r.complaint.tracking_code for r in by_code] == [first.tracking_code]
        assert (
            search(
                county="julu",
                start=now - timedelta(days=90),
                end=now,
                statuses=["closed"],
                session=session,
            )
            == []
        )
        found = updates(county="julu", start=now - timedelta(minutes=1), end=now, session=session)
        assert {u.record.complaint.tracking_code for u in found} == {second.tracking_code}
        assert session.scalars(select(Open311Submission)).all() == []
