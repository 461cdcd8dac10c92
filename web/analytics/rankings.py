"""Red/black lists: published months, one month's list, the cases behind a figure, a unit's
rank history, Excel export and publication on demand."""

from __future__ import annotations

from flask import abort, render_template, request

from analytics import PeriodInvalid, boards, figure_cases, parse_key, ranking_workbook
from analytics.periods import last_complete_month
from rules.ranking import FIGURE_LABELS, FIGURES
from web.analytics.blueprint import LEADERS, PUBLISHERS, UNITS, bp
from web.analytics.snapshots import (
    listing,
    own_unit_only,
    publish_and_show,
    require_unit,
    snapshot_or_404,
    workbook_download,
)
from web.auth.access import current_account, roles_required
from web.form_input import page_number
from web.platform import current_desks

CASES_PAGE = 30


@bp.get("/rankings/")
@roles_required(*LEADERS, *UNITS)
def rankings():
    snapshots = listing("ranking")
    now = current_desks().host.clock.now()
    return render_template(
        "analytics/rankings.html",
        snapshots=snapshots,
        boards={s.id: boards(s.data) for s in snapshots},
        due=last_complete_month(now),
        published={s.period_key for s in snapshots},
        can_publish=current_account().role in PUBLISHERS,
    )


@bp.post("/rankings/publish")
@roles_required(*PUBLISHERS)
def publish():
    host = current_desks().host
    now = host.clock.now()
    try:
        period = parse_key(request.form.get("period") or last_complete_month(now).key)
    except PeriodInvalid as err:
        abort(400, description=str(err))
    if "H" in period.key or ".." in period.key or period.end > now:
        abort(400, description="红黑榜按自然月发布，且只能发布已结束的月份")
    return publish_and_show(
        "ranking",
        period,
        now=now,
        endpoint="analytics.ranking",
        created="榜单已发布并通知各单位",
        existing="该月榜单此前已发布，未重复生成",
    )


@bp.get("/rankings/<int:snapshot_id>")
@roles_required(*LEADERS, *UNITS)
def ranking(snapshot_id: int):
    snapshot = snapshot_or_404(snapshot_id, "ranking")
    return render_template(
        "analytics/ranking.html",
        snapshot=snapshot,
        data=snapshot.data,
        boards=boards(snapshot.data),
        figures=FIGURES,
        labels=FIGURE_LABELS,
        mine=own_unit_only(),
    )


@bp.get("/rankings/<int:snapshot_id>.xlsx")
@roles_required(*LEADERS, *UNITS)
def ranking_xlsx(snapshot_id: int):
    snapshot = snapshot_or_404(snapshot_id, "ranking")
    return workbook_download(ranking_workbook(snapshot.data), f"红黑榜-{snapshot.period_key}.xlsx")


@bp.get("/rankings/<int:snapshot_id>/cases")
@roles_required(*LEADERS, *UNITS)
def ranking_cases(snapshot_id: int):
    snapshot = snapshot_or_404(snapshot_id, "ranking")
    unit, figure = request.args.get("unit", ""), request.args.get("figure", "")
    if figure not in FIGURES:
        abort(404, description="没有这项指标")
    require_unit(unit)
    row = next((r for g in snapshot.data["groups"] for r in g["rows"] if r["unit"] == unit), None)
    if row is None:
        abort(404, description="该单位不在本期榜单中")
    page = page_number()
    only = request.args.get("only")  # "hit", "miss" or all
    found = figure_cases(
        current_desks().host,
        snapshot_id=snapshot.id,
        unit=unit,
        figure=figure,
        only=only,
        page=page,
        per_page=CASES_PAGE,
    )
    return render_template(
        "analytics/ranking_cases.html",
        snapshot=snapshot,
        row=row,
        figure=figure,
        label=FIGURE_LABELS[figure],
        rows=found.rows,
        hits=found.hits,
        total=found.total,
        page=page,
        per_page=CASES_PAGE,
        only=only or "",
    )


@bp.get("/units/<unit>")
@roles_required(*LEADERS, *UNITS)
def unit_history(unit: str):
    require_unit(unit)
    history = []
    name = unit
    for snapshot in reversed(listing("ranking")):  # oldest first
        for group in snapshot.data["groups"]:
            for row in group["rows"]:
                if row["unit"] == unit:
                    name = row["name"]
                    history.append({"snapshot": snapshot, "group": group["label"], **row})
    if not history:
        abort(404, description="该单位尚无榜单记录")
    by_year: dict[str, dict[str, int]] = {}
    for h in history:
        counts = by_year.setdefault(h["snapshot"].period_key[:4], {"red": 0, "black": 0})
        if h["board"]:
            counts[h["board"]] += 1
    chart_rows = [
        {
            "period": h["snapshot"].period_key,
            "rank": h["rank"],
            "score": h["score"],
            "board": h["board"],
        }
        for h in history
    ]
    return render_template(
        "analytics/unit_history.html",
        unit=unit,
        name=name,
        history=history,
        by_year=by_year,
        chart_rows=chart_rows,
        labels=FIGURE_LABELS,
        figures=FIGURES,
    )
