"""The units' side of a consultation: their open requests for opinion, and the answer form."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from engine.core import FormRejected
from responsibility_catalog import diff_catalogs
from web.auth.access import current_account, roles_required
from web.catalog_editor.blueprint import bp
from web.catalog_editor.common import OPINIONS, STAGES, UNIT_ROLES, catalog_desk, unit_label
from web.counts_cache import cached_count
from web.tenancy import current_county


def _unit() -> str:
    account = current_account()
    if account is None or not account.unit_id:
        abort(403, description="您的账号未归属任何单位")
    return account.unit_id


def open_count() -> int:
    """For the header link: the signed-in unit's open requests for opinion."""
    account = current_account()
    if account is None or account.role not in UNIT_ROLES or not account.unit_id:
        return 0
    unit = account.unit_id
    county = account.county
    return cached_count(
        ("catalog_opinions", county, unit),
        lambda: len(catalog_desk().opinion_tasks(unit, county=county)),
    )


@bp.get("/opinions")
@roles_required(*UNIT_ROLES)
def opinions():
    unit = _unit()
    desk = catalog_desk()
    return render_template(
        "catalog_editor/opinions.html",
        tasks=desk.opinion_tasks(unit, county=current_county()),
        answered=desk.answered_opinions(unit, county=current_county()),
        stages=STAGES,
        unit=unit,
        opinion_labels=OPINIONS,
    )


def _render_task(task_id: str, errors: dict[str, str] | None = None, status: int = 200):
    unit = _unit()
    desk = catalog_desk()
    found = [t for t in desk.opinion_tasks(unit, county=current_county()) if t.task_id == task_id]
    if not found:
        abort(404, description="该征求意见已结束或不属于本单位")
    task = found[0]
    county = task.revision.county
    draft = desk.catalog(task.revision.label, county=county)
    base = desk.catalog(draft.based_on, county=county) if draft.based_on else None
    concerned = set(task.opinion.matters if task.opinion else ())
    changes = None
    if base is not None:
        full = diff_catalogs(base, draft)
        changes = [c for c in full.changed if c.matter_id in concerned]
        added = [m for m in full.added if m.id in concerned]
        removed = [m for m in full.removed if m.id in concerned]
    else:
        added, removed = [draft.matters_by_id[m] for m in concerned if m in draft.matters_by_id], []
    return (
        render_template(
            "catalog_editor/opinion.html",
            task=task,
            draft=draft,
            base=base,
            changes=changes or [],
            added=added,
            removed=removed,
            errors=errors or {},
            values=request.form if request.method == "POST" else {},
            old_label=lambda ref: unit_label(base or draft, ref),
            new_label=lambda ref: unit_label(draft, ref),
        ),
        status,
    )


@bp.get("/opinions/<task_id>")
@roles_required(*UNIT_ROLES)
def opinion(task_id: str):
    return _render_task(task_id)


@bp.post("/opinions/<task_id>")
@roles_required(*UNIT_ROLES)
def answer(task_id: str):
    account = current_account()
    _unit()
    form = {k: v for k, v in request.form.items() if k != "csrf_token"}
    form["comment"] = (form.get("comment") or "").strip()
    try:
        # Behind login_required, an account is signed in
        catalog_desk().give_opinion(task_id, form, actor=account.username, groups=account.groups)  # type: ignore[union-attr]
    except FormRejected as err:
        return _render_task(task_id, err.errors, 400)
    flash("本单位意见已提交组织部")
    return redirect(url_for("catalog_editor.opinions"))
