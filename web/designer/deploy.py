"""Deploying a draft: the confirmation page with the rehearsal on recent cases, then deploy
(with an audited override when the rehearsal raised errors), and the draft's diff."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from markupsafe import Markup

from engine.core import (
    DefinitionInvalid,
    DeployRefused,
    DraftClosed,
    DraftNotFound,
    DraftView,
    GateCheck,
    Problem,
    Rehearsal,
    definition_versions,
    diff_definitions,
    version_usage,
)
from web.auth.access import roles_required
from web.designer import EDITORS, bp
from web.designer.common import actor, draft_desk, draft_or_404, problems_response
from web.platform import current_desks
from web.tenancy import current_county


def _versions(process_key: str) -> list[dict[str, Any]]:
    """The deployed versions of the process, newest first, with their instance counts."""
    host, county = current_desks().host, current_county()
    rows = definition_versions(host, county=county, process_key=process_key)
    usage = version_usage(host, county=county)
    return [
        {
            "id": row.id,
            "version": row.version,
            "bpmn_xml": row.bpmn_xml,
            "running": usage[row.id].running if row.id in usage else 0,
            "total": usage[row.id].total if row.id in usage else 0,
        }
        for row in rows
    ]


def _render(
    draft: DraftView,
    *,
    checked: GateCheck | None = None,
    rehearsal: Rehearsal | None = None,
    problems: list[Problem] | None = None,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Any:
    versions = _versions(draft.process_key)
    changes = diff_definitions(versions[0]["bpmn_xml"], draft.bpmn_xml) if versions else None
    html = render_template(
        "designer/deploy.html",
        draft=draft,
        checked=checked,
        rehearsal=rehearsal or (checked.rehearsal if checked else None),
        problems=problems or [],
        error=error,
        form=form or {},
        versions=versions,
        changes=changes,
    )
    return html, status


@bp.get("/drafts/<int:draft_id>/deploy")
@roles_required(*EDITORS)
def confirm_deploy(draft_id: int) -> Any:
    draft = draft_or_404(draft_id)
    try:
        checked = draft_desk().check_deploy(draft_id)
    except DraftClosed as err:
        return _render(draft, error=str(err), status=409)
    except DefinitionInvalid as err:
        return _render(draft, problems=err.problems, status=422)
    return _render(draft, checked=checked)


@bp.post("/drafts/<int:draft_id>/deploy")
@roles_required(*EDITORS)
def deploy(draft_id: int) -> Any:
    """Deploy after confirmation: a form from the confirmation page, or JSON
    ``{"confirm": true, "override_reason": "..."}`` from scripts."""
    if request.is_json:
        return _deploy_json(draft_id)
    draft = draft_or_404(draft_id)
    form = {
        "override": request.form.get("override", ""),
        "override_reason": request.form.get("override_reason", "").strip(),
    }
    if not request.form.get("confirm"):
        return _render(draft, error="请先勾选确认，再部署", form=form, status=400)
    if form["override"] and not form["override_reason"]:
        return _render(draft, error="强制部署须填写理由（将记入审计日志）", form=form, status=400)
    try:
        deployment = draft_desk().deploy(
            draft_id,
            actor=actor(),
            override_reason=form["override_reason"] if form["override"] else None,
        )
    except DraftClosed as err:
        return _render(draft, error=str(err), status=409)
    except DefinitionInvalid as err:
        return _render(draft, problems=err.problems, status=422)
    except DeployRefused as err:
        return _render(draft, rehearsal=err.rehearsal, error=str(err), form=form, status=409)
    if deployment.created:
        flash(_deployed_message(draft.process_key, deployment.version, deployment.definition_id))
    else:
        flash(f"内容与第 {deployment.version} 版相同，未生成新版本")
    return redirect(url_for("designer.version", definition_id=deployment.definition_id))


def _deployed_message(process_key: str, version: int, definition_id: int) -> str | Markup:
    """The deploy flash; when older versions still run cases, a link to move them over."""
    message = f"已部署为第 {version} 版：新受理的事项使用此版本，办理中的仍按原版本"
    running = sum(v["running"] for v in _versions(process_key) if v["id"] != definition_id)
    if not running:
        return message
    url = url_for("designer.migrate_preview", process_key=process_key, to=version)
    return Markup('{}；旧版本上有 {} 件运行中，可<a href="{}">迁移到第 {} 版</a>').format(
        message, running, url, version
    )


def _deploy_json(draft_id: int) -> Any:
    body = request.get_json(silent=True) or {}
    if body.get("confirm") is not True:
        return jsonify(ok=False, message="部署须确认（confirm: true）", problems=[]), 400
    reason = str(body.get("override_reason") or "").strip() or None
    try:
        deployment = draft_desk().deploy(draft_id, actor=actor(), override_reason=reason)
    except DraftNotFound as err:
        abort(404, description=str(err))
    except DraftClosed as err:
        return jsonify(ok=False, message=str(err), problems=[]), 409
    except DefinitionInvalid as err:
        return problems_response(err.problems)
    except DeployRefused as err:
        failures = [f.as_dict() for f in err.rehearsal.failed]
        return jsonify(ok=False, message=str(err), problems=[], failures=failures), 409
    return jsonify(
        ok=True,
        version=deployment.version,
        created=deployment.created,
        definition_id=deployment.definition_id,
        url=url_for("designer.version", definition_id=deployment.definition_id),
    )


@bp.get("/drafts/<int:draft_id>/diff")
@roles_required(*EDITORS)
def draft_diff(draft_id: int) -> Any:
    """The draft against the latest deployed version of its process."""
    draft = draft_or_404(draft_id)
    host, county = current_desks().host, current_county()
    versions = definition_versions(host, county=county, process_key=draft.process_key)
    if not versions:
        abort(404, description="该流程还没有已部署的版本，无可比较")
    old = versions[0]
    changes = diff_definitions(old.bpmn_xml, draft.bpmn_xml)
    marks: dict[str, Any] = {
        "old": {c.element_id: c.kind for c in changes.removed + changes.changed},
        "new": {c.element_id: c.kind for c in changes.added + changes.changed},
    }
    new = SimpleNamespace(name=old.name, label="草稿", when=f"最后保存 {draft.saved_by}")
    return render_template(
        "designer/diff.html",
        old=old,
        new=new,
        new_url=url_for("designer.draft_xml", draft_id=draft.id),
        changes=changes,
        marks=marks,
    )
