"""Shared verbs for the console tests: cases driven through the real process, forms posted
with the signed-in user's CSRF token. (Helpers only; no tests here.)"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from engine.complaints.desk import ComplaintDesk, Submitted
from tests.engine.complaints.conftest import beijing
from tests.engine.complaints.helpers import do, report, task
from tests.web.conftest import csrf_from

HOULINXIN = "xiaolvzhai-002"  # 后林辛庄村 on S324: D04-01 routes it to 小吕寨镇
RETURN = {
    "decision": "return",
    "return_reason": "不属于本镇职责，应由城管局负责",
    "return_basis": "清单 D04-01 规则 2",
}


@pytest.fixture(name="desk")
def desk_fixture(app, clock) -> ComplaintDesk:
    """The app's desk, on a Monday of April 2022 (catalog 2020-05: before the consultation
    that moved S324 street vending to the urban management bureau)."""
    clock.set(beijing("2022-04-11 09:00"))
    return app.extensions["juhaoban"].desk


def post(client: FlaskClient, url: str, data: dict[str, Any]) -> Any:
    token = csrf_from(client.get("/").get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def act(client: FlaskClient, task_id: str, data: dict[str, Any]) -> Any:
    return post(client, f"/console/tasks/{task_id}", data)


def returned_case(desk: ComplaintDesk, village: str = HOULINXIN, **fields: Any) -> Submitted:
    """A street-vending case the township returned: now waiting for the dispatcher's ruling."""
    submitted = report(desk, "D04-01", village, **fields)
    do(desk, submitted, "sign_for", RETURN, actor="xlz")
    return submitted


def signed_case(desk: ComplaintDesk, matter: str = "D07-07", village: str = "xiguocheng-002"):
    submitted = report(desk, matter, village)
    do(desk, submitted, "sign_for", {"decision": "accept"}, actor="water")
    return submitted


__all__ = [
    "HOULINXIN",
    "RETURN",
    "act",
    "beijing",
    "desk_fixture",
    "do",
    "post",
    "report",
    "returned_case",
    "signed_case",
    "task",
]
