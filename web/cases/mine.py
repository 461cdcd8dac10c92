"""My reports (resident: their own; grid worker: their grids and what they reported), the
detail of one, and the callback rating by the signed-in reporter."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from engine.complaints import ComplaintRecord, can_view, public_steps, report_by_id, reports_of
from engine.people import Account
from web.auth.access import current_account, roles_required
from web.cases.reporter_blueprint import bp
from web.platform import current_platform
from web.report.callback import RATINGS, Rating, open_callback, read_rating, submit_rating
from web.report.forms import actor_of

REPORTER_ROLES = ("resident", "grid_worker")


@bp.get("/mine")
@roles_required(*REPORTER_ROLES)
def mine():
    account = current_account()
    complaints = reports_of(current_platform().host, account)
    return render_template("cases/mine.html", complaints=complaints)


def _own_case(account: Account, complaint_id: int) -> ComplaintRecord:
    complaint = report_by_id(current_platform().host, complaint_id)
    if complaint is None:
        abort(404, description=f"诉求 {complaint_id} 不存在")
    if not can_view(account, complaint):
        abort(403, description="这不是您反映或您网格内的诉求")
    return complaint


def _detail(complaint: ComplaintRecord, account: Account, rating: Rating, status: int = 200):
    steps = public_steps(current_platform().host, complaint)
    task = open_callback(complaint)
    may_rate = task is not None and bool(account.groups & set(task.candidate_groups))
    return (
        render_template(
            "cases/mine_detail.html",
            complaint=complaint,
            steps=steps,
            callback_open=task is not None,
            may_rate=may_rate,
            rating=rating,
            ratings=RATINGS,
        ),
        status,
    )


@bp.get("/mine/<int:complaint_id>")
@roles_required(*REPORTER_ROLES)
def detail(complaint_id: int):
    account = current_account()
    return _detail(_own_case(account, complaint_id), account, Rating({}))


@bp.post("/mine/<int:complaint_id>/rate")
@roles_required(*REPORTER_ROLES)
def rate(complaint_id: int):
    account = current_account()
    complaint = _own_case(account, complaint_id)
    task = open_callback(complaint)
    if task is None:
        abort(409, description="该诉求当前不在回访评价环节（可能已评价或已超时办结）")
    if not account.groups & set(task.candidate_groups):
        abort(403, description="只有反映该诉求的本人（或代报的网格员）可以评价")
    rating = read_rating(request.form)
    if not submit_rating(task, rating, actor=actor_of(account), groups=account.groups):
        return _detail(complaint, account, rating, status=400)
    flash("感谢您的评价！")
    return redirect(url_for("reporter_cases.detail", complaint_id=complaint_id))
