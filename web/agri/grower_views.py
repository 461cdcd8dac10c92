"""Growers' side: ask a question (with photos), my questions and guidance received, and the
grid worker's register of growers."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for

from engine.agri import CROPS, GrowerRejected, growers_crops, villages_of_grids
from engine.core import FieldErrors
from web.agri.blueprint import bp
from web.agri.common import GROWER_ROLES, agri_desk, is_bureau, recipients, unknown_fields
from web.auth.access import current_account, login_required, roles_required
from web.form_input import row_id
from web.platform import current_platform
from web.uploads import UploadRejected, save_photos

ASK_FIELDS = ("grower_id", "crop", "symptom", "description")


@bp.get("/")
@login_required
def index():
    account = current_account()
    if is_bureau(account):
        return redirect(url_for("agri.expert_inbox"))
    if account.role in ("leader", "admin"):
        return redirect(url_for("agri.pushes"))
    return redirect(url_for("agri.mine"))


def _ask_page(values: dict[str, Any], errors: dict[str, str], status: int = 200):
    account = current_account()
    growers = agri_desk().askable_growers(account)
    return (
        render_template(
            "agri/ask.html", growers=growers, values=values, errors=errors, mode=account.role
        ),
        status,
    )


@bp.get("/ask")
@roles_required(*GROWER_ROLES)
def ask():
    values = {"crop": request.args.get("crop", "honeysuckle")}
    return _ask_page(values, {})


@bp.post("/ask")
@roles_required(*GROWER_ROLES)
def submit_question():
    account = current_account()
    unknown = set(request.form) - {*ASK_FIELDS, "csrf_token"}
    values = {k: request.form.get(k, "") for k in ASK_FIELDS}
    if unknown:
        return _ask_page(values, unknown_fields(unknown), 400)
    platform = current_platform()
    try:
        photos = save_photos(request.files.getlist("photos"), platform.uploads_dir)
    except UploadRejected as err:
        return _ask_page(values, err.errors, 400)
    try:
        grower_id = row_id(values["grower_id"]) or -1
        cid = agri_desk().ask(
            grower_id=grower_id,
            crop=values["crop"],
            symptom=values["symptom"],
            description=values["description"],
            photos=photos,
            account=account,
        )
    except FieldErrors as err:
        for name in photos:  # nothing stored: the files go with the refused question
            (platform.uploads_dir / name).unlink(missing_ok=True)
        return _ask_page(values, err.errors, 400)
    flash("问题已提交，已按责任清单转县农业农村局，专家将在 1 个工作日内答复")
    return redirect(url_for("agri.consultation", consultation_id=cid))


@bp.get("/mine")
@roles_required(*GROWER_ROLES)
def mine():
    account = current_account()
    desk = agri_desk()
    growers = desk.askable_growers(account)
    if account.role == "grid_worker":
        questions = desk.consultations(asked_by=account.username, county=account.county)
        mine_ids = {g.id for g in growers if g.registered_by == account.username}
        questions += [
            c
            for c in desk.consultations(grower_ids=sorted(mine_ids), county=account.county)
            if c not in questions
        ]
    else:
        questions = desk.consultations(grower_ids=[g.id for g in growers], county=account.county)
    waiting = {
        t.consultation.id: t.task_name
        for t in desk.open_tasks(account.groups, county=account.county)
    }
    guidance = desk.guidance_for(recipients(account))
    return render_template(
        "agri/mine.html",
        questions=sorted(questions, key=lambda c: c.id, reverse=True),
        waiting=waiting,
        guidance=guidance,
        unread=sum(1 for r, _, _ in guidance if r.read_at is None),
    )


@bp.post("/guidance/<int:receipt_id>/read")
@login_required
def confirm_read(receipt_id: int):
    account = current_account()
    if agri_desk().confirm_read(receipt_id, actor=account.username, recipients=recipients(account)):
        flash("已确认收到并阅读该指导")
    else:
        flash("该指导已确认过，或不是发给您的")
    return redirect(request.form.get("next") or url_for("agri.mine"))


@bp.get("/guidance/<int:receipt_id>")
@login_required
def guidance(receipt_id: int):
    account = current_account()
    for receipt, push, grower in agri_desk().guidance_for(recipients(account)):
        if receipt.id == receipt_id:
            return render_template("agri/guidance.html", receipt=receipt, push=push, grower=grower)
    abort(404, description="没有这条指导，或它不是发给您的")


def _growers_page(values: dict[str, Any], errors: dict[str, str], status: int = 200):
    account = current_account()
    desk = agri_desk()
    organisation = desk.organisation(county=account.county)
    growers = desk.askable_growers(account)
    crops = growers_crops(current_platform().host, [g.id for g in growers])
    villages = [
        v for v in organisation.villages if v.id in villages_of_grids(account.grids, organisation)
    ]
    return (
        render_template(
            "agri/growers.html",
            growers=growers,
            crops=crops,
            villages=villages,
            values=values,
            errors=errors,
        ),
        status,
    )


@bp.get("/growers")
@roles_required("grid_worker")
def growers():
    return _growers_page({}, {})


@bp.post("/growers")
@roles_required("grid_worker")
def register_grower():
    account = current_account()
    form = request.form
    values = {k: form.get(k, "") for k in ("name", "village_id", "phone", "username")}
    crops = {c: form.get(f"area_{c}", "") for c in form.getlist("crops")}
    values["crops"] = crops
    errors: dict[str, str] = {}
    organisation = agri_desk().organisation(county=account.county)
    if values["village_id"] and values["village_id"] not in villages_of_grids(
        account.grids, organisation
    ):
        errors["village_id"] = "只能登记您网格所在村的种植户"
    if not errors:
        try:
            agri_desk().register_grower(
                name=values["name"],
                village_id=values["village_id"],
                crops=crops,
                phone=values["phone"],
                username=values["username"].strip() or None,
                actor=account.username,
                county=account.county,
            )
        except GrowerRejected as err:
            errors = err.errors
    if errors:
        return _growers_page(values, errors, 400)
    flash(f"已登记种植户 {values['name'].strip()}：{'、'.join(CROPS[c] for c in crops)}")
    return redirect(url_for("agri.growers"))


def _self_page(values: dict[str, Any], errors: dict[str, str], status: int = 200):
    account = current_account()
    organisation = agri_desk().organisation(county=account.county)
    return (
        render_template(
            "agri/register_self.html", organisation=organisation, values=values, errors=errors
        ),
        status,
    )


@bp.get("/register")
@roles_required("grower")
def register_self():
    if agri_desk().askable_growers(current_account()):
        return redirect(url_for("agri.ask"))
    return _self_page({}, {})


@bp.post("/register")
@roles_required("grower")
def submit_self_registration():
    """A grower with an account registers their own village, crops and area."""
    account = current_account()
    form = request.form
    values: dict[str, Any] = {k: form.get(k, "") for k in ("village_id", "phone")}
    crops = {c: form.get(f"area_{c}", "") for c in form.getlist("crops")}
    values["crops"] = crops
    try:
        agri_desk().register_grower(
            name=account.display_name,
            village_id=values["village_id"],
            crops=crops,
            phone=values["phone"],
            username=account.username,
            actor=account.username,
            county=account.county,
        )
    except GrowerRejected as err:
        return _self_page(values, err.errors, 400)
    flash("登记成功，现在可以向农技专家咨询，也会收到您所种作物的农技指导")
    return redirect(url_for("agri.ask"))
