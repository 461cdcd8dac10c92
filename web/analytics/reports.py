"""Analysis reports: the published ones, one report (HTML with charts), its Excel workbook,
and generation on demand for any period that has ended."""

from __future__ import annotations

from flask import abort, render_template, request

from analytics import PeriodInvalid, parse_key, report_workbook
from analytics.periods import between, last_complete_half_year
from rules.ranking import FIGURE_LABELS, FIGURES
from web.analytics.blueprint import LEADERS, PUBLISHERS, UNITS, bp
from web.analytics.snapshots import listing, publish_and_show, snapshot_or_404, workbook_download
from web.auth.access import current_account, roles_required
from web.platform import current_desks


@bp.get("/reports/")
@roles_required(*LEADERS, *UNITS)
def reports():
    now = current_desks().host.clock.now()
    return render_template(
        "analytics/reports.html",
        snapshots=listing("report"),
        due=last_complete_half_year(now),
        can_generate=current_account().role in PUBLISHERS,
    )


@bp.post("/reports/generate")
@roles_required(*PUBLISHERS)
def generate():
    host = current_desks().host
    now = host.clock.now()
    first, last = request.form.get("from"), request.form.get("to")
    try:
        period = between(first, last) if first and last else parse_key(request.form["period"])
    except (PeriodInvalid, KeyError) as err:
        abort(400, description=str(err) if isinstance(err, PeriodInvalid) else "请选择统计期")
    if period.end > now:
        abort(400, description=f"统计期须已结束：{period.label}尚未结束")
    return publish_and_show(
        "report",
        period,
        now=now,
        endpoint="analytics.report",
        created="报告已生成并推送至各单位",
        existing="该统计期的报告此前已生成",
    )


@bp.get("/reports/<int:snapshot_id>")
@roles_required(*LEADERS, *UNITS)
def report(snapshot_id: int):
    snapshot = snapshot_or_404(snapshot_id, "report")
    return render_template(
        "analytics/report.html",
        snapshot=snapshot,
        data=snapshot.data,
        figures=FIGURES,
        labels=FIGURE_LABELS,
    )


@bp.get("/reports/<int:snapshot_id>.xlsx")
@roles_required(*LEADERS, *UNITS)
def report_xlsx(snapshot_id: int):
    snapshot = snapshot_or_404(snapshot_id, "report")
    return workbook_download(
        report_workbook(snapshot.data), f"大数据分析报告-{snapshot.period_key}.xlsx"
    )
