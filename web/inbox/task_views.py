"""The task page: the case, its timeline and routing, and the form of the stage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from engine.complaints import (
    AssignmentRejected,
    TaskRecord,
    field_labels,
    unit_staff,
    unit_task,
)
from engine.core import FormRejected, TaskAlreadyCompleted, TaskMeta
from engine.people import Account, actor_of
from rules import CHINA_TZ
from web.auth.access import roles_required
from web.cases.views import viewable_case
from web.inbox.common import calendar, catalog, is_lead, time_left, unit_account
from web.inbox.forms import PHOTO_FIELD, build_variants, choice_label, collect
from web.inbox.views import STAGE_LABELS, bp
from web.platform import current_desks, current_platform
from web.uploads import UploadRejected, save_photos

TIMELINE_ACTIONS = {"task.reassigned": "改派办理人", "assignment.changed": "调整分工"}


@dataclass(frozen=True)
class LoadedTask:
    task: TaskRecord
    complaint_id: int
    meta: TaskMeta
    labels: dict[str, str]  # field id -> label, over every task of the definition


def _load(task_id: str, account: Account) -> LoadedTask:
    """The task if it is offered to the person's unit: 404 if missing, 403 if not ours."""
    found = unit_task(current_platform().host, task_id, county=account.county)
    if found is None:
        abort(404, description="任务不存在")
    task = found.task
    if account.unit_id not in task.candidate_groups:
        abort(403, description="该任务不属于本单位，您无权查看或办理")
    meta = found.forms.get(task.task_name) or TaskMeta(task.task_name, task.title)
    return LoadedTask(task, found.complaint_id, meta, field_labels(found.forms))


def _render(
    loaded: LoadedTask,
    account: Account,
    *,
    values: MultiDict | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Any:
    case = viewable_case(loaded.complaint_id)
    now = current_platform().host.clock.now()
    stage = next((s for s in case.stages if s.task_id == loaded.task.id), None)
    due = stage.due_at if stage else None
    if due is None and stage is not None and stage.stage == "assist":
        due = case.complaint.handle_due  # works to the handling deadline
    cat = catalog()
    people = (
        unit_staff(current_platform().host, account.unit_id, county=account.county)
        if is_lead(account)
        else []
    )
    errors = _readable(loaded.meta, errors)
    # The extension form is offered only while the catalog's allowance has one left.
    unavailable = frozenset() if case.complaint.extension_possible else frozenset({"extension"})
    variants = build_variants(loaded.meta, values, errors, unavailable=unavailable)
    shown = {f.id for v in variants for f in v.fields} | {k for v in variants for k in v.hidden}
    return (
        render_template(
            "inbox/task.html",
            task=loaded.task,
            case=case,
            stage_name=STAGE_LABELS.get(stage.stage, loaded.task.title) if stage else "",
            due=due,
            left=time_left(now, due, calendar()),
            variants=variants,
            other_errors={k: v for k, v in (errors or {}).items() if k not in shown},
            has_errors=bool(errors),
            labels=loaded.labels,
            choice_label=choice_label,
            actions=TIMELINE_ACTIONS,
            matters=cat.matters() if cat else [],
            units=list(cat.organisation.all_units.values()) if cat else [],
            people=people,
            is_lead=is_lead(account),
            today=now.astimezone(CHINA_TZ).date().isoformat(),
        ),
        status,
    )


@bp.get("/tasks/<task_id>")
@roles_required("unit_staff", "unit_lead")
def task(task_id: str):
    account = unit_account()
    return _render(_load(task_id, account), account)


@bp.post("/tasks/<task_id>")
@roles_required("unit_staff", "unit_lead")
def complete(task_id: str):
    account = unit_account()
    loaded = _load(task_id, account)
    platform = current_platform()
    form = collect(loaded.meta, request.form)
    photos: list[str] = []
    try:
        if PHOTO_FIELD in loaded.meta.field_ids:
            photos = save_photos(
                request.files.getlist(PHOTO_FIELD), platform.uploads_dir, field=PHOTO_FIELD
            )
            if photos:
                form[PHOTO_FIELD] = ",".join(photos)
        platform.host.complete_task(task_id, form, actor=actor_of(account), groups=account.groups)
    except (FormRejected, UploadRejected) as err:
        _discard(photos)
        return _render(loaded, account, values=request.form, errors=err.errors, status=400)
    except TaskAlreadyCompleted as err:
        _discard(photos)
        return render_template("inbox/gone.html", message=str(err), task=loaded.task), 409
    except Exception:
        _discard(photos)
        raise
    flash(f"已提交：{loaded.task.title}（{_summary(loaded.meta, form)}）")
    return redirect(url_for("inbox.index"))


def _readable(meta: TaskMeta, errors: dict[str, str] | None) -> dict[str, str] | None:
    """The engine's messages with choice values in Chinese (“return” → “退回…”)."""
    if not errors:
        return errors
    readable = {}
    for key, message in errors.items():
        for spec in meta.form_fields:
            for value in spec.enum:
                message = message.replace(f"“{value}”", f"“{choice_label(spec.id, value)}”")
        readable[key] = message
    return readable


def _summary(meta: TaskMeta, form: dict[str, Any]) -> str:
    for spec in meta.form_fields:
        if spec.type == "enum" and spec.id in form:
            return choice_label(spec.id, form[spec.id])
    return "已办理"


def _discard(names: list[str]) -> None:
    """Remove photos stored for a submission the engine refused: nothing is kept."""
    for name in names:
        (current_platform().uploads_dir / name).unlink(missing_ok=True)


@bp.post("/tasks/<task_id>/assignee")
@roles_required("unit_lead")
def reassign(task_id: str):
    account = unit_account()
    loaded = _load(task_id, account)
    username = request.form.get("assignee", "").strip() or None
    try:
        current_desks().assignments.reassign(
            task_id,
            username,
            unit_id=account.unit_id,
            county=account.county,
            actor=actor_of(account),
        )
    except AssignmentRejected as err:
        flash(f"改派未完成：{err}")
        return redirect(url_for("inbox.task", task_id=task_id))
    flash(f"已将“{loaded.task.title}”交由 {username or '本单位（不指定办理人）'} 办理")
    return redirect(url_for("inbox.task", task_id=task_id))
