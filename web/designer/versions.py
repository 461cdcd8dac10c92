"""Definition list, one version's page (with its heat), its XML, and the diff of two versions."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for

from engine.core import (
    DefinitionVersion,
    EngineError,
    Problem,
    definition_version,
    definition_versions,
    diff_definitions,
    element_heat,
    open_drafts,
    recent_instances,
    version_usage,
)
from web.auth.access import roles_required
from web.designer import READERS, bp
from web.designer.common import actor, diagram_download
from web.form_input import row_id
from web.platform import current_desks
from web.tenancy import current_county

# Who may roll a process back (withdraw a version): its designers and the administrator.
WITHDRAWERS = ("designer", "admin")


def _version(definition_id: int) -> DefinitionVersion:
    row = definition_version(current_desks().host, definition_id, county=current_county())
    if row is None:
        abort(404, description=f"流程版本 {definition_id} 不存在")
    return row


@bp.get("/")
@roles_required(*READERS)
def index() -> str:
    return render_index()


def render_index(import_problems: list[Problem] | None = None) -> str:
    """The definition list; ``import_problems`` explains a refused import."""
    host, county = current_desks().host, current_county()
    processes: dict[str, list[DefinitionVersion]] = defaultdict(list)
    for row in definition_versions(host, county=county):
        processes[row.process_key].append(row)
    return render_template(
        "designer/index.html",
        processes=processes,
        usage=version_usage(host, county=county),
        drafts=open_drafts(host, county=county),
        import_problems=import_problems,
    )


@bp.get("/versions/<int:definition_id>")
@roles_required(*READERS)
def version(definition_id: int) -> str:
    row = _version(definition_id)
    host, county = current_desks().host, current_county()
    heat = element_heat(host, definition_id)
    siblings = definition_versions(host, county=county, process_key=row.process_key)
    return render_template(
        "designer/version.html",
        row=row,
        heat={k: {"open": v.open, "completed": v.completed} for k, v in heat.items()},
        usage=version_usage(host, county=county).get(definition_id),
        siblings=[(s.id, s.version) for s in siblings],
        recent=recent_instances(host, definition_id, limit=20),
    )


@bp.post("/versions/<int:definition_id>/withdraw")
@roles_required(*WITHDRAWERS)
def withdraw(definition_id: int) -> Any:
    """Roll back: new instances start on the newest version left; running ones stay."""
    row = _version(definition_id)
    try:
        withdrawal = (
            current_desks().operator(current_county()).withdraw(definition_id, actor=actor())
        )
    except EngineError as err:
        flash(f"未撤回：{err}")
    else:
        flash(
            f"已撤回第 {withdrawal.withdrawn_version} 版：新受理的诉求将使用第 "
            f"{withdrawal.current_version} 版；已在第 {row.version} 版上运行的实例保持不变"
        )
    return redirect(url_for("designer.version", definition_id=definition_id))


@bp.get("/versions/<int:definition_id>.bpmn")
@roles_required(*READERS)
def version_xml(definition_id: int) -> Response:
    row = _version(definition_id)
    return diagram_download(row.bpmn_xml, f"{row.process_key}-v{row.version}.bpmn")


@bp.get("/diff")
@roles_required(*READERS)
def diff() -> str:
    old_id, new_id = row_id(request.args.get("old")), row_id(request.args.get("new"))
    if old_id is None or new_id is None:
        abort(400, description="请选择要比较的两个版本（old 与 new）")
    old, new = _version(old_id), _version(new_id)
    if old.process_key != new.process_key:
        abort(400, description="只能比较同一流程的两个版本")
    changes = diff_definitions(old.bpmn_xml, new.bpmn_xml)
    marks: dict[str, Any] = {
        "old": {c.element_id: c.kind for c in changes.removed + changes.changed},
        "new": {c.element_id: c.kind for c in changes.added + changes.changed},
    }
    return render_template("designer/diff.html", old=old, new=new, changes=changes, marks=marks)
