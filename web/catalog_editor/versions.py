"""Versions: new drafts (copy or Excel upload), the diff, Excel download, print view."""

from __future__ import annotations

import io
import zipfile

from flask import abort, flash, redirect, render_template, request, send_file, url_for

from engine.catalog_store import CatalogLifecycleError, CatalogVersionNotFound
from responsibility_catalog import (
    CatalogInvalid,
    Status,
    affected_units,
    diff_catalogs,
    export_xlsx,
)
from web.auth.access import current_account, roles_required
from web.catalog_editor.blueprint import bp
from web.catalog_editor.browse import load_or_404
from web.catalog_editor.common import EDITORS, READERS, STATUS_TAGS, catalog_desk, unit_label
from web.tenancy import current_county

MAX_WORKBOOK_BYTES = 5 * 1024 * 1024


def _actor() -> str:
    account = current_account()
    return account.username if account else "?"


@bp.post("/drafts")
@roles_required(*EDITORS)
def new_draft():
    label = (request.form.get("label") or "").strip()
    try:
        draft = catalog_desk().create_draft(label, actor=_actor(), county=current_county())
    except CatalogLifecycleError as err:
        flash(f"未能新建草稿：{err}")
        return redirect(url_for("catalog_editor.index"))
    flash(f"已从 {draft.based_on} 复制出草稿 {draft.label}")
    return redirect(url_for("catalog_editor.version", label=draft.label))


@bp.post("/drafts/import")
@roles_required(*EDITORS)
def import_draft():
    upload = request.files.get("workbook")
    label = (request.form.get("label") or "").strip() or None
    problems: list[str] = []
    data = upload.read(MAX_WORKBOOK_BYTES + 1) if upload else b""
    if not upload or not upload.filename:
        problems.append("请选择要上传的 Excel 文件（.xlsx）")
    elif len(data) > MAX_WORKBOOK_BYTES:
        problems.append("文件超过 5 MB，请确认是否为清单工作簿")
    elif not upload.filename.lower().endswith(".xlsx") or not zipfile.is_zipfile(io.BytesIO(data)):
        problems.append(
            f"“{upload.filename}”不是 Excel 工作簿（.xlsx），请从本系统下载模板后填写再上传"
        )
    if not problems:
        try:
            draft = catalog_desk().import_draft(
                io.BytesIO(data), label=label, actor=_actor(), county=current_county()
            )
        except CatalogInvalid as err:
            problems = [str(p) for p in err.problems]
        except CatalogLifecycleError as err:
            problems = [str(err)]
        else:
            flash(f"已导入草稿 {draft.label}（{sum(1 for _ in draft.matters())} 个事项）")
            return redirect(url_for("catalog_editor.diff", label=draft.label))
    return render_template(
        "catalog_editor/import_failed.html",
        problems=problems,
        filename=upload.filename if upload else "",
    ), 400


@bp.get("/v/<label>/diff")
@roles_required(*READERS)
def diff(label: str):
    catalog = load_or_404(label)
    against = request.args.get("against") or catalog.based_on
    if not against:
        abort(404, description=f"版本 {label} 没有基础版本，请指定对比版本")
    try:
        base = catalog_desk().catalog(against, county=current_county())
    except CatalogVersionNotFound:
        abort(404, description=f"没有清单版本“{against}”")
    account = current_account()
    sendable = catalog.status is Status.DRAFT and account is not None and account.role in EDITORS
    return render_template(
        "catalog_editor/diff.html",
        catalog=catalog,
        base=base,
        diff=diff_catalogs(base, catalog),
        # Who would be consulted: only meaningful against the version in force.
        affected=affected_units(base, catalog) if sendable else {},
        sendable=sendable,
        revisions=catalog_desk().revisions(label=label, county=current_county()),
        versions=[
            v.label for v in catalog_desk().versions(county=current_county()) if v.label != label
        ],
        old_label=lambda ref: unit_label(base, ref),
        new_label=lambda ref: unit_label(catalog, ref),
        tags=STATUS_TAGS,
    )


@bp.get("/v/<label>/export.xlsx")
@roles_required(*READERS)
def export(label: str):
    catalog = load_or_404(label)
    buffer = io.BytesIO()
    export_xlsx(catalog, buffer)
    buffer.seek(0)
    return send_file(
        buffer,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=f"责任清单-{label}.xlsx",
    )


@bp.get("/v/<label>/print")
@roles_required(*READERS)
def print_view(label: str):
    catalog = load_or_404(label)
    return render_template(
        "catalog_editor/print.html",
        catalog=catalog,
        unit_label=lambda ref: unit_label(catalog, ref),
    )
