"""Public tracking by code; an anonymous reporter proves the phone number given in the
report, then sees their photos and rates the reply."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for

from engine.complaints import (
    MAX_PHONE_FAILURES,
    ComplaintRecord,
    PhoneCheck,
    can_view,
    normalise_code,
    public_steps,
    report_by_code,
    report_by_id,
)
from web.auth.access import current_account
from web.cases.reporter_blueprint import bp
from web.platform import current_platform
from web.report.callback import RATINGS, Rating, open_callback, read_rating, submit_rating
from web.tenancy import current_county
from web.uploads import photo_path, send_photo

VERIFIED_KEY = "report_verified"
FAILURES_KEY = "report_phone_failures"
MAX_FAILURES = MAX_PHONE_FAILURES
MAX_REMEMBERED = 10


def _find(code: str) -> ComplaintRecord | None:
    return report_by_code(current_platform().host, code, county=current_county())


def is_anonymous(complaint: ComplaintRecord) -> bool:
    return complaint.reporter_group == f"reporter:{complaint.tracking_code}"


def verified(complaint: ComplaintRecord) -> bool:
    return complaint.tracking_code in session.get(VERIFIED_KEY, [])


def _page(complaint: ComplaintRecord | None, code: str, *, status: int = 200, **extra):
    steps, task = [], None
    if complaint is not None:
        steps = public_steps(current_platform().host, complaint)
        task = open_callback(complaint)
    extra.setdefault("rating", Rating({}))
    extra.setdefault("phone_error", None)
    return (
        render_template(
            "cases/track.html",
            code=code,
            complaint=complaint,
            steps=steps,
            callback_open=task is not None,
            anonymous=complaint is not None and is_anonymous(complaint),
            verified=complaint is not None and verified(complaint),
            ratings=RATINGS,
            **extra,
        ),
        status,
    )


PHONE_LOCKED = "尝试次数过多，请拨打 12345 热线核实身份"
PHONE_MISMATCH = "手机号与反映问题时留下的号码不一致"


def _locked_page(complaint: ComplaintRecord):
    return _page(complaint, complaint.tracking_code, status=429, phone_error=PHONE_LOCKED)


@bp.get("/track")
def track():
    code = normalise_code(request.args.get("code") or "")[:32]
    if not code:
        return _page(None, "")
    complaint = _find(code)
    return _page(complaint, code, status=200 if complaint else 404)


@bp.post("/track/<code>/verify")
def verify(code: str):
    complaint = _find(code)
    if complaint is None or not is_anonymous(complaint):
        abort(404, description="未找到该诉求编号，或该诉求须登录后查看")
    failures = dict(session.get(FAILURES_KEY, {}))
    if failures.get(complaint.tracking_code, 0) >= MAX_FAILURES:
        return _locked_page(complaint)
    check = current_platform().desk.check_reporter_phone(complaint.id, request.form.get("phone"))
    if check is PhoneCheck.LOCKED:
        return _locked_page(complaint)
    if check is PhoneCheck.MISMATCH:
        failures[complaint.tracking_code] = failures.get(complaint.tracking_code, 0) + 1
        session[FAILURES_KEY] = failures
        return _page(
            complaint,
            complaint.tracking_code,
            status=400,
            phone_error=PHONE_MISMATCH,
        )
    codes = [c for c in session.get(VERIFIED_KEY, []) if c != complaint.tracking_code]
    session[VERIFIED_KEY] = [*codes, complaint.tracking_code][-MAX_REMEMBERED:]
    return redirect(url_for("reporter_cases.track", code=complaint.tracking_code) + "#rate")


@bp.post("/track/<code>/rate")
def rate_public(code: str):
    complaint = _find(code)
    if complaint is None or not is_anonymous(complaint):
        abort(404, description="未找到该诉求编号，或该诉求须登录后评价")
    if not verified(complaint):
        return _page(
            complaint,
            complaint.tracking_code,
            status=403,
            phone_error="请先输入反映问题时留下的手机号",
        )
    task = open_callback(complaint)
    if task is None:
        abort(409, description="该诉求当前不在回访评价环节（可能已评价或已超时办结）")
    rating = read_rating(request.form)
    group = complaint.reporter_group
    if not submit_rating(task, rating, actor=group, groups=frozenset({group})):
        return _page(complaint, complaint.tracking_code, status=400, rating=rating)
    return redirect(url_for("reporter_cases.track", code=complaint.tracking_code, rated=1))


@bp.get("/track/photos/<int:complaint_id>/<name>")
def photo(complaint_id: int, name: str):
    """A report's photo, for its verified anonymous reporter or someone who may see the case."""
    complaint = report_by_id(current_platform().host, complaint_id)
    if complaint is None or name not in complaint.photos:
        abort(404)
    account = current_account()
    allowed = verified(complaint) or (account is not None and can_view(account, complaint))
    if not allowed:
        abort(403, description="您无权查看该照片")
    path = photo_path(current_platform().uploads_dir, name)
    if path is None:
        abort(404)
    return send_photo(path)
