"""The demo county's history ends at "now": nothing happened after it, no page shows a
negative overdue figure (issue 17, item 6)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import DateTime, func, select

from cli.demo.users import DEMO_PASSWORD
from engine.core.persistence import Base
from tests.web.conftest import csrf_from
from web.labels import overdue_text

# Columns that hold deadlines and schedules: these may lie ahead of now.
AHEAD = {
    "sign_for_due",
    "handle_due",
    "due_at",
    "next_due_at",
    "lock_expires_at",
    "deadline",
    "send_at",
    "period_end",
}


def _past_columns():
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            kind = getattr(column.type, "impl", column.type)
            if isinstance(kind, DateTime) and column.name not in AHEAD:
                yield table, column


def test_no_demo_instant_lies_after_now(demo_county):
    host_app = demo_county.app()
    host = host_app.extensions["juhaoban.host"]
    late: dict[str, datetime] = {}
    checked = set()
    with host.session_factory() as session:
        for table, column in _past_columns():
            latest = session.scalar(select(func.max(column)))
            if latest is None:
                continue
            checked.add(f"{table.name}.{column.name}")
            if latest.tzinfo is None:
                latest = latest.replace(tzinfo=UTC)
            if latest > demo_county.now:
                late[f"{table.name}.{column.name}"] = latest
    assert late == {}
    for column in (
        "audit_event.at",
        "notification.created_at",
        "human_task.created_at",
        "human_task.finished_at",
        "complaint_stage.started_at",
        "complaint_stage.ended_at",
        "complaint.received_at",
        "complaint.updated_at",
        "agri_consultation.asked_at",
    ):
        assert column in checked, column


def _sign_in(app, username: str):
    client = app.test_client()
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post(
        "/auth/login",
        data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    return client


def test_the_dispatchers_boards_show_no_negative_overdue_figure(demo_county):
    dispatcher = _sign_in(demo_county.app(), "dispatcher")
    board = dispatcher.get("/console/overdue").get_data(as_text=True)
    figures = [int(n) for n in re.findall(r"已超 (-?\d+) 天", board)]
    assert figures, "the demo's overdue board lists overdue cases"
    assert min(figures) >= 0
    for page in ("/console/", "/inbox/"):
        html = dispatcher.get(page).get_data(as_text=True)
        assert not re.search(r"超期?\s*-\d", html), page


NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("due", "text"),
    [
        (None, ""),
        (NOW + timedelta(days=2), ""),  # extended, or flagged ahead of time: no figure
        (NOW, ""),
        (NOW - timedelta(hours=5), "已超不足 1 天"),
        (NOW - timedelta(days=1), "已超 1 天"),
        (NOW - timedelta(days=9, hours=23), "已超 9 天"),
    ],
)
def test_overdue_text_is_never_negative(due, text):
    assert overdue_text(due, NOW) == text


def test_the_demo_expert_question_waits_with_its_deadline_ahead(demo_county):
    app = demo_county.app()
    waiting = [c for c in app.extensions["juhaoban.agri"].consultations() if c.stage == "expert"]
    assert waiting, "the demo leaves a question for the expert"
    for question in waiting:
        assert question.due_at is not None and question.due_at > demo_county.now
        assert question.escalations == 0
