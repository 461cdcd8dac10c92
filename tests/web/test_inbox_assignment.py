"""A unit's own table of who handles what: arriving tasks go to that person; the lead
edits the table and reassigns; staff cannot."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.core.persistence.models import AuditEvent, HumanTask
from engine.people.models import UnitAssignment
from tests.engine.complaints.helpers import report, task
from tests.web.conftest import csrf_from

ZWT_VILLAGE = "zhangwangtuan-002"  # 夏营村, 张王疃乡


@pytest.fixture
def desk(app):
    # The app's desk assigns arriving tasks by the unit's table (ComplaintDesk wires it).
    return app.extensions["juhaoban"].desk


def _token(client) -> str:
    return csrf_from(client.get("/inbox/assignments").get_data(as_text=True))


def _assignee(desk, task_id: str) -> str | None:
    with desk.host.session_factory() as db:
        return db.get(HumanTask, task_id).assignee


def _table(desk) -> dict[str, str]:
    with desk.host.session_factory() as db:
        rows = db.scalars(select(UnitAssignment).where(UnitAssignment.unit_id == "zhangwangtuan"))
        return {r.scope: r.username for r in rows}


def test_new_task_goes_to_the_person_of_the_units_table_matter_before_domain(desk, login):
    # The demo table gives 民政救助 (D11) to zwt.
    first = report(desk, "D11-01", ZWT_VILLAGE, description="申请低保")
    assert task(desk, first, "sign_for").assignee == "zwt"
    lead = login("zwt_lead")
    response = lead.post(
        "/inbox/assignments",
        data={"scope": "D11-01", "username": "zwt_lead", "csrf_token": _token(lead)},
    )
    assert response.status_code == 302
    second = report(desk, "D11-01", ZWT_VILLAGE, description="低保金未发放")
    assert task(desk, second, "sign_for").assignee == "zwt_lead", "the matter entry wins"
    other = report(desk, "D11-02", ZWT_VILLAGE, description="特困供养")
    assert task(desk, other, "sign_for").assignee == "zwt", "the domain entry still applies"
    # The supporting county department has no table: its task is for anyone there.
    assert task(desk, first, "assist").assignee is None
    mine = login("zwt").get("/inbox/?mine=1").get_data(as_text=True)
    assert task(desk, first, "sign_for").id in mine
    assert task(desk, second, "sign_for").id not in mine


def test_lead_reassigns_a_task_within_the_unit_with_an_audit_event(desk, login):
    submitted = report(desk, "D11-01", ZWT_VILLAGE)
    sign_for = task(desk, submitted, "sign_for")
    lead = login("zwt_lead")
    page = lead.get(f"/inbox/tasks/{sign_for.id}").get_data(as_text=True)
    assert "改派" in page
    response = lead.post(
        f"/inbox/tasks/{sign_for.id}/assignee",
        data={"assignee": "zwt_lead", "csrf_token": csrf_from(page)},
    )
    assert response.status_code == 302
    assert _assignee(desk, sign_for.id) == "zwt_lead"
    with desk.host.session_factory() as db:
        event = db.scalars(select(AuditEvent).where(AuditEvent.action == "task.reassigned")).one()
    assert (event.actor, event.before, event.after) == (
        "zwt_lead",
        {"assignee": "zwt"},
        {"assignee": "zwt_lead"},
    )
    assert "改派办理人" in lead.get(f"/inbox/tasks/{sign_for.id}").get_data(as_text=True)
    # Someone of another unit cannot receive it.
    lead.post(
        f"/inbox/tasks/{sign_for.id}/assignee",
        data={"assignee": "xlz", "csrf_token": csrf_from(page)},
    )
    assert _assignee(desk, sign_for.id) == "zwt_lead"


def test_staff_cannot_edit_the_table_or_reassign(desk, login):
    submitted = report(desk, "D11-01", ZWT_VILLAGE)
    sign_for = task(desk, submitted, "sign_for")
    staff = login("zwt")
    page = staff.get("/inbox/assignments")
    assert page.status_code == 200 and "新增或调整分工" not in page.get_data(as_text=True)
    token = _token(staff)
    before = _table(desk)
    assert (
        staff.post(
            "/inbox/assignments", data={"scope": "D11", "username": "zwt", "csrf_token": token}
        ).status_code
        == 403
    )
    with desk.host.session_factory() as db:
        entry_id = db.scalars(select(UnitAssignment.id)).first()
    assert (
        staff.post(f"/inbox/assignments/{entry_id}/delete", data={"csrf_token": token}).status_code
        == 403
    )
    assert (
        staff.post(
            f"/inbox/tasks/{sign_for.id}/assignee",
            data={"assignee": "zwt_lead", "csrf_token": token},
        ).status_code
        == 403
    )
    assert _table(desk) == before
    assert _assignee(desk, sign_for.id) == "zwt"


def test_lead_edits_the_table_with_clear_errors(desk, login):
    lead = login("zwt_lead")
    token = _token(lead)
    refused = lead.post(
        "/inbox/assignments", data={"scope": "D99", "username": "xlz", "csrf_token": token}
    )
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "请选择清单中的领域或事项" in page and "请选择本单位的工作人员" in page
    assert "D99" not in _table(desk)
    assert (
        lead.post(
            "/inbox/assignments", data={"scope": "D04", "username": "zwt", "csrf_token": token}
        ).status_code
        == 302
    )
    assert _table(desk)["D04"] == "zwt"
    with desk.host.session_factory() as db:
        entry_id = db.scalars(select(UnitAssignment.id).where(UnitAssignment.scope == "D04")).one()
    assert (
        lead.post(f"/inbox/assignments/{entry_id}/delete", data={"csrf_token": token}).status_code
        == 302
    )
    assert "D04" not in _table(desk)
    # Another unit's lead cannot remove this unit's entries.
    other = login("xlz_lead")
    d11 = next(iter(_table(desk)))
    with desk.host.session_factory() as db:
        d11_id = db.scalars(select(UnitAssignment.id).where(UnitAssignment.scope == d11)).one()
    response = other.post(f"/inbox/assignments/{d11_id}/delete", data={"csrf_token": _token(other)})
    assert response.status_code == 403
    assert d11 in _table(desk)
