"""Case page and photos, each behind the visibility rule."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for

from engine.catalog_revision import revision_of_instance
from engine.complaints import can_view, case_of_instance, case_view, field_labels, task_forms
from web.agri.links import agri_page_of_instance
from web.auth.access import current_account, login_required
from web.platform import current_platform
from web.uploads import photo_path, send_photo

bp = Blueprint("cases", __name__, url_prefix="/cases")


def viewable_case(complaint_id: int):
    """The case if the signed-in person may see it; 404 if missing, 403 if not theirs."""
    case = case_view(current_platform().host, complaint_id)
    if case is None:
        abort(404, description=f"事项 {complaint_id} 不存在")
    account = current_account()
    if account is None or not can_view(account, case.complaint, case.involved_units):
        abort(403, description="您无权查看该事项")
    return case


@bp.get("/<int:complaint_id>")
@login_required
def show(complaint_id: int):
    from web.inbox.forms import choice_label  # web.inbox imports this module

    case = viewable_case(complaint_id)
    return render_template(
        "cases/show.html",
        case=case,
        labels=_field_labels(case.complaint.instance_id),
        choice_label=choice_label,
    )


def _field_labels(instance_id: int | None) -> dict[str, str]:
    """Field id -> label over every task of the case's diagram version, for its history."""
    if instance_id is None:
        return field_labels(None)
    return field_labels(task_forms(current_platform().host, instance_id))


@bp.get("/instance/<int:instance_id>")
@login_required
def by_instance(instance_id: int):
    host = current_platform().host
    case = case_of_instance(host, instance_id)
    complaint_id = case.complaint_id if case is not None else None
    revision_id = revision_of_instance(host, instance_id)
    if complaint_id is None and revision_id is None:
        # Notifications of agricultural consultations and guidance pushes lead to their pages.
        target = agri_page_of_instance(instance_id)
        if target is not None:
            return redirect(target)
    if complaint_id is None and revision_id is not None:
        # Notifications of a consultation on the catalog lead to its pages, not to a case.
        account = current_account()
        if account is not None and account.role in ("unit_staff", "unit_lead"):
            return redirect(url_for("catalog_editor.opinions"))
        return redirect(url_for("catalog_editor.revision", revision_id=revision_id))
    if complaint_id is None:
        abort(404, description="该流程实例不对应任何诉求")
    return redirect(url_for("cases.show", complaint_id=complaint_id))


@bp.get("/<int:complaint_id>/photos/<name>")
@login_required
def photo(complaint_id: int, name: str):
    case = viewable_case(complaint_id)
    if name not in case.complaint.photos and name not in _reply_photos(case):
        abort(404)
    path = photo_path(current_platform().uploads_dir, name)
    if path is None:
        abort(404)
    return send_photo(path)


def _reply_photos(case) -> list[str]:
    names: list[str] = []
    for entry in case.timeline:
        value = entry.detail.get("reply_photos")
        if isinstance(value, str):
            names.extend(v for v in value.split(",") if v)
    return names
