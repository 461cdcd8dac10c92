"""The leaders' home: today's numbers and the latest published list and report."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template
from sqlalchemy import select

from analytics import boards, today
from analytics.agri import agri_figures
from analytics.dashboard import recent_days
from analytics.periods import Period, local_date
from engine.snapshots import AnalyticsSnapshot
from web.analytics.blueprint import COUNTY, LEADERS, bp
from web.auth.access import roles_required
from web.platform import current_platform


def latest(kind: str, session):  # type: ignore[no-untyped-def]
    return session.scalar(
        select(AnalyticsSnapshot)
        .where(AnalyticsSnapshot.county == COUNTY, AnalyticsSnapshot.kind == kind)
        .order_by(AnalyticsSnapshot.period_start.desc(), AnalyticsSnapshot.id.desc())
        .limit(1)
    )


@bp.get("/")
@roles_required(*LEADERS)
def index():  # type: ignore[no-untyped-def]
    host = current_platform().host
    now = host.clock.now()
    with host.session_factory() as session:
        numbers = today(county=COUNTY, now=now, session=session)
        days = recent_days(county=COUNTY, now=now, session=session)
        last_30 = Period(local_date(now) - timedelta(days=29), local_date(now))
        agri = agri_figures(county=COUNTY, period=last_30, session=session, pushes=5)
        ranking = latest("ranking", session)
        report = latest("report", session)
    return render_template(
        "analytics/dashboard.html",
        numbers=numbers,
        days=days,
        now=now,
        ranking=ranking,
        boards=boards(ranking.data) if ranking else None,
        report=report,
        agri=agri,
    )
