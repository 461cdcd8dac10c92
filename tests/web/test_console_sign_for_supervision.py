"""The overdue board offers supervision (督办签收) for cases nobody signed for."""

from __future__ import annotations

from datetime import timedelta

from tests.engine.complaints.helpers import move_to, notifications, task_names
from tests.web.test_console_common import (
    desk_fixture,  # noqa: F401  (the desk fixture)
    post,
    report,
)


def _unsigned_overdue(desk):
    submitted = report(desk, "D07-07", "xiguocheng-002")
    due = desk.complaint(submitted.complaint_id).sign_for_due
    move_to(desk, due + timedelta(days=9))
    return submitted


def test_dispatcher_supervises_a_case_nobody_signed_for_from_the_overdue_board(login, desk):
    submitted = _unsigned_overdue(desk)
    unit = desk.complaint(submitted.complaint_id).primary_unit
    client = login("dispatcher")
    board = client.get("/console/overdue").get_data(as_text=True)
    card = board.split(submitted.tracking_code)[1].split('class="card"')[0]
    assert "签收超时" in card and "尚无待办督办任务" not in card
    assert f"/console/overdue/{submitted.complaint_id}/supervise-sign-for" in card

    url = f"/console/overdue/{submitted.complaint_id}/supervise-sign-for"
    response = post(client, url, {"supervision_note": "请今日下班前签收"})
    assert response.status_code == 302
    (title,) = notifications(desk, unit, "sign_supervised")
    assert title.endswith("请今日下班前签收")
    assert "sign_for" in task_names(desk, submitted)

    board = client.get("/console/overdue").get_data(as_text=True)
    assert "已督办签收，已通知" in board
    card = board.split(submitted.tracking_code)[1].split('class="card"')[0]
    assert "督办签收：“请今日下班前签收”，等待单位签收" in card
    assert "supervise-sign-for" not in card

    again = post(client, url, {"supervision_note": "再催"})
    assert again.status_code == 302
    assert "未能督办：已督办过" in client.get("/console/overdue").get_data(as_text=True)
    assert len(notifications(desk, unit, "sign_supervised")) == 1


def test_an_overlong_note_is_refused_at_its_field_and_nothing_is_sent(login, desk):
    submitted = _unsigned_overdue(desk)
    client = login("dispatcher")
    url = f"/console/overdue/{submitted.complaint_id}/supervise-sign-for"
    response = post(client, url, {"supervision_note": "催" * 501})
    assert response.status_code == 400
    assert "督办意见不能超过 500 字" in response.get_data(as_text=True)
    unit = desk.complaint(submitted.complaint_id).primary_unit
    assert notifications(desk, unit, "sign_supervised") == []


def test_only_the_dispatch_centre_may_supervise(login, desk):
    submitted = _unsigned_overdue(desk)
    url = f"/console/overdue/{submitted.complaint_id}/supervise-sign-for"
    for username in ("water", "leader"):
        assert post(login(username), url, {"supervision_note": "x"}).status_code == 403
    unit = desk.complaint(submitted.complaint_id).primary_unit
    assert notifications(desk, unit, "sign_supervised") == []
