"""Figures of the agricultural consultation (issue 11) for the dashboard and the report:
questions by crop, symptom and month, first-answer times, ratings, and guidance reach.

Every figure is a GROUP BY or an aggregate over ``agri_consultation`` / ``agri_push_receipt``
bounded by the period's instants; nothing loops over rows in Python.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, cast, func, select
from sqlalchemy.orm import Session

from analytics.periods import Period
from engine.agri.models import Consultation, GuidancePush, PushReceipt
from engine.agri.vocabulary import crop_label, symptom_label
from rules import CHINA_TZ


def _hours_between(session: Session, start: Any, end: Any) -> Any:
    """SQL for ``end - start`` in hours on either database."""
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 24.0
    return func.extract("epoch", end - start) / 3600.0


def _asked_in(county: str, period: Period) -> tuple[Any, ...]:
    c = Consultation
    return (c.county == county, c.asked_at >= period.start, c.asked_at < period.end)


def agri_figures(*, county: str, period: Period, session: Session, pushes: int = 10) -> dict:
    c = Consultation
    asked = _asked_in(county, period)
    hours = _hours_between(session, c.asked_at, c.first_answer_at)
    total, answered, escalated, avg_hours, max_hours, rated, avg_rating, open_now = session.execute(
        select(
            func.count(c.id),
            func.count(c.first_answer_at),
            func.count(c.id).filter(c.escalations > 0),
            func.avg(hours),
            func.max(hours),
            func.count(c.rating),
            func.avg(cast(c.rating, Float)),
            func.count(c.id).filter(c.stage != "closed"),
        ).where(*asked)
    ).one()
    by_crop = session.execute(
        select(c.crop, func.count(c.id))
        .where(*asked)
        .group_by(c.crop)
        .order_by(func.count(c.id).desc(), c.crop)
    ).all()
    by_symptom = session.execute(
        select(c.crop, c.symptom, func.count(c.id))
        .where(*asked)
        .group_by(c.crop, c.symptom)
        .order_by(func.count(c.id).desc(), c.crop, c.symptom)
    ).all()
    monthly = [
        {
            "month": f"{part.first:%Y-%m}",
            "count": int(
                session.scalar(select(func.count(c.id)).where(*_asked_in(county, part))) or 0
            ),
        }
        for part in period.months()
    ]
    return {
        "questions": int(total),
        "answered": int(answered),
        "escalated": int(escalated),
        "open": int(open_now),
        "avg_answer_hours": round(float(avg_hours), 1) if avg_hours is not None else None,
        "max_answer_hours": round(float(max_hours), 1) if max_hours is not None else None,
        "rated": int(rated),
        "avg_rating": round(float(avg_rating), 2) if avg_rating is not None else None,
        "by_crop": [{"crop": crop_label(k), "count": int(n)} for k, n in by_crop],
        "by_symptom": [
            {"crop": crop_label(k), "symptom": symptom_label(s), "count": int(n)}
            for k, s, n in by_symptom
        ],
        "monthly": monthly,
        "pushes": guidance_reach(county=county, period=period, session=session, limit=pushes),
    }


def guidance_reach(*, county: str, period: Period, session: Session, limit: int = 10) -> dict:
    """Pushes sent in the period: growers reached and read receipts, per push and in total."""
    p, r = GuidancePush, PushReceipt
    sent = (
        p.county == county,
        p.status == "sent",
        p.sent_at >= period.start,
        p.sent_at < period.end,
    )
    reads = (
        select(r.push_id, func.count(r.id).label("read"))
        .where(r.read_at.is_not(None))
        .group_by(r.push_id)
        .subquery()
    )
    rows = session.execute(
        select(p.id, p.title, p.crop, p.sent_at, p.recipients, func.coalesce(reads.c.read, 0))
        .outerjoin(reads, reads.c.push_id == p.id)
        .where(*sent)
        .order_by(p.sent_at.desc(), p.id.desc())
        .limit(limit)
    ).all()
    count, reached, read = session.execute(
        select(
            func.count(p.id),
            func.coalesce(func.sum(p.recipients), 0),
            func.coalesce(func.sum(reads.c.read), 0),
        )
        .outerjoin(reads, reads.c.push_id == p.id)
        .where(*sent)
    ).one()
    return {
        "count": int(count),
        "reached": int(reached),
        "read": int(read),
        "latest": [
            {
                "id": pid,
                "title": title,
                "crop": crop_label(crop),
                "sent_at": sent_at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M"),  # Beijing
                "recipients": int(n),
                "read": int(k),
            }
            for pid, title, crop, sent_at, n, k in rows
        ],
    }
