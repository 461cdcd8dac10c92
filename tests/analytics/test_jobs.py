"""The publication job on virtual time: it fires at 01:10 on the 1st (Beijing), publishes the
month just ended (and in January and July the half-year just ended), exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select

from analytics import publish_due, register
from analytics.jobs import CRON, JOB_ID, report_months
from analytics.periods import PeriodInvalid
from engine.scheduler import TimerScheduler
from engine.snapshots import AnalyticsSnapshot
from tests.analytics.cases import build_march
from tests.engine.complaints.conftest import beijing
from tests.engine.complaints.helpers import move_to


def _published(desk) -> list[tuple[str, str]]:
    with desk.host.session_factory() as session:
        return sorted(
            session.execute(select(AnalyticsSnapshot.kind, AnalyticsSnapshot.period_key)).all()
        )


def test_the_trigger_fires_on_the_first_of_each_month_beijing_time():
    trigger = CronTrigger(**CRON)
    fire = trigger.get_next_fire_time(None, beijing("2026-03-31 23:59"))
    assert fire == beijing("2026-04-01 01:10")
    fire = trigger.get_next_fire_time(None, beijing("2026-04-01 01:11"))
    assert fire == beijing("2026-05-01 01:10")


def test_the_job_is_registered_on_the_engine_scheduler(desk):
    scheduler = TimerScheduler(desk.host, worker_id="test")
    scheduler.start(paused=True)
    try:
        register(scheduler, desk.host)
        job = scheduler.scheduler.get_job(JOB_ID)
        assert job is not None
        assert job.trigger.get_next_fire_time(None, beijing("2026-06-15 12:00")) == beijing(
            "2026-07-01 01:10"
        )
    finally:
        scheduler.shutdown()


def test_monthly_list_appears_after_the_month_ends_once_however_often_the_job_runs(desk):
    move_to(desk, beijing("2026-03-31 23:59"))
    due = publish_due(desk.host)
    assert due.ranking.created and due.report is None
    assert _published(desk) == [("ranking", "2026-02")]  # March is not over yet

    move_to(desk, beijing("2026-04-01 01:10"))
    first = publish_due(desk.host)
    second = publish_due(desk.host)
    assert first.ranking.created and not second.ranking.created
    assert first.ranking.snapshot_id == second.ranking.snapshot_id
    assert _published(desk) == [("ranking", "2026-02"), ("ranking", "2026-03")]


def test_half_year_report_is_published_in_july_and_january(desk):
    build_march(desk)
    move_to(desk, beijing("2026-07-01 01:10"))
    due = publish_due(desk.host)
    assert due.report.created
    assert publish_due(desk.host).report.snapshot_id == due.report.snapshot_id
    move_to(desk, desk.host.clock.now() + timedelta(days=31))  # 1 August: no report due
    assert publish_due(desk.host).report is None
    assert _published(desk) == [
        ("ranking", "2026-06"),
        ("ranking", "2026-07"),
        ("report", "2026-H1"),
    ]
    with desk.host.session_factory() as session:
        report = session.scalar(select(AnalyticsSnapshot).where(AnalyticsSnapshot.kind == "report"))
    assert report.data["totals"]["received"] == 9  # March's eight valid reports and 1 April's
    assert report.created_by == "scheduler:analytics"


def test_a_yearly_or_quarterly_rhythm_publishes_its_own_periods(desk):
    move_to(desk, beijing("2026-04-01 01:10"))
    assert publish_due(desk.host, months=12).report is None  # yearly: only in January
    quarterly = publish_due(desk.host, months=3).report
    assert quarterly.created
    move_to(desk, beijing("2027-01-01 01:10"))
    yearly = publish_due(desk.host, months=12).report
    assert yearly.created
    assert ("report", "2026-01-01..2026-03-31") in _published(desk)
    assert ("report", "2026-01-01..2026-12-31") in _published(desk)


def test_the_rhythm_comes_from_the_environment_and_must_divide_a_year(desk):
    assert report_months({}) == 6
    assert report_months({"JUHAOBAN_REPORT_MONTHS": "12"}) == 12
    scheduler = TimerScheduler(desk.host, worker_id="test")
    with pytest.raises(PeriodInvalid, match="不能整除"):
        register(scheduler, desk.host, months=5)
