"""JSON endpoints over the same service layer as the pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Blueprint, abort, jsonify, request, url_for

from engine import FieldErrors
from engine.complaints import (
    ComplaintRecord,
    ComplaintReport,
    PhoneCheck,
    TaskRecord,
    can_view,
    case_detail,
    case_names,
    notifications_of,
    report_by_code,
    report_by_id,
    reporter_actor,
    task_detail,
    task_record,
    visible_reports,
)
from engine.core import TaskView
from web.api.openapi import openapi_document
from web.api.requests import (
    CloseBody,
    ComplaintQuery,
    RatingBody,
    ReportBody,
    RowIdConverter,
    parse,
    text_problems,
)
from web.api.serializers import case_detail_json, complaint_json, iso, public_json, task_json
from web.auth.access import current_account, login_required, roles_required
from web.cases.tracking import PHONE_LOCKED, PHONE_MISMATCH, is_anonymous
from web.idempotency import idempotent, submit_once
from web.platform import current_platform
from web.report.callback import open_callback, read_rating, submit_rating
from web.security import csrf_token
from web.tenancy import current_county

bp = Blueprint("api", __name__, url_prefix="/api")
# Registered before the routes below are added to the map, which need it to compile.
bp.record_once(lambda state: state.app.url_map.converters.setdefault("rowid", RowIdConverter))


@bp.before_request
def refuse_unstorable_text() -> None:
    """The shared text rule over everything a request carries (path, query string, JSON
    body), before any view reads it: a NUL or a lone surrogate is a 400 naming the field."""
    sources: dict[str, Any] = dict(request.view_args or {}) | request.args.to_dict(flat=False)
    if request.is_json:
        body = request.get_json(silent=True)
        sources |= body if isinstance(body, dict) else {"请求体": body}
    problems = dict(text_problems(sources))
    if problems:
        raise FieldErrors(problems)


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, description="请求体应为 JSON 对象")
    return body


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(url_for("api.openapi", _external=True).rsplit("/api/", 1)[0]))


@bp.get("/session")
def session_info():
    account = current_account()
    return jsonify(
        account=None
        if account is None
        else {"username": account.username, "role": account.role, "unit_id": account.unit_id},
        csrf_token=csrf_token(),
    )


@bp.post("/complaints")
@idempotent("api.complaints")
def submit():
    body = parse(ReportBody, _json_body())
    account = current_account()
    fields = body.model_dump()
    if account is not None and account.role == "grid_worker":
        fields.update(channel="grid", grid_worker=account.username)
    elif account is not None and account.role == "resident":
        fields["reporter_account"] = account.username
    platform = current_platform()
    actor = reporter_actor(account)
    submitted = submit_once(
        platform.desk, ComplaintReport(**fields), client=actor, actor=actor, county=current_county()
    )
    complaint = _complaint(submitted.complaint_id)
    return jsonify(
        public_json(complaint) | {"id": complaint.id, "duplicate_of": submitted.duplicate_of}
    ), 201


@bp.get("/track/<code>")
def track(code: str):
    complaint = report_by_code(current_platform().host, code, county=current_county())
    if complaint is None:
        abort(404, description="没有这个查询码")
    return jsonify(public_json(complaint))


@bp.post("/track/<code>/rate")
def rate(code: str):
    """An anonymous reporter rates the reply: the phone number left with the report, then
    the rating, in one request (the same phone check and callback task as the HTML page)."""
    raw = _json_body()
    complaint = report_by_code(current_platform().host, code, county=current_county())
    if complaint is None or not is_anonymous(complaint):
        abort(404, description="未找到该诉求编号，或该诉求须登录后评价")
    body = parse(RatingBody, raw)
    check = current_platform().desk.check_reporter_phone(complaint.id, body.phone)
    if check is PhoneCheck.LOCKED:
        abort(429, description=PHONE_LOCKED)
    if check is PhoneCheck.MISMATCH:
        abort(403, description=PHONE_MISMATCH)
    task = open_callback(complaint)
    if task is None:
        abort(409, description="该诉求当前不在回访评价环节（可能已评价或已超时办结）")
    rating = read_rating(body.model_dump(exclude_none=True))
    group = complaint.reporter_group
    if not submit_rating(task, rating, actor=group, groups=frozenset({group})):
        return jsonify(error="输入有误", message="评价未通过校验", errors=rating.errors), 400
    return jsonify(public_json(_complaint(complaint.id)))


@bp.get("/complaints")
@login_required
def list_complaints():
    account = current_account()
    query = parse(ComplaintQuery, request.args.to_dict())
    rows = visible_reports(
        current_platform().host,
        account,
        status=query.status,
        stage=query.stage,
        limit=query.limit,
    )
    return jsonify(complaints=[complaint_json(c) for c in rows])


@bp.get("/complaints/<rowid:complaint_id>")
@login_required
def show_complaint(complaint_id: int):
    detail = case_detail(current_platform().host, complaint_id)
    if detail is None:
        abort(404, description=f"事项 {complaint_id} 不存在")
    case = detail.case
    if not can_view(current_account(), case.complaint, case.involved_units):
        abort(403, description="您无权查看该事项")
    return jsonify(case_detail_json(case, detail.tasks, detail.deadlines))


@bp.post("/complaints/<rowid:complaint_id>/close")
@roles_required("dispatcher", "dispatch_lead")
def close(complaint_id: int):
    body = parse(CloseBody, _json_body())
    account = current_account()
    current_platform().desk.close_report(
        complaint_id,
        kind=body.kind,
        reason=body.reason,
        merged_into=body.merged_into,
        actor=f"dispatcher:{account.username}",
    )
    return jsonify(complaint_json(_complaint(complaint_id)))


@bp.get("/tasks")
@login_required
def my_tasks():
    account = current_account()
    host = current_platform().host
    tasks = [
        t for g in sorted(account.groups) for t in host.ready_tasks(group=g, county=account.county)
    ]
    unique = {t.id: t for t in tasks}
    return jsonify(tasks=_tasks_json(unique.values()))


def _tasks_json(tasks: Iterable[TaskView]) -> list[dict[str, Any]]:
    """Tasks with the case each belongs to (id, tracking code, short title)."""
    tasks = list(tasks)
    cases = case_names(current_platform().host, (t.instance_id for t in tasks))
    return [task_json(t, cases.get(t.instance_id)) for t in tasks]


def _complaint(complaint_id: int) -> ComplaintRecord:
    complaint = report_by_id(current_platform().host, complaint_id)
    if complaint is None:
        abort(404, description=f"事项 {complaint_id} 不存在")
    return complaint


def _visible_task(task_id: str) -> TaskRecord:
    account = current_account()
    task = task_record(current_platform().host, task_id)
    if task is None:
        abort(404, description="任务不存在")
    if not (set(task.candidate_groups) & account.groups) and task.assignee != account.username:
        abort(403, description="该任务不属于您所在的单位或岗位")
    return task


@bp.get("/tasks/<task_id>")
@login_required
def show_task(task_id: str):
    detail = task_detail(current_platform().host, _visible_task(task_id))
    return jsonify(task_json(detail.task, detail.case) | {"form_fields": detail.form_fields})


@bp.post("/tasks/<task_id>/complete")
@login_required
def complete(task_id: str):
    account = current_account()
    body = _json_body()
    host = current_platform().host
    instance_id = host.complete_task(task_id, body, actor=account.username, groups=account.groups)
    return jsonify(
        instance_id=instance_id,
        ready=_tasks_json(host.ready_tasks(instance_id=instance_id, county=account.county)),
    )


@bp.get("/notifications")
@login_required
def notifications():
    account = current_account()
    rows = notifications_of(current_platform().host, sorted(account.groups | {account.username}))
    return jsonify(
        notifications=[
            {
                "id": n.id,
                "kind": n.kind,
                "title": n.title,
                "created_at": iso(n.created_at),
                "read": n.read,
                "instance_id": n.instance_id,
                "complaint_id": n.case.complaint_id if n.case else None,
                "tracking_code": n.case.tracking_code if n.case else None,
                "case_title": n.case.title if n.case else None,
            }
            for n in rows
        ]
    )
