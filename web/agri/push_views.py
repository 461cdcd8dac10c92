"""Guidance pushes: the composer with its audience preview, the list with reach, who has not
read, and the printable notice for village loudspeakers and group chats."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for

from engine.agri import CROPS
from engine.core import EngineError, FieldErrors
from rules import CHINA_TZ
from web.agri.blueprint import bp
from web.agri.common import agri_desk, bureau_required, display_names, is_bureau, unknown_fields
from web.auth.access import current_account, login_required
from web.form_input import row_id

PUSH_FIELDS = ("crop", "title", "body", "townships", "villages", "send_at", "consultation_id")
READERS = ("leader", "admin")


def _values(source: Any) -> dict[str, Any]:
    return {
        "crop": source.get("crop", ""),
        "title": source.get("title", ""),
        "body": source.get("body", ""),
        "townships": source.getlist("townships"),
        "villages": source.getlist("villages"),
        "send_at": source.get("send_at", ""),
        "consultation_id": source.get("consultation_id", ""),
    }


def _composer(values: dict[str, Any], errors: dict[str, str], status: int = 200):
    account = current_account()
    desk = agri_desk()
    organisation = desk.organisation(county=account.county)
    preview = None
    if values["crop"] in CROPS and (values["townships"] or values["villages"]):
        preview = desk.preview(
            values["crop"], values["townships"], values["villages"], county=account.county
        )
    return (
        render_template(
            "agri/push_new.html",
            values=values,
            errors=errors,
            organisation=organisation,
            preview=preview,
        ),
        status,
    )


@bp.get("/push/new")
@login_required
def new_push():
    bureau_required(current_account())
    values = _values(request.args)
    source = request.args.get("from", "")
    if source.isdigit() and not values["title"]:
        try:
            consultation = agri_desk().consultation(row_id(source) or -1)
        except EngineError:
            abort(404, description="没有这条农技咨询")
        values.update(
            crop=consultation.crop,
            title=f"{CROPS.get(consultation.crop, '')}{consultation.diagnosis or ''}"[:60],
            body=consultation.guidance or "",
            townships=[consultation.township_id],
            consultation_id=str(consultation.id),
        )
    return _composer(values, {})


def _send_at(text: str) -> datetime | None:
    """The form's Beijing local time (``datetime-local``), or ``None`` for "send now"."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=CHINA_TZ)
    except ValueError:
        raise FieldErrors(
            {"send_at": "发送时间格式不对（应为 年-月-日 时:分）"}, "未发布："
        ) from None


@bp.post("/push/new")
@login_required
def create_push():
    account = bureau_required(current_account())
    values = _values(request.form)
    unknown = set(request.form) - {*PUSH_FIELDS, "csrf_token"}
    if unknown:
        return _composer(values, unknown_fields(unknown), 400)
    consultation_id = values["consultation_id"]
    try:
        push_id = agri_desk().create_push(
            crop=values["crop"],
            title=values["title"],
            body=values["body"],
            townships=values["townships"],
            villages=values["villages"],
            send_at=_send_at(values["send_at"]),
            # digits beyond any id name no consultation (-1), which the desk refuses by field
            consultation_id=(row_id(consultation_id) or -1) if consultation_id.isdigit() else None,
            actor=account.username,
            county=account.county,
        )
    except FieldErrors as err:
        return _composer(values, err.errors, 400)
    push = agri_desk().push(push_id)
    if push.status == "sent":
        flash(f"已推送给 {push.recipients} 户种植户")
    else:
        flash("已定时，到时由系统自动推送")
    return redirect(url_for("agri.push_detail", push_id=push_id))


def _reader():
    account = current_account()
    if not (is_bureau(account) or account.role in READERS):
        abort(403, description="仅农业农村局、农技专家和县领导可查看推送情况")
    return account


@bp.get("/pushes")
@login_required
def pushes():
    account = _reader()
    desk = agri_desk()
    rows = desk.pushes(county=account.county)
    return render_template(
        "agri/pushes.html",
        pushes=rows,
        read=desk.read_counts([p.id for p in rows]),
        can_compose=is_bureau(account),
    )


def _push_or_404(push_id: int):
    try:
        return agri_desk().push(push_id)
    except EngineError:
        abort(404, description="没有这条推送")


@bp.get("/pushes/<int:push_id>")
@login_required
def push_detail(push_id: int):
    _reader()
    push = _push_or_404(push_id)
    receipts = agri_desk().receipts(push_id)
    by_village: dict[str, list[int]] = {}
    for receipt, _ in receipts:
        counts = by_village.setdefault(receipt.village_id, [0, 0])
        counts[0] += 1
        counts[1] += receipt.read_at is not None
    return render_template(
        "agri/push_detail.html",
        push=push,
        names=display_names({push.created_by} | {r.recipient for r, _ in receipts}),
        unread=[(r, g) for r, g in receipts if r.read_at is None],
        read_count=sum(1 for r, _ in receipts if r.read_at is not None),
        by_village=sorted(by_village.items(), key=lambda kv: (kv[1][1] - kv[1][0], kv[0])),
    )


@bp.get("/pushes/<int:push_id>/print")
@login_required
def push_print(push_id: int):
    # Guidance is public advice: grid workers and township staff print it for loudspeakers.
    push = _push_or_404(push_id)
    return render_template("agri/push_print.html", push=push)


@bp.post("/pushes/<int:push_id>/cancel")
@login_required
def cancel_push(push_id: int):
    account = bureau_required(current_account())
    _push_or_404(push_id)
    try:
        agri_desk().cancel_push(push_id, actor=account.username)
    except EngineError as err:
        flash(str(err))
    else:
        flash("已取消该定时推送，不会发给任何种植户")
    return redirect(url_for("agri.push_detail", push_id=push_id))
