"""Editing: open a version as a draft, import a file, the editor page, save, check (deploying
is in :mod:`web.designer.deploy`)."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, jsonify, redirect, render_template, request, url_for

from engine.core import (
    MAX_DIAGRAM_BYTES,
    DefinitionInvalid,
    DefinitionNotFound,
    DraftClosed,
    DraftNotFound,
    Problem,
)
from web.auth.access import roles_required
from web.designer import EDITORS, bp
from web.designer.common import (
    actor,
    diagram_download,
    draft_desk,
    draft_or_404,
    problems_json,
    problems_response,
)
from web.designer.versions import render_index
from web.form_input import row_id


def _too_large() -> Problem:
    limit = MAX_DIAGRAM_BYTES
    size = f"{limit / 1024 / 1024:g} MB" if limit >= 1024 * 1024 else f"{limit / 1024:g} KB"
    return Problem("too-large", f"图文件超过 {size} 的上限，未保存")


def _posted_xml() -> str | None:
    """The editor posts the diagram as the raw request body; None when it is too large."""
    if (request.content_length or 0) > MAX_DIAGRAM_BYTES:  # refuse before reading it
        return None
    data = request.get_data(cache=False)
    if len(data) > MAX_DIAGRAM_BYTES:
        return None
    return data.decode("utf-8", errors="replace")


@bp.post("/versions/<int:definition_id>/draft")
@roles_required(*EDITORS)
def open_version(definition_id: int) -> Any:
    try:
        draft_id = draft_desk().from_version(definition_id, actor=actor())
    except DefinitionNotFound as err:
        abort(404, description=str(err))
    return redirect(url_for("designer.editor", draft_id=draft_id))


@bp.post("/import")
@roles_required(*EDITORS)
def import_diagram() -> Any:
    upload = request.files.get("diagram")
    if upload is None or not upload.filename:
        return _import_failed([Problem("no-file", "请选择要导入的 .bpmn 文件")])
    try:
        data = upload.stream.read(MAX_DIAGRAM_BYTES + 1)
    finally:
        upload.close()
    if len(data) > MAX_DIAGRAM_BYTES:
        return _import_failed([_too_large()])
    try:
        saved = draft_desk().from_upload(data, filename=upload.filename, actor=actor())
    except DefinitionInvalid as err:
        return _import_failed(err.problems)
    return redirect(url_for("designer.editor", draft_id=saved.draft_id))


def _import_failed(problems: list[Problem]) -> Any:
    return render_index(import_problems=problems), 400


@bp.get("/drafts/<int:draft_id>")
@roles_required(*EDITORS)
def editor(draft_id: int) -> str:
    draft = draft_or_404(draft_id)
    return render_template("designer/editor.html", draft=draft)


@bp.get("/drafts/<int:draft_id>.bpmn")
@roles_required(*EDITORS)
def draft_xml(draft_id: int) -> Response:
    draft = draft_or_404(draft_id)
    return diagram_download(draft.bpmn_xml, f"{draft.process_key}-draft-{draft.id}.bpmn")


@bp.post("/drafts/<int:draft_id>/save")
@roles_required(*EDITORS)
def save(draft_id: int) -> Any:
    xml = _posted_xml()
    if xml is None:
        return problems_response([_too_large()], 413)
    try:
        saved = draft_desk().save(draft_id, xml, actor=actor())
    except DraftNotFound as err:
        abort(404, description=str(err))
    except DraftClosed as err:
        return jsonify(ok=False, message=str(err), problems=[]), 409
    except DefinitionInvalid as err:
        return problems_response(err.problems, 400)
    return jsonify(ok=True, saved=True, problems=problems_json(saved.problems))


@bp.post("/validate")
@roles_required(*EDITORS)
def validate() -> Any:
    xml = _posted_xml()
    if xml is None:
        return problems_response([_too_large()], 413)
    called: tuple[str, ...] = ()
    if raw := request.args.get("draft"):
        draft_id = row_id(raw)
        if draft_id is None:
            abort(404, description=f"草稿“{raw[:20]}”不存在")
        called = tuple(draft_or_404(draft_id).called_xmls)
    problems = draft_desk().problems_of(xml, called)
    return jsonify(ok=not problems, problems=problems_json(problems))


@bp.post("/drafts/<int:draft_id>/discard")
@roles_required(*EDITORS)
def discard(draft_id: int) -> Any:
    try:
        draft_desk().discard(draft_id, actor=actor())
    except DraftNotFound as err:
        abort(404, description=str(err))
    except DraftClosed as err:
        abort(409, description=str(err))
    return redirect(url_for("designer.index"))
