"""The demo's agriculture story: played through the real processes, once."""

from __future__ import annotations

from cli.demo.agri import create_demo_agri
from tests.engine.complaints.conftest import BPMN_DIR


def test_demo_plays_the_dicun_story_once(app, clock, login):
    host = app.extensions["juhaoban.host"]
    for name in ("agri_consultation.bpmn", "agri_push.bpmn"):
        host.deploy_file(BPMN_DIR / name, actor="demo")
    assert create_demo_agri(host, today=clock.now()) == 2
    assert create_demo_agri(host, today=clock.now()) == 0
    desk = app.extensions["juhaoban.agri"]
    closed, waiting = sorted(desk.consultations(), key=lambda c: c.id)
    assert (closed.stage, closed.rating, closed.widespread) == ("closed", 5, True)
    assert waiting.stage == "expert" and waiting.expert == "expert"
    sent, scheduled = sorted(desk.pushes(), key=lambda p: p.id)
    assert (
        sent.status,
        sent.recipients,
        sum(r.read_at is not None for r, _ in desk.receipts(sent.id)),
    ) == ("sent", 25, 9)
    assert scheduled.status == "scheduled" and scheduled.send_at > clock.now()
    inbox = login("expert").get("/agri/expert").get_data(as_text=True)
    assert "第二茬花采完后" in inbox
