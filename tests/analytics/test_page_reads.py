"""The analytics reads pages use: each takes the host and returns frozen copies (case rows,
snapshots, the dashboard), the same figures as the session-level functions."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from analytics import (
    HeatFilter,
    figure_cases,
    heat_cases,
    heatmap,
    heatmap_of,
    latest_snapshot,
    leader_dashboard,
    publish_snapshot,
    snapshot_view,
    snapshot_views,
)
from analytics.periods import month
from engine.snapshots import SnapshotCase
from responsibility_catalog import load_catalogs, shipped_data_path
from tests.analytics.cases import build_march
from tests.engine.complaints.conftest import beijing
from tests.engine.complaints.helpers import move_to, report

CATALOG = load_catalogs(shipped_data_path())[-1]
MARCH = month(2026, 3)


def test_heat_cases_page_through_frozen_rows(desk) -> None:
    desk.host.clock.set(beijing("2026-03-10 09:00"))
    codes = [report(desk, "D05-01", "zhangwangtuan-004").tracking_code for _ in range(3)]
    report(desk, "D04-01", "juluzhen-002")
    heat = HeatFilter(MARCH, matter_id="D05-01")

    first = heat_cases(desk.host, county="julu", heat=heat, page=1, per_page=2)
    second = heat_cases(desk.host, county="julu", heat=heat, page=2, per_page=2)
    assert first.total == second.total == 3
    assert [r.tracking_code for r in first.rows + second.rows] == codes[::-1]  # latest first
    assert first.hits == {}
    with pytest.raises(dataclasses.FrozenInstanceError):
        # The test shows the frozen dataclass refuses it
        first.rows[0].stage = "closed"  # type: ignore[misc]
    assert heat_cases(desk.host, county="xingtai", heat=heat, page=1, per_page=2).total == 0
    with desk.host.session_factory() as session:
        direct = heatmap(county="julu", heat=heat, catalog=CATALOG, session=session)
    assert heatmap_of(desk.host, county="julu", heat=heat, catalog=CATALOG) == direct


def test_published_snapshots_their_cases_and_the_dashboard(desk) -> None:
    build_march(desk)
    host = desk.host
    move_to(desk, beijing("2026-04-02 09:00"))
    assert latest_snapshot(host, county="julu", kind="ranking") is None
    now = host.clock.now()

    published = publish_snapshot(
        host, "ranking", county="julu", period=MARCH, now=now, actor="user:leader"
    )
    again = publish_snapshot(
        host, "ranking", county="julu", period=MARCH, now=now, actor="user:leader"
    )
    assert published.created and again == dataclasses.replace(published, created=False)

    snapshot = snapshot_view(host, published.snapshot_id)
    assert snapshot is not None and snapshot.kind == "ranking" and snapshot.period_key == "2026-03"
    assert [s.id for s in snapshot_views(host, county="julu", kind="ranking")] == [snapshot.id]
    assert snapshot_views(host, county="julu", kind="report") == []
    assert snapshot_views(host, county="xingtai", kind="ranking") == []
    assert snapshot_view(host, 999_999) is None

    with host.session_factory() as session:
        stored = dict(
            session.execute(
                select(SnapshotCase.complaint_id, SnapshotCase.hit).where(
                    SnapshotCase.snapshot_id == snapshot.id,
                    SnapshotCase.unit == "zhangwangtuan",
                    SnapshotCase.figure == "response",
                )
            ).all()
        )
    found = figure_cases(
        host,
        snapshot_id=snapshot.id,
        unit="zhangwangtuan",
        figure="response",
        only=None,
        page=1,
        per_page=100,
    )
    assert found.total == len(stored) and {r.id for r in found.rows} == set(stored)
    assert found.hits == {cid: bool(hit) for cid, hit in stored.items()}
    misses = figure_cases(
        host,
        snapshot_id=snapshot.id,
        unit="zhangwangtuan",
        figure="response",
        only="miss",
        page=1,
        per_page=100,
    )
    assert {r.id for r in misses.rows} == {cid for cid, hit in stored.items() if not hit}

    board = leader_dashboard(host, county="julu", now=host.clock.now())
    assert board.ranking == snapshot and board.report is None
    assert len(board.days) == 14 and board.numbers.received == 0
