from __future__ import annotations

from datetime import timedelta

from engine.scheduler import SWEEP_JOB, WAKE_JOB, TimerScheduler
from tests.engine.helpers import start_ticket


def test_scheduler_plans_a_wake_up_for_the_earliest_due_timer(host, diagram, clock):
    host.deploy(diagram("ticket.bpmn"), actor="designer")
    scheduler = TimerScheduler(host, interval_s=30, worker_id="test")
    scheduler.start(paused=True)
    try:
        assert scheduler.scheduler.get_job(SWEEP_JOB) is not None
        assert scheduler.planned_wake is None  # nothing waits yet

        start_ticket(host, remind_at=(clock.now() + timedelta(hours=3)).isoformat())
        first = scheduler.planned_wake
        assert first is not None
        assert timedelta(0) < first - (clock.now() + timedelta(hours=3)) < timedelta(seconds=1)

        # A later due time does not postpone the wake-up; an earlier one brings it forward.
        start_ticket(host, remind_at=(clock.now() + timedelta(hours=3)).isoformat())
        assert scheduler.planned_wake == first
        start_ticket(host, remind_at=(clock.now() + timedelta(minutes=30)).isoformat())
        assert scheduler.planned_wake < first
        assert scheduler.scheduler.get_job(WAKE_JOB) is not None

        # The wake-up job sweeps and plans the next one.
        clock.advance(timedelta(minutes=31))
        scheduler.sweep_now()
        assert scheduler.planned_wake > clock.now()
    finally:
        scheduler.shutdown()


def test_cron_jobs_can_be_registered(host):
    scheduler = TimerScheduler(host, worker_id="test")
    scheduler.start(paused=True)
    try:
        scheduler.add_cron(lambda: None, job_id="monthly-ranking", day=1, hour=2)
        assert scheduler.scheduler.get_job("monthly-ranking") is not None
    finally:
        scheduler.shutdown()
