"""JSON endpoints over the same service layer as the pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Blueprint, abort, jsonify, request, url_for
from sqlalchemy import select

from engine import FieldErrors
from engine.complaints.case_view import case_refs, case_tasks, load_case, stage_deadlines
from engine.complaints.intake import ComplaintReport
from engine.complaints.models import Complaint
from engine.complaints.phone_checks import PhoneCheck
from engine.complaints.report_queries import by_tracking_code
from engine.complaints.visibility import can_view, reporter_actor, visible_filter
from engine.core.host import TaskView
from engine.core.persistence.models import HumanTask, Notification, ProcessInstance
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
from web.idempotency import idempotent, submit_once
from web.platform import current_platform
from web.report.callback import open_callback, read_rating, submit_rating
from web.report.tracking import PHONE_LOCKED, PHONE_MISMATCH, is_anonymous
from web.security import csrf_token

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
def openapi():  # type: ignore[no-untyped-def]
    return jsonify(openapi_document(url_for("api.openapi", _external=True).rsplit("/api/", 1)[0]))


@bp.get("/session")
def session_info():  # type: ignore[no-untyped-def]
    account = current_account()
    return jsonify(
        account=None
        if account is None
        else {"username": account.username, "role": account.role, "unit_id": account.unit_id},
        csrf_token=csrf_token(),
    )


@bp.post("/complaints")
@idempotent("api.complaints")
def submit():  # type: ignore[no-untyped-def]
    body = parse(ReportBody, _json_body())
    account = current_account()
    fields = body.model_dump()
    if account is not None and account.role == "grid_worker":
        fields.update(channel="grid", grid_worker=account.username)
    elif account is not None and account.role == "resident":
        fields["reporter_account"] = account.username
    desk = current_platform().desk
    actor = reporter_actor(account)
    submitted = submit_once(desk, ComplaintReport(**fields), client=actor, actor=actor)
    complaint = desk.complaint(submitted.complaint_id)
    return jsonify(
        public_json(complaint) | {"id": complaint.id, "duplicate_of": submitted.duplicate_of}
    ), 201


@bp.get("/track/<code>")
def track(code: str):  # type: ignore[no-untyped-def]
    with current_platform().host.session_factory() as db:
        complaint = db.scalars(select(Complaint).where(Complaint.tracking_code == code)).first()
    if complaint is None:
        abort(404, description="没有这个查询码")
    return jsonify(public_json(complaint))


@bp.post("/track/<code>/rate")
def rate(code: str):  # type: ignore[no-untyped-def]
    """An anonymous reporter rates the reply: the phone number left with the report, then
    the rating, in one request (the same phone check and callback task as the HTML page)."""
    raw = _json_body()
    with current_platform().host.session_factory() as db:
        complaint = by_tracking_code(code, county="julu", session=db)
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
    return jsonify(public_json(current_platform().desk.complaint(complaint.id)))


@bp.get("/complaints")
@login_required
def list_complaints():  # type: ignore[no-untyped-def]
    account = current_account()
    query = parse(ComplaintQuery, request.args.to_dict())
    stmt = select(Complaint).where(visible_filter(account))
    if query.status:
        stmt = stmt.where(Complaint.status == query.status)
    if query.stage:
        stmt = stmt.where(Complaint.stage == query.stage)
    with current_platform().host.session_factory() as db:
        rows = db.scalars(stmt.order_by(Complaint.received_at.desc()).limit(query.limit)).all()
    return jsonify(complaints=[complaint_json(c) for c in rows])


@bp.get("/complaints/<rowid:complaint_id>")
@login_required
def show_complaint(complaint_id: int):  # type: ignore[no-untyped-def]
    with current_platform().host.session_factory() as db:
        case = load_case(complaint_id, session=db)
    if case is None:
        abort(404, description=f"事项 {complaint_id} 不存在")
    if not can_view(current_account(), case.complaint, case.involved_units):
        abort(403, description="您无权查看该事项")
    deadlines = (
        stage_deadlines(current_platform().host.instance_data(case.complaint.instance_id))
        if case.complaint.instance_id is not None
        else {}
    )
    return jsonify(case_detail_json(case, case_tasks(case, deadlines), deadlines))


@bp.post("/complaints/<rowid:complaint_id>/close")
@roles_required("dispatcher", "dispatch_lead")
def close(complaint_id: int):  # type: ignore[no-untyped-def]
    body = parse(CloseBody, _json_body())
    account = current_account()
    current_platform().desk.close_report(
        complaint_id,
        kind=body.kind,
        reason=body.reason,
        merged_into=body.merged_into,
        actor=f"dispatcher:{account.username}",
    )
    return jsonify(complaint_json(current_platform().desk.complaint(complaint_id)))


@bp.get("/tasks")
@login_required
def my_tasks():  # type: ignore[no-untyped-def]
    account = current_account()
    host = current_platform().host
    tasks = [t for g in sorted(account.groups) for t in host.ready_tasks(group=g)]
    unique = {t.id: t for t in tasks}
    return jsonify(tasks=_tasks_json(unique.values()))


def _tasks_json(tasks: Iterable[TaskView]) -> list[dict[str, Any]]:
    """Tasks with the case each belongs to (id, tracking code, short title)."""
    tasks = list(tasks)
    with current_platform().host.session_factory() as db:
        cases = case_refs((t.instance_id for t in tasks), session=db)
    return [task_json(t, cases.get(t.instance_id)) for t in tasks]


def _visible_task(task_id: str) -> HumanTask:
    account = current_account()
    with current_platform().host.session_factory() as db:
        task = db.get(HumanTask, task_id)
    if task is None:
        abort(404, description="任务不存在")
    if not (set(task.candidate_groups) & account.groups) and task.assignee != account.username:
        abort(403, description="该任务不属于您所在的单位或岗位")
    return task


@bp.get("/tasks/<task_id>")
@login_required
def show_task(task_id: str):  # type: ignore[no-untyped-def]
    task = _visible_task(task_id)
    host = current_platform().host
    with host.session_factory() as db:
        definition_id = db.scalar(
            select(ProcessInstance.definition_id).where(ProcessInstance.id == task.instance_id)
        )
        meta = host.runtime.definitions.get(definition_id, session=db).task_meta.get(task.task_name)
        case = case_refs([task.instance_id], session=db).get(task.instance_id)
    return jsonify(
        task_json(task, case) | {"form_fields": meta.as_dict()["form_fields"] if meta else []}
    )


@bp.post("/tasks/<task_id>/complete")
@login_required
def complete(task_id: str):  # type: ignore[no-untyped-def]
    account = current_account()
    body = _json_body()
    host = current_platform().host
    instance_id = host.complete_task(task_id, body, actor=account.username, groups=account.groups)
    return jsonify(
        instance_id=instance_id,
        ready=_tasks_json(host.ready_tasks(instance_id=instance_id)),
    )


@bp.get("/notifications")
@login_required
def notifications():  # type: ignore[no-untyped-def]
    account = current_account()
    with current_platform().host.session_factory() as db:
        rows = db.scalars(
            select(Notification)
            .where(Notification.recipient.in_(sorted(account.groups | {account.username})))
            .order_by(Notification.id.desc())
            .limit(100)
        ).all()
        cases = case_refs((n.instance_id for n in rows), session=db)
    return jsonify(
        notifications=[
            {
                "id": n.id,
                "kind": n.kind,
                "title": n.title,
                "created_at": iso(n.created_at),
                "read": n.read_at is not None,
                "instance_id": n.instance_id,
                "complaint_id": case.complaint_id if case else None,
                "tracking_code": case.tracking_code if case else None,
                "case_title": case.title if case else None,
            }
            for n in rows
            for case in [cases.get(n.instance_id)]
        ]
    )
