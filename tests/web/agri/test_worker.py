"""A separate worker process (``juhaoban worker``) sends a push scheduled in the web app: its
host has the service operations of every domain."""

from __future__ import annotations

from datetime import timedelta

from engine import WorkflowHost
from engine.desks import wire_desks
from engine.scheduler import TimerScheduler
from tests.engine.complaints.conftest import BPMN_DIR, beijing


def test_the_worker_sends_a_push_scheduled_in_the_web_app(app, clock):
    web_host = app.extensions["juhaoban.host"]
    for name in ("agri_consultation.bpmn", "agri_push.bpmn"):
        web_host.deploy_file(BPMN_DIR / name, actor="designer")
    desk = app.extensions["juhaoban.agri"]
    desk.register_grower(
        name="杨培武",
        village_id="dicun-003",
        crops={"honeysuckle": 20},
        username="grower",
        actor="gridworker",
    )
    send_at = beijing("2026-06-20 08:00")
    push_id = desk.create_push(
        crop="honeysuckle",
        title="蚜虫提醒",
        body="第二茬花后注意蚜虫",
        townships=["dicun"],
        villages=[],
        send_at=send_at,
        actor="expert",
    )

    # Another process: its own host on the same database, wired like `juhaoban worker`.
    worker_host = WorkflowHost(web_host.session_factory, clock)
    wire_desks(worker_host)
    scheduler = TimerScheduler(worker_host, worker_id="worker-1")
    scheduler.start(paused=True)
    try:
        clock.set(send_at + timedelta(seconds=2))
        scheduler.sweep_now()
    finally:
        scheduler.shutdown()
    push = desk.push(push_id)
    assert (push.status, push.recipients) == ("sent", 1)
    assert web_host.instance(push.instance_id).status == "completed"
