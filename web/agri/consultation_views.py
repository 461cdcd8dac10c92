"""One consultation: the conversation, and the form of the step it waits on for whoever may
take it (expert or lead: answer; grower: reply, rate; expert: record the field visit)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for

from engine.core import EngineError, FieldErrors, NotPermitted, TaskAlreadyCompleted
from web.agri.blueprint import bp
from web.agri.common import agri_desk, display_names, may_view, unknown_fields
from web.auth.access import current_account, login_required
from web.platform import current_platform
from web.uploads import UploadRejected, photo_path, save_photos, send_photo

# The fields each step's form may send (anything else is refused with a message).
FIELDS = {
    "expert_reply": ("reply_kind", "message", "diagnosis", "guidance", "visit_date", "widespread"),
    "grower_reply": ("message",),
    "field_visit": ("visit_findings",),
    "rate_help": ("rating", "rating_comment"),
}


def _viewable(consultation_id: int):
    account = current_account()
    try:
        consultation = agri_desk().consultation(consultation_id)
    except EngineError:
        abort(404, description="没有这条农技咨询")
    if not may_view(account, consultation):
        abort(403, description="您无权查看这条农技咨询")
    return account, consultation


def _page(consultation_id: int, values: dict[str, Any] | None = None, errors=None, status=200):
    account, consultation = _viewable(consultation_id)
    desk = agri_desk()
    ready = desk.ready_task(consultation)
    my_task = ready[1] if ready and account.groups & set(ready[2]) else None
    messages = desk.messages(consultation.id)
    people = {m.author for m in messages} | {consultation.expert, consultation.asked_by}
    return (
        render_template(
            "agri/consultation.html",
            names=display_names(people),
            c=consultation,
            grower=desk.grower(consultation.grower_id),
            messages=messages,
            ready=ready,
            my_task=my_task,
            values=values or {},
            errors=errors or {},
        ),
        status,
    )


@bp.get("/c/<int:consultation_id>")
@login_required
def consultation(consultation_id: int):
    return _page(consultation_id)


@bp.post("/c/<int:consultation_id>/<step>")
@login_required
def take_step(consultation_id: int, step: str):
    if step not in FIELDS:
        abort(404)
    account, _ = _viewable(consultation_id)
    form = request.form
    values = {k: form.get(k, "") for k in FIELDS[step]}
    unknown = set(form) - {*FIELDS[step], "csrf_token"}
    if unknown:
        return _page(consultation_id, values, unknown_fields(unknown), 400)
    desk = agri_desk()
    platform = current_platform()
    photos: list[str] = []
    try:
        if step == "grower_reply":
            photos = save_photos(request.files.getlist("photos"), platform.uploads_dir)
            desk.grower_reply(
                consultation_id,
                values["message"],
                photos,
                actor=account.username,
                groups=account.groups,
            )
        elif step == "expert_reply":
            values["widespread"] = "true" if form.get("widespread") else ""
            desk.expert_reply(
                consultation_id, values, actor=account.username, groups=account.groups
            )
        elif step == "field_visit":
            desk.record_visit(
                consultation_id,
                values["visit_findings"],
                actor=account.username,
                groups=account.groups,
            )
        else:
            desk.rate(
                consultation_id,
                values["rating"],
                values["rating_comment"],
                actor=account.username,
                groups=account.groups,
            )
    except (FieldErrors, UploadRejected) as err:
        for name in photos:
            (platform.uploads_dir / name).unlink(missing_ok=True)
        return _page(consultation_id, values, err.errors, 400)
    except (NotPermitted, TaskAlreadyCompleted) as err:
        flash(str(err))
        return redirect(url_for("agri.consultation", consultation_id=consultation_id))
    except EngineError as err:
        flash(str(err))
        return redirect(url_for("agri.consultation", consultation_id=consultation_id))
    flash("已提交")
    return redirect(url_for("agri.consultation", consultation_id=consultation_id))


@bp.get("/c/<int:consultation_id>/photos/<name>")
@login_required
def photo(consultation_id: int, name: str):
    _, consultation = _viewable(consultation_id)
    shown = set(consultation.photos)
    for message in agri_desk().messages(consultation_id):
        shown.update(message.photos)
    path = photo_path(current_platform().uploads_dir, name) if name in shown else None
    if path is None:
        abort(404)
    return send_photo(path)
