"""The department's side of a consultation: send a draft, follow the opinions, decide."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for

from engine.catalog_store import CatalogLifecycleError
from engine.core import EngineError, FieldErrors
from responsibility_catalog import CatalogInvalid
from web.auth.access import current_account, roles_required
from web.catalog_editor.blueprint import bp
from web.catalog_editor.browse import load_or_404
from web.catalog_editor.common import EDITORS, OPINIONS, READERS, STAGES, catalog_desk, unit_label
from web.tenancy import current_county

DEFAULT_DAYS = 5


def _problems_text(err: CatalogInvalid, limit: int = 5) -> str:
    shown = "；".join(str(p) for p in err.problems[:limit])
    more = f"（另有 {len(err.problems) - limit} 处）" if len(err.problems) > limit else ""
    return f"草稿有 {len(err.problems)} 处问题，请先修改：{shown}{more}"


@bp.post("/v/<label>/send")
@roles_required(*EDITORS)
def send(label: str):
    load_or_404(label)
    account = current_account()
    days_text = (request.form.get("opinion_days") or "").strip()
    try:
        if not days_text.isdigit():
            raise FieldErrors(
                {"opinion_days": f"反馈期限“{days_text}”应为整数个工作日"}, "未发出："
            )
        revision_id = catalog_desk().send_for_consultation(
            label,
            opinion_days=int(days_text),
            note=request.form.get("note") or "",
            actor=account.username if account else "?",
            county=current_county(),
        )
    except FieldErrors as err:
        flash(f"未发出征求意见：{'；'.join(err.errors.values())}")
        return redirect(url_for("catalog_editor.diff", label=label))
    except CatalogInvalid as err:
        flash(f"未发出征求意见：{_problems_text(err)}")
        return redirect(url_for("catalog_editor.diff", label=label))
    except CatalogLifecycleError as err:
        flash(f"未发出征求意见：{err}")
        return redirect(url_for("catalog_editor.diff", label=label))
    flash(f"草稿 {label} 已发往相关单位征求意见")
    return redirect(url_for("catalog_editor.revision", revision_id=revision_id))


def _revision_or_404(revision_id: int) -> Any:
    try:
        return catalog_desk().revision(revision_id)
    except EngineError:
        abort(404, description=f"征求意见 {revision_id} 不存在")


def render_revision(revision_id: int, errors: dict[str, str] | None = None, status: int = 200):
    desk = catalog_desk()
    revision = _revision_or_404(revision_id)
    catalog = desk.catalog(revision.label, county=revision.county)
    opinions = desk.opinions(revision.id)
    rounds: dict[int, list] = {}
    for opinion in opinions:
        rounds.setdefault(opinion.round, []).append(opinion)
    account = current_account()
    return (
        render_template(
            "catalog_editor/revision.html",
            revision=revision,
            catalog=catalog,
            rounds=rounds,
            objections=[o for o in opinions if o.round == revision.round and o.opinion == "object"],
            opinion_labels=OPINIONS,
            stages=STAGES,
            may_decide=account is not None and account.role == "orgdept",
            today=desk.today(),
            default_days=revision.opinion_days or DEFAULT_DAYS,
            errors=errors or {},
            values=request.form if request.method == "POST" else {},
            unit_label=lambda ref: unit_label(catalog, ref),
            matter_name=lambda mid: (
                catalog.matters_by_id[mid].name if mid in catalog.matters_by_id else mid
            ),
        ),
        status,
    )


@bp.get("/revisions/<int:revision_id>")
@roles_required(*READERS)
def revision(revision_id: int):
    return render_revision(revision_id)


def _decide(revision_id: int, action: str):
    account = current_account()
    if account is None:
        abort(403)
    form = {k: v for k, v in request.form.items() if k != "csrf_token"}
    form = {k: v for k, v in form.items() if v != "" or k in ("review_decision", "opinion_days")}
    desk = catalog_desk()
    try:
        if action == "review":
            desk.review(revision_id, form, actor=account.username, groups=account.groups)
        else:
            desk.resend(revision_id, form, actor=account.username, groups=account.groups)
    except FieldErrors as err:
        return render_revision(revision_id, err.errors, 400)
    except CatalogInvalid as err:
        return render_revision(revision_id, {"general": _problems_text(err)}, 400)
    return None


@bp.post("/revisions/<int:revision_id>/review")
@roles_required(*EDITORS)
def review(revision_id: int):
    rejected = _decide(revision_id, "review")
    if rejected is not None:
        return rejected
    revision = catalog_desk().revision(revision_id)
    messages = {
        "published": f"清单 {revision.label} 已公布，自 {revision.effective} 起施行",
        "revising": f"草稿 {revision.label} 已退回修改，修改后可重新征求意见",
        "withdrawn": f"草稿 {revision.label} 已撤回",
    }
    flash(messages.get(revision.stage, "已提交"))
    return redirect(url_for("catalog_editor.revision", revision_id=revision_id))


@bp.post("/revisions/<int:revision_id>/resend")
@roles_required(*EDITORS)
def resend(revision_id: int):
    rejected = _decide(revision_id, "resend")
    if rejected is not None:
        return rejected
    flash("修改后的草稿已重新发出征求意见")
    return redirect(url_for("catalog_editor.revision", revision_id=revision_id))
