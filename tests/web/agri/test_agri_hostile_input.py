"""Hostile ids in the agriculture forms: a grower or specialty id of 30 digits is no row
(a clear answer, nothing changed), never an overflow in the database driver (500)."""

from __future__ import annotations

from sqlalchemy import func, select

from engine.agri.models import Consultation, ExpertSpecialty
from tests.web.conftest import csrf_from

HUGE = "9" * 30


def _count(app, column) -> int:  # type: ignore[no-untyped-def]
    with app.extensions["juhaoban.host"].session_factory() as session:
        return session.scalar(select(func.count(column)))


def test_a_grower_id_beyond_any_row_is_refused_by_field(agri_app, login):
    gridworker = login("gridworker")
    token = csrf_from(gridworker.get("/agri/ask").get_data(as_text=True))
    response = gridworker.post(
        "/agri/ask",
        data={
            "csrf_token": token,
            "grower_id": HUGE,
            "crop": "honeysuckle",
            "symptom": "pests",
            "description": "有虫",
        },
    )
    assert response.status_code == 400
    assert "请选择您登记的种植户" in response.get_data(as_text=True)
    assert _count(agri_app, Consultation.id) == 0


def test_removing_a_specialty_with_a_huge_id_removes_nothing(agri_app, login):
    lead = login("agri_lead")
    before = _count(agri_app, ExpertSpecialty.id)
    token = csrf_from(lead.get("/agri/experts").get_data(as_text=True))
    response = lead.post("/agri/experts", data={"csrf_token": token, "remove": HUGE})
    assert response.status_code == 302
    assert _count(agri_app, ExpertSpecialty.id) == before > 0
