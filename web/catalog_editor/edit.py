"""Editing a matter of a draft: the form, saving it, and the live validation endpoint."""

from __future__ import annotations

import re
from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for

from engine.catalog_revision import MatterRejected, new_matter_id_problem, proposals_with_cases
from engine.catalog_store import CatalogLifecycleError
from responsibility_catalog import Catalog, Domain, Status
from responsibility_catalog.editing import fields_of_matter, rule_count
from web.auth.access import current_account, roles_required
from web.catalog_editor.blueprint import bp
from web.catalog_editor.browse import load_or_404
from web.catalog_editor.common import EDITORS, catalog_desk, unit_choices, unit_label
from web.tenancy import current_county

_FIELDS = {"csrf_token", "name", "keywords", "sign_for", "handle", "extensions"}
_NEW_FIELDS = _FIELDS | {"id"}
_RULE_FIELD = re.compile(r"^rules-\d{1,2}-(when|primary|supporting|basis|note)$")


def form_fields(*, new: bool = False) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The submitted fields (supporting units as lists), and errors for unknown keys."""
    fields: dict[str, Any] = {}
    allowed = _NEW_FIELDS if new else _FIELDS
    unknown = [k for k in request.form if k not in allowed and not _RULE_FIELD.match(k)]
    for key in request.form:
        if key in unknown or key == "csrf_token":
            continue
        if key.endswith("-supporting"):
            fields[key] = [v for v in request.form.getlist(key) if v]
        else:
            fields[key] = request.form.get(key, "")
    # A rule whose supporting select had nothing chosen sends no key at all.
    for n in range(rule_count(fields)):
        fields.setdefault(f"rules-{n}-supporting", [])
    errors = {"general": [f"表单包含本页没有的字段：{'、'.join(unknown)}"]} if unknown else {}
    return fields, errors


def _fields_of(catalog: Catalog, matter_id: str) -> dict[str, Any]:
    return fields_of_matter(catalog.matters_by_id[matter_id])


def _editable_draft(label: str, matter_id: str) -> Catalog:
    catalog = load_or_404(label)
    if matter_id not in catalog.matters_by_id:
        abort(404, description=f"版本 {label} 中没有事项 {matter_id}")
    if catalog.status is not Status.DRAFT:
        hint = (
            "；请在审核时选择“修改后重新征求意见”"
            if catalog.status is Status.CONSULTATION
            else "；请先新建草稿"
        )
        abort(400, description=f"版本 {label} 当前为“{catalog.status.label}”，不能修改{hint}")
    return catalog


def _render(
    catalog: Catalog,
    matter_id: str,
    fields: dict[str, Any],
    errors: dict[str, list[str]],
    status: int = 200,
    *,
    domain: Domain | None = None,
):
    desk = catalog_desk()
    found = proposals_with_cases(desk.host, county=current_county(), matter_id=matter_id)
    org = catalog.organisation
    cases = []
    for p in found:
        village = org.villages_by_id.get(p.complaint.village_id)
        if village is None:
            continue
        township = org.townships_by_id[village.township_id]
        roads = [
            org.roads_by_id[r].name + f"（{r}）" for r in village.roads if r in org.roads_by_id
        ]
        cases.append((p, township.name + village.name, village, roads))
    return (
        render_template(
            "catalog_editor/edit.html",
            catalog=catalog,
            matter=catalog.matters_by_id.get(matter_id),
            matter_id=matter_id,
            domain=domain or catalog.domain_of[matter_id],
            new=domain is not None,
            fields=fields,
            rule_total=max(rule_count(fields), 1),
            errors=errors,
            primary_choices=unit_choices(catalog, primary=True),
            supporting_choices=unit_choices(catalog, primary=False),
            proposals=cases,
            unit_label=lambda ref: unit_label(catalog, ref),
        ),
        status,
    )


@bp.get("/v/<label>/m/<matter_id>/edit")
@roles_required(*EDITORS)
def edit_matter(label: str, matter_id: str):
    catalog = _editable_draft(label, matter_id)
    return _render(catalog, matter_id, _fields_of(catalog, matter_id), {})


@bp.post("/v/<label>/m/<matter_id>/edit")
@roles_required(*EDITORS)
def save_matter(label: str, matter_id: str):
    catalog = _editable_draft(label, matter_id)
    fields, errors = form_fields()
    if errors:
        return _render(catalog, matter_id, fields, errors, 400)
    account = current_account()
    try:
        catalog_desk().save_matter(
            label,
            matter_id,
            fields,
            actor=account.username if account else "?",
            county=current_county(),
        )
    except MatterRejected as rejected:
        return _render(catalog, matter_id, fields, rejected.field_errors, 400)
    except CatalogLifecycleError as err:
        return _render(catalog, matter_id, fields, {"general": [str(err)]}, 400)
    flash(f"事项 {matter_id} 已保存到草稿 {label}")
    return redirect(url_for("catalog_editor.matter", label=label, matter_id=matter_id))


@bp.post("/v/<label>/m/<matter_id>/check")
@roles_required(*EDITORS)
def check_matter(label: str, matter_id: str):
    """Live validation: the validator's messages by field, nothing stored."""
    catalog = load_or_404(label)
    if matter_id not in catalog.matters_by_id:
        abort(404, description=f"版本 {label} 中没有事项 {matter_id}")
    fields, errors = form_fields()
    if not errors:
        errors = (
            catalog_desk().check_matter(label, matter_id, fields, county=current_county()).errors
        )
    return jsonify(ok=not errors, errors=errors)


