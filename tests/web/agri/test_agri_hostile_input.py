"""Hostile ids in the agriculture forms: a grower or specialty id of 30 digits is no row
(a clear answer, nothing changed), never an overflow in the database driver (500)."""

from __future__ import annotations

from sqlalchemy import func, select

from engine.agri.models import Consultation, ExpertSpecialty, GuidancePush
from tests.web.conftest import csrf_from

HUGE = "9" * 30


def _count(app, column) -> int:
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


def test_guidance_from_a_consultation_id_of_30_digits_is_not_found(agri_app, login):
    response = login("agri").get(f"/agri/push/new?from={HUGE}")
    assert response.status_code == 404
    assert "没有这条农技咨询" in response.get_data(as_text=True)


def test_guidance_linked_to_a_consultation_that_does_not_exist_is_refused(agri_app, login):
    agri = login("agri")
    token = csrf_from(agri.get("/agri/push/new").get_data(as_text=True))
    for bad in (HUGE, "424242"):
        response = agri.post(
            "/agri/push/new",
            data={
                "csrf_token": token,
                "crop": "honeysuckle",
                "title": "防治蚜虫",
                "body": "及时喷药",
                "townships": "dicun",
                "consultation_id": bad,
            },
        )
        assert response.status_code == 400
        assert "关联的咨询" in response.get_data(as_text=True)
    assert _count(agri_app, GuidancePush.id) == 0
