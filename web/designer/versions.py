"""Definition list, one version's page (with its heat), its XML, and the diff of two versions."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from engine.core.definition_diff import diff_definitions
from engine.core.errors import EngineError
from engine.core.instance_inspection import usage_by_definition, version_heat
from engine.core.operator_desk import OperatorDesk
from engine.core.persistence.models import ProcessDefinition, ProcessInstance
from engine.core.problems import Problem
from web.auth.access import roles_required
from web.designer import READERS, bp
from web.designer.common import COUNTY, actor, diagram_download, draft_desk
from web.form_input import row_id
from web.platform import current_platform

# Who may roll a process back (withdraw a version): its designers and the administrator.
WITHDRAWERS = ("designer", "admin")


def _version(definition_id: int) -> ProcessDefinition:
    with current_platform().host.session_factory() as session:
        row = session.get(ProcessDefinition, definition_id)
        if row is None or row.county != COUNTY:
            abort(404, description=f"流程版本 {definition_id} 不存在")
        session.expunge(row)
        return row


@bp.get("/")
@roles_required(*READERS)
def index() -> str:
    return render_index()


def render_index(import_problems: list[Problem] | None = None) -> str:
    """The definition list; ``import_problems`` explains a refused import."""
    with current_platform().host.session_factory() as session:
        rows = session.scalars(
            select(ProcessDefinition)
            .where(ProcessDefinition.county == COUNTY)
            .order_by(ProcessDefinition.process_key, ProcessDefinition.version.desc())
        ).all()
        session.expunge_all()
        usage = usage_by_definition(COUNTY, session=session)
    processes: dict[str, list[ProcessDefinition]] = defaultdict(list)
    for row in rows:
        processes[row.process_key].append(row)
    return render_template(
        "designer/index.html",
        processes=processes,
        usage=usage,
        drafts=draft_desk().open_drafts(),
        import_problems=import_problems,
    )


@bp.get("/versions/<int:definition_id>")
@roles_required(*READERS)
def version(definition_id: int) -> str:
    row = _version(definition_id)
    with current_platform().host.session_factory() as session:
        heat = version_heat(definition_id, session=session)
        usage = usage_by_definition(COUNTY, session=session).get(definition_id)
        siblings = session.execute(
            select(ProcessDefinition.id, ProcessDefinition.version)
            .where(
                ProcessDefinition.county == COUNTY,
                ProcessDefinition.process_key == row.process_key,
            )
            .order_by(ProcessDefinition.version.desc())
        ).all()
        recent = session.execute(
            select(
                ProcessInstance.id,
                ProcessInstance.business_key,
                ProcessInstance.status,
                ProcessInstance.created_at,
            )
            .where(ProcessInstance.definition_id == definition_id)
            .order_by(ProcessInstance.id.desc())
            .limit(20)
        ).all()
    return render_template(
        "designer/version.html",
        row=row,
        heat={k: {"open": v.open, "completed": v.completed} for k, v in heat.items()},
        usage=usage,
        siblings=siblings,
        recent=recent,
    )


@bp.post("/versions/<int:definition_id>/withdraw")
@roles_required(*WITHDRAWERS)
def withdraw(definition_id: int) -> Any:
    """Roll back: new instances start on the newest version left; running ones stay."""
    row = _version(definition_id)
    try:
        withdrawal = OperatorDesk(current_platform().host, county=COUNTY).withdraw(
            definition_id, actor=actor()
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
