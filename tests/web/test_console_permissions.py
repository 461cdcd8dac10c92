"""Who may use the console: unit staff and residents get 403 on every page and action and
change nothing; the lists cost the same number of queries however many rows they show."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from tests.engine.complaints.helpers import task_names
from tests.web.test_console_common import (
    act,
    desk_fixture,  # noqa: F401  (the desk fixture)
    post,
    report,
    returned_case,
    task,
)

PAGES = [
    "/console/",
    "/console/contested",
    "/console/approvals",
    "/console/overdue",
    "/console/listed",
    "/console/consultations",
]


@pytest.mark.parametrize("username", ["water", "xlz_lead", "resident", "gridworker"])
def test_unit_staff_and_residents_get_403_on_console_pages_and_actions(login, desk, username):
    contested = returned_case(desk)
    duplicate = report(desk, "D04-01", "xiaolvzhai-002")
    client = login(username)
    for url in [*PAGES, f"/console/contested/{task(desk, contested, 'adjudicate').id}"]:
        assert client.get(url).status_code == 403, url
    adjudicate = task(desk, contested, "adjudicate")
    response = act(client, adjudicate.id, {"ruling": "reaffirm", "ruling_note": "越权"})
    assert response.status_code == 403
    response = post(
        client,
        f"/console/screening/{duplicate.complaint_id}/close",
        {"kind": "invalid", "reason": "越权作废"},
    )
    assert response.status_code == 403
    assert task_names(desk, contested) == ["adjudicate"]
    assert desk.complaint(duplicate.complaint_id).status == "open"


def test_orgdept_sees_consultations_but_not_the_dispatch_queues(login, desk):
    client = login("orgdept")
    assert client.get("/console/consultations").status_code == 200
    assert client.get("/console/").status_code == 403
    unrouted = report(desk, None, "dicun-002")
    response = act(client, task(desk, unrouted, "determine").id, {"primary_unit": "dicun"})
    assert response.status_code == 403
    assert task_names(desk, unrouted) == ["determine"]


def test_anonymous_visitors_are_sent_to_sign_in(app):
    response = app.test_client().get("/console/contested")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def _queries(app, client, url: str) -> int:
    engine = app.extensions["juhaoban.host"].session_factory.kw["bind"]
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_lists_cost_a_fixed_number_of_queries(app, login, desk):
    client = login("dispatcher")
    returned_case(desk)
    report(desk, None, "dicun-002")
    few = {url: _queries(app, client, url) for url in PAGES}
    for _ in range(4):
        returned_case(desk)
        report(desk, None, "dicun-002")
    many = {url: _queries(app, client, url) for url in PAGES}
    assert many == few
