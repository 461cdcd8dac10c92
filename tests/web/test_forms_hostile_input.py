"""Hostile input to the HTML pages (issue 18: no 500s on any page, not only the JSON API).

Each test is one cause the sweep of every form and query string found: a number or date
beyond what the database or ``date`` can hold, read straight from a form or link. Each answer
is a clear Chinese message (or an empty page) and changes nothing.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from engine.core.persistence.models import Notification
from tests.web.conftest import csrf_from

HUGE = "9" * 30
ENGLISH = re.compile(r"out of range|must be in|invalid|Bad Request", re.IGNORECASE)


def _text(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/analytics/heatmap?period=9999-12", "年份“9999”超出范围"),
        ("/analytics/cases?period=0000-01", "年份“0”超出范围"),
        ("/analytics/heatmap?from=2026-01-01&to=9999-12-31", "日期“9999-12-31”"),
        ("/analytics/heatmap?from=2026-02-01&to=2026-02-30", "日期“2026-02-30”不存在"),
    ],
)
def test_a_period_beyond_the_calendar_is_refused_in_chinese(app, login, path, message):
    response = login("leader").get(path)
    assert response.status_code == 400
    assert message in _text(response)
    assert not ENGLISH.search(_text(response))


def test_report_generation_refuses_a_period_ending_after_year_9999(app, login):
    leader = login("leader")
    token = csrf_from(_text(leader.get("/analytics/reports/")))
    response = leader.post(
        "/analytics/reports/generate", data={"csrf_token": token, "period": "9999-12"}
    )
    assert response.status_code == 400
    assert "年份“9999”超出范围" in _text(response)


def test_contested_matters_fall_back_to_the_default_period_for_year_9999(app, login):
    response = login("orgdept").get("/catalog/contested?from=2026-01-01&to=9999-12-31")
    assert response.status_code == 200
    assert "日期“9999-12-31”超出范围" in _text(response)


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("dispatcher", "/console/"),
        ("dispatcher", "/console/contested"),
        ("dispatcher", "/console/overdue"),
        ("water", "/inbox/"),
        ("leader", "/analytics/cases"),
    ],
)
def test_a_page_number_of_30_digits_is_an_empty_page(app, login, username, path):
    response = login(username).get(f"{path}?page={HUGE}")
    assert response.status_code == 200


def _unread(app) -> int:
    with app.extensions["juhaoban.host"].session_factory() as session:
        return session.scalar(
            select(func.count(Notification.id)).where(Notification.read_at.is_(None))
        )


@pytest.mark.parametrize("bad", [HUGE, "abc", "-1"])
def test_marking_a_notification_with_a_bad_id_marks_nothing(app, login, bad):
    from tests.engine.complaints.helpers import report

    report(app.extensions["juhaoban"].desk, "D07-07", "xiguocheng-002")
    client = login("water")
    unread = _unread(app)
    token = csrf_from(_text(client.get("/notifications/")))
    response = client.post("/notifications/read", data={"csrf_token": token, "id": bad})
    assert response.status_code == 302
    assert "不存在" in _text(client.get(response.location))
    assert _unread(app) == unread


def test_moving_an_instance_to_a_version_id_of_30_digits_is_refused(app, login):
    client = login("admin")
    token = csrf_from(_text(client.get("/admin/incidents/")))
    response = client.post(
        "/admin/incidents/instances/1/move", data={"csrf_token": token, "definition_id": HUGE}
    )
    assert response.status_code == 302
    assert "请选择要迁移到的版本" in _text(client.get(response.location))


@pytest.mark.parametrize("query", [f"old=1&new={HUGE}", "old=abc&new=1", "old=-1&new=1"])
def test_comparing_versions_with_an_id_that_is_no_version_is_a_400(app, login, query):
    response = login("designer").get(f"/designer/diff?{query}")
    assert response.status_code == 400
    assert "请选择要比较的两个版本" in _text(response)


def test_validating_against_a_draft_id_of_30_digits_is_not_found(app, login):
    client = login("designer")
    token = csrf_from(_text(client.get("/designer/")))
    response = client.post(
        f"/designer/validate?draft={HUGE}",
        data="<definitions/>",
        headers={"X-CSRF-Token": token},
        content_type="application/xml",
    )
    assert response.status_code == 404
    assert "不存在" in _text(response)


def test_a_100_kb_period_is_quoted_briefly_not_echoed_back(app, login):
    response = login("leader").get("/analytics/heatmap?period=" + "x" * 100_000)
    assert response.status_code == 400
    assert "统计期“xxxxxxxxxxxxxxxxxxxx…”格式不对" in _text(response)
    assert len(response.data) < 20_000