def _new_matter_domain(label: str, domain_id: str) -> tuple[Catalog, Domain]:
    catalog = load_or_404(label)
    domain = next((d for d in catalog.domains if d.id == domain_id), None)
    if domain is None:
        abort(404, description=f"版本 {label} 中没有领域 {domain_id}")
    if catalog.status is not Status.DRAFT:
        abort(400, description=f"版本 {label} 当前为“{catalog.status.label}”，不能新增事项")
    return catalog, domain


def _next_id(catalog: Catalog, domain: Domain) -> str:
    numbers = [
        int(m.id.rsplit("-", 1)[1]) for m in domain.matters if m.id.rsplit("-", 1)[-1].isdigit()
    ]
    n = max(numbers, default=0) + 1
    while f"{domain.id}-{n:02d}" in catalog.matters_by_id:
        n += 1
    return f"{domain.id}-{n:02d}"


@bp.get("/v/<label>/d/<domain_id>/new")
@roles_required(*EDITORS)
def new_matter(label: str, domain_id: str):
    catalog, domain = _new_matter_domain(label, domain_id)
    matter_id = _next_id(catalog, domain)
    fields = {
        "id": matter_id,
        "sign_for": "2小时",
        "handle": "5个工作日",
        "extensions": "1",
        "rules-0-when": "其他",
        "rules-0-supporting": [],
    }
    return _render(catalog, matter_id, fields, {}, domain=domain)


@bp.post("/v/<label>/d/<domain_id>/new")
@roles_required(*EDITORS)
def create_matter(label: str, domain_id: str):
    catalog, domain = _new_matter_domain(label, domain_id)
    fields, errors = form_fields(new=True)
    matter_id = str(fields.pop("id", "")).strip()
    fields["id"] = matter_id
    if errors:
        return _render(catalog, matter_id, fields, errors, 400, domain=domain)
    account = current_account()
    matter_fields = {k: v for k, v in fields.items() if k != "id"}
    try:
        catalog_desk().save_matter(
            label,
            matter_id,
            matter_fields,
            domain_id=domain.id,
            actor=account.username if account else "?",
            county=current_county(),
        )
    except MatterRejected as rejected:
        return _render(catalog, matter_id, fields, rejected.field_errors, 400, domain=domain)
    except CatalogLifecycleError as err:
        return _render(catalog, matter_id, fields, {"general": [str(err)]}, 400, domain=domain)
    flash(f"已在草稿 {label} 的“{domain.name}”中新增事项 {matter_id}")
    return redirect(url_for("catalog_editor.matter", label=label, matter_id=matter_id))


@bp.post("/v/<label>/d/<domain_id>/new/check")
@roles_required(*EDITORS)
def check_new_matter(label: str, domain_id: str):
    catalog, _ = _new_matter_domain(label, domain_id)
    fields, errors = form_fields(new=True)
    matter_id = str(fields.pop("id", "")).strip()
    if not errors:
        errors = dict(
            catalog_desk().check_matter(label, matter_id, fields, county=current_county()).errors
        )
        problem = new_matter_id_problem(matter_id, catalog)
        if problem:
            errors["id"] = [problem]
    return jsonify(ok=not errors, errors=errors)


@bp.post("/v/<label>/m/<matter_id>/delete")
@roles_required(*EDITORS)
def delete_matter(label: str, matter_id: str):
    catalog = _editable_draft(label, matter_id)
    name = catalog.matters_by_id[matter_id].name
    account = current_account()
    try:
        catalog_desk().remove_matter(
            label, matter_id, actor=account.username if account else "?", county=current_county()
        )
    except CatalogLifecycleError as err:
        flash(f"未能删除：{err}")
        return redirect(url_for("catalog_editor.matter", label=label, matter_id=matter_id))
    flash(f"已从草稿 {label} 删除事项 {matter_id} {name}")
    return redirect(url_for("catalog_editor.version", label=label))
