"""The feedback loop: amendment proposals from joint consultations, contested matters."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import flash, redirect, render_template, request, url_for

from analytics.periods import FIRST_YEAR, LAST_YEAR, shown
from engine.catalog_revision import PROPOSAL_STATUS, contested_ranking, proposals_with_cases
from engine.core import EngineError
from responsibility_catalog import Status
from rules import CHINA_TZ
from web.auth.access import current_account, roles_required
from web.catalog_editor.blueprint import bp
from web.catalog_editor.common import EDITORS, READERS, catalog_desk, unit_label
from web.tenancy import current_county

DEFAULT_PERIOD_DAYS = 365


@bp.get("/proposals")
@roles_required(*READERS)
def proposal_list():
    desk = catalog_desk()
    county = current_county()
    found = proposals_with_cases(desk.host, county=county)
    published = desk.published(county=county)
    return render_template(
        "catalog_editor/proposals.html",
        proposals=found,
        drafts=[v.label for v in desk.versions(county=county) if v.status is Status.DRAFT],
        statuses=PROPOSAL_STATUS,
        matter_name=lambda mid: (
            published.matters_by_id[mid].name
            if published and mid in published.matters_by_id
            else ""
        ),
        unit_label=lambda ref: unit_label(published, ref) if published and ref else (ref or "—"),
        current=published.label if published else None,
    )


@bp.post("/proposals/<int:proposal_id>/accept")
@roles_required(*EDITORS)
def accept(proposal_id: int):
    account = current_account()
    label = (request.form.get("label") or "").strip()
    desk = catalog_desk()
    try:
        if not label:
            raise EngineError("请选择采纳到哪个草稿（没有草稿时请先新建）")
        matter_id = desk.accept_proposal(
            proposal_id,
            label,
            actor=account.username,  # type: ignore[union-attr]  # behind login_required
            county=current_county(),
        )
    except EngineError as err:
        flash(f"未能采纳：{err}")
        return redirect(url_for("catalog_editor.proposal_list"))
    flash(f"修订建议已采纳到草稿 {label}，请按建议修改事项 {matter_id}")
    if matter_id:
        return redirect(url_for("catalog_editor.edit_matter", label=label, matter_id=matter_id))
    return redirect(url_for("catalog_editor.version", label=label))


def _day(text: str | None, default: date) -> tuple[date, str | None]:
    if not text:
        return default, None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return default, f"日期“{shown(text)}”无法识别，应为 YYYY-MM-DD"
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        # the period ends the day after: 9999-12-31 would leave what a date can hold
        return default, f"日期“{shown(text)}”超出范围，应在 {FIRST_YEAR} 至 {LAST_YEAR} 年之间"
    return day, None


@bp.get("/contested")
@roles_required(*READERS)
def contested():
    desk = catalog_desk()
    today = desk.today()
    start, problem_a = _day(request.args.get("from"), today - timedelta(days=DEFAULT_PERIOD_DAYS))
    end, problem_b = _day(request.args.get("to"), today)
    problems = [p for p in (problem_a, problem_b) if p]
    if end < start:
        problems.append("结束日期早于开始日期，已按默认期间统计")
        start, end = today - timedelta(days=DEFAULT_PERIOD_DAYS), today
    begin = datetime.combine(start, time.min, tzinfo=CHINA_TZ)
    finish = datetime.combine(end + timedelta(days=1), time.min, tzinfo=CHINA_TZ)
    county = current_county()
    ranking = contested_ranking(desk.host, begin, finish, county=county)
    open_by_matter: dict[str, int] = {}
    for p in proposals_with_cases(desk.host, county=county):
        if p.proposal.status == "open" and p.proposal.matter_id:
            open_by_matter[p.proposal.matter_id] = open_by_matter.get(p.proposal.matter_id, 0) + 1
    published = desk.published(county=county)
    return render_template(
        "catalog_editor/contested.html",
        ranking=ranking,
        start=start,
        end=end,
        problems=problems,
        open_by_matter=open_by_matter,
        current=published.label if published else None,
        matter_name=lambda mid: (
            published.matters_by_id[mid].name
            if published and mid in published.matters_by_id
            else mid
        ),
    )
