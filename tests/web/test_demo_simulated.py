"""The demo's simulated history sits beside the story cases without disturbing them."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from cli.demo.history import STORIES, create_demo_history
from cli.demo.simulated import create_demo_simulation
from engine.complaints.models import Complaint


def test_simulated_weeks_then_the_stories(host, clock):
    today = clock.now()
    stats = create_demo_simulation(host, today=today, months=0.5, scale=0.005)
    assert stats.requests > 15 and stats.timers_fired > 0
    with host.session_factory() as session:
        status = dict(
            session.execute(select(Complaint.status, func.count()).group_by(Complaint.status)).all()
        )
        latest = session.scalar(select(func.max(Complaint.received_at)))
    assert status["closed"] > 0 and status["open"] > 0  # history, and work in the inboxes
    assert latest <= today
    assert any(t.task_name == "handle" for t in host.ready_tasks())

    assert create_demo_history(host, today=today) == len(STORIES)
    with host.session_factory() as session:
        contested = session.scalar(
            select(func.count()).where(
                Complaint.stage == "contested", Complaint.village_id == "xiaolvzhai-002"
            )
        )
    assert contested >= 1  # the S324 story case still waits for the dispatcher's ruling


def test_demo_pages_show_the_simulated_cases(app, login, clock):
    host = app.extensions["juhaoban.host"]
    create_demo_simulation(host, today=clock.now(), months=0.5, scale=0.005)
    accounts = {"xiguocheng": "xgc", "dicun": "dicun", "xiaolvzhai": "xlz", "water_supply": "water"}
    with host.session_factory() as session:
        open_by_unit = dict(
            session.execute(
                select(Complaint.primary_unit, func.count())
                .where(Complaint.status == "open", Complaint.primary_unit.in_(accounts))
                .group_by(Complaint.primary_unit)
            ).all()
        )
    for account, page in (("dispatcher", "/console/"), ("leader", "/")):
        assert login(account).get(page).status_code == 200, (account, page)
    busiest = max(open_by_unit, key=open_by_unit.get)
    inbox = login(accounts[busiest]).get("/inbox/").get_data(as_text=True)
    # The unit has simulated work waiting in its inbox.
    assert re.search(r'<a href="/inbox/" class="on">全部 [1-9]', inbox)
