"""The monthly list's figures against hand counts of a March of known cases (tests/analytics/
cases.py), the snapshot's drill-down, immutability and notifications."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from analytics import publish_ranking
from analytics.periods import month
from analytics.rankings import compute_ranking
from engine.core.persistence.models import Notification
from engine.snapshots import AnalyticsSnapshot, SnapshotCase
from responsibility_catalog import load_catalogs, shipped_data_path
from rules.ranking import DEFAULT_POLICY
from tests.analytics.cases import build_march
from tests.engine.complaints.conftest import beijing
from tests.engine.complaints.helpers import do, move_to

MARCH = month(2026, 3)


@pytest.fixture
def march(desk):
    return build_march(desk)


def _rows(data):
    return {r["unit"]: r for g in data["groups"] for r in g["rows"]}


def _ranking(desk):
    organisation = load_catalogs(shipped_data_path())[-1].organisation
    with desk.host.session_factory() as session:
        return compute_ranking(
            county="julu", period=MARCH, organisation=organisation, session=session
        )


def test_march_figures_match_the_hand_counts(desk, march):
    rows = _rows(_ranking(desk))
    zwt, dicun, civil = rows["zhangwangtuan"], rows["dicun"], rows["civil_affairs"]
    # Z1–Z5 and the 23:30 report of 31 March; not the merged Z6, not 1 April's.
    assert zwt["counts"]["reporting"] == [6, 191]
    assert zwt["counts"]["completion"] == [2, 6]  # Z1, Z2 closed
    # Sign-for: Z1–Z3 in time, Z4 late, Z5 still open past its limit; the late report's
    # limit (1 April 10:30) had not passed when March ended.
    assert zwt["counts"]["response"] == [3, 5]
    # Handling: Z1, Z2 twice (reopened), Z3's first stage (asked for an extension in time);
    # Z4 open past its limit. Z3's extended stage is due in April.
    assert zwt["counts"]["on_time"] == [4, 5]
    assert zwt["counts"]["satisfaction"] == [2, 2]  # satisfied, then basically satisfied
    assert zwt["counts"]["overturned"] == [0, 0]
    # 堤村乡: both returns answered in time, one reaffirmed by the dispatcher.
    assert dicun["counts"]["response"] == [3, 3]
    assert dicun["counts"]["overturned"] == [1, 2]
    assert dicun["counts"]["completion"] == [0, 1]  # D2 now belongs to 县民政局
    assert dicun["counts"]["on_time"] == [0, 1]
    assert dicun["counts"]["reporting"][0] == 2
    assert civil["counts"]["response"] == [0, 1] and civil["counts"]["completion"] == [0, 1]


def test_march_list_ranks_only_units_with_enough_cases(desk, march):
    data = _ranking(desk)
    townships = next(g for g in data["groups"] if g["kind"] == "township")
    ranked = [r for r in townships["rows"] if r["rank"] is not None]
    assert [r["unit"] for r in ranked] == ["zhangwangtuan"]  # the only one with ≥ 5 cases
    zwt = ranked[0]
    w = DEFAULT_POLICY.weights
    expected = (
        w["reporting"] * 6 / 191
        + w["completion"] * 2 / 6
        + w["response"] * 3 / 5
        + w["on_time"] * 4 / 5
        + w["satisfaction"] * 1.0
    ) / (1 - w["overturned"])  # no returns: that weight drops out
    assert zwt["score"] == round(100 * expected, 2) == 54.23
    assert zwt["board"] == "black"  # below 70, as 张王疃乡 was the year before its turnaround
    unranked = [r for r in townships["rows"] if r["rank"] is None]
    assert len(unranked) == 9 and unranked[0]["unit"] < unranked[-1]["unit"]


def test_published_list_keeps_its_cases_and_never_changes(desk, march):
    host = desk.host
    first = publish_ranking(
        host.session_factory, county="julu", period=MARCH, now=host.clock.now(), actor="test"
    )
    again = publish_ranking(
        host.session_factory, county="julu", period=MARCH, now=host.clock.now(), actor="test"
    )
    assert first.created and not again.created and again.snapshot_id == first.snapshot_id
    z = {n: s.complaint_id for n, s in march.z.items()}
    with host.session_factory() as session:
        cases = session.execute(
            select(SnapshotCase.complaint_id, SnapshotCase.hit).where(
                SnapshotCase.snapshot_id == first.snapshot_id,
                SnapshotCase.unit == "zhangwangtuan",
                SnapshotCase.figure == "response",
            )
        ).all()
        assert sorted(cases) == sorted([(z[1], 1), (z[2], 1), (z[3], 1), (z[4], 0), (z[5], 0)])
        # Every unit heard once, with its standing.
        titles = dict(
            session.execute(
                select(Notification.recipient, Notification.title).where(
                    Notification.kind == "analytics_ranking"
                )
            ).all()
        )
        assert session.scalar(
            select(func.count()).where(Notification.kind == "analytics_ranking")
        ) == len(titles)
    assert titles["zhangwangtuan"] == "2026年3月红黑榜已发布：本单位在乡镇中排第 1 名，列入黑榜"
    assert "样本不足" in titles["dicun"]
    assert {"water_supply", "dispatch_centre", "guanzhai"} <= titles.keys()

    # April: Z5 is finally signed for. March's published figures stay as they were.
    move_to(desk, beijing("2026-04-02 09:00"))
    do(desk, march.z[5], "sign_for", {"decision": "accept"}, actor="staff:zwt")
    with host.session_factory() as session:
        snapshot = session.get(AnalyticsSnapshot, first.snapshot_id)
        zwt = _rows(snapshot.data)["zhangwangtuan"]
        assert zwt["counts"]["response"] == [3, 5]
    # The database itself refuses to change a published list.
    for statement in (
        "UPDATE analytics_snapshot SET period_key = 'x'",
        "DELETE FROM analytics_snapshot_case",
    ):
        with pytest.raises(DatabaseError, match="never change"), host.session_factory.begin() as s:
            s.execute(text(statement))
