"""Stages nobody finished (cancelled, superseded) count in no on-time figure."""

from __future__ import annotations

from datetime import timedelta

from analytics.periods import month
from analytics.report import hotspots
from engine.complaints.models import ComplaintStage
from engine.core.transactions import run_step
from tests.engine.complaints.conftest import beijing
from tests.engine.complaints.helpers import do, report


def test_a_late_stage_that_was_cancelled_does_not_make_its_matter_an_overdue_hotspot(desk):
    clock = desk.host.clock
    clock.set(beijing("2026-03-02 09:00"))
    submitted = report(desk, "D07-07", "xiguocheng-002")
    do(desk, submitted, "sign_for", {"decision": "accept"}, actor="water")
    started = clock.now()

    def legacy_row(session):
        # As written before stage outcomes: a cancelled stage still carrying a late flag.
        session.add(
            ComplaintStage(
                county="julu",
                complaint_id=submitted.complaint_id,
                stage="handle",
                task_id="legacy-cancelled",
                unit="water_supply",
                started_at=started - timedelta(days=9),
                due_at=started - timedelta(days=2),
                ended_at=started - timedelta(days=1),
                outcome="cancelled",
                on_time=False,
            )
        )

    run_step(desk.host.session_factory, legacy_row)
    with desk.host.session_factory() as session:
        spots = hotspots(county="julu", period=month(2026, 3), now=clock.now(), session=session)
    assert spots == []  # was D07-07 with one overdue case
