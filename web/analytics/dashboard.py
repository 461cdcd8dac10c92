"""The leaders' home: today's numbers and the latest published list and report."""

from __future__ import annotations

from flask import render_template

from analytics import boards, leader_dashboard
from web.analytics.blueprint import LEADERS, bp
from web.auth.access import roles_required
from web.platform import current_desks
from web.tenancy import current_county


@bp.get("/")
@roles_required(*LEADERS)
def index():
    host = current_desks().host
    now = host.clock.now()
    board = leader_dashboard(host, county=current_county(), now=now)
    return render_template(
        "analytics/dashboard.html",
        numbers=board.numbers,
        days=board.days,
        now=now,
        ranking=board.ranking,
        boards=boards(board.ranking.data) if board.ranking else None,
        report=board.report,
        agri=board.agri,
    )
