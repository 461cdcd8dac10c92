"""The report page (照片和描述 → 推荐的事项 → 地图上的位置 → 联系方式) and its result page.

The form carries a one-time submission token (ADR 0015): a double click or a browser that
sends the form again after a timeout gets the first report's page, not a second report.
The token also names the folder where the photos of a refused form wait for the next try.
"""

from __future__ import annotations

import re
import secrets

from flask import abort, current_app, flash, redirect, render_template, request, url_for

from engine.complaints import Intent, KeyReused, ReportRejected, report_by_code
from web.auth.access import current_account
from web.county_map import local_map_file, map_source, township_polygons
from web.idempotency import form_fingerprint
from web.platform import current_platform
from web.report.blueprint import bp
from web.report.choices import Choices, current_choices
from web.report.forms import ReportDraft, actor_of, build_report, mode_of, read_report
from web.report.geometry import CountyMap, build_county_map
from web.report.suggestions import suggest_safely
from web.tenancy import current_county
from web.uploads import (
    MAX_PHOTOS,
    adopt_pending,
    check_photos,
    drop_pending,
    keep_pending,
    move_pending,
    pending_photo,
    pending_photos,
    send_photo,
    store_checked,
)

TOKEN_FIELD = "submission_token"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
RESUBMITTED = (
    "这份表单已经提交过一次，这次的内容与上次不同。如需另外反映一个问题，"
    "请核对下面的内容后再提交一次"
)


def _choices() -> Choices:
    choices = current_choices()
    if choices is None:
        abort(503, description="当前没有生效的责任清单，暂时无法受理，请拨打热线反映")
    return choices


def _county_map(choices: Choices) -> CountyMap:
    """Built once per catalog version and map file (a few milliseconds, but every page)."""
    key = (choices.catalog.label, choices.catalog.content_hash, str(local_map_file()))
    maps = current_app.extensions.setdefault("juhaoban.report_maps", {})
    if key not in maps:
        org = choices.organisation
        townships = [(t.id, t.name) for t in org.townships]
        maps.clear()  # only the catalog in force is drawn
        maps[key] = build_county_map(township_polygons(), townships, org.villages)
    return maps[key]


def _page(
    choices: Choices,
    draft: ReportDraft,
    *,
    status: int = 200,
    photos_lost: bool = False,
    token: str | None = None,
    kept: list[str] | None = None,
):
    query = (request.args.get("q") or "").strip()[:50]
    domain = request.args.get("domain") or ""
    description = draft.values.get("description", "")
    return (
        render_template(
            "report/new.html",
            choices=choices,
            draft=draft,
            query=query,
            hits=choices.search(query),
            domain=domain if any(d.id == domain for d in choices.catalog.domains) else "",
            suggestions=suggest_safely(description, choices) if description else [],
            county_map=_county_map(choices),
            schematic=not map_source(),
            photos_lost=photos_lost,
            kept=kept or [],
            max_photos=MAX_PHOTOS,
            submission_token=token or secrets.token_urlsafe(18),
        ),
        status,
    )


@bp.get("/new")
def new():
    choices = _choices()
    account = current_account()
    values = {"matter_id": request.args.get("matter") or ""}
    if values["matter_id"] and not choices.matter_name(values["matter_id"]):
        values["matter_id"] = ""
    return _page(choices, ReportDraft(values, mode=mode_of(account)))


@bp.post("/new")
def submit():
    choices = _choices()
    account = current_account()
    uploads_dir = current_platform().uploads_dir
    draft = read_report(request.form, account, choices, areas=township_polygons())
    # Nothing is stored until the desk commits, so a refused form keeps its token.
    token = request.form.get(TOKEN_FIELD, "")
    token = token if _TOKEN.match(token) else None
    if token is not None:
        drop_pending(uploads_dir, token, request.form.getlist("remove_photo"))
    kept = pending_photos(uploads_dir, token) if token else []
    uploads = request.files.getlist("photos")
    chosen = any(u.filename for u in uploads)
    photos, photo_errors = check_photos(uploads, room=MAX_PHOTOS - len(kept))
    draft.errors.update(photo_errors)

    def refuse(status: int = 400):
        """The page again, the good photos waiting under the token (lost without one)."""
        if token is None:
            return _page(choices, draft, status=status, photos_lost=chosen, token=token)
        keep_pending(uploads_dir, token, photos)
        lost = bool(photo_errors)
        return _page(
            choices,
            draft,
            status=status,
            photos_lost=lost,
            token=token,
            kept=pending_photos(uploads_dir, token),
        )

    if request.form.get("classify"):  # "帮我归类" without script: suggestions, nothing sent
        draft.errors.clear()
        draft.errors.update(photo_errors)
        return refuse(200)
    if draft.errors:
        return refuse()
    intent = None
    if token is not None:
        fingerprint = form_fingerprint(ignore=("csrf_token", TOKEN_FIELD))
        intent = Intent("report.form", actor_of(account), token, fingerprint)
    names = store_checked(photos, uploads_dir)
    names += adopt_pending(uploads_dir, token) if token else []

    def discard_photos() -> None:  # nothing of this request stored: its files go too
        for name in names:
            (uploads_dir / name).unlink(missing_ok=True)

    try:
        submitted = current_platform().desk.submit(
            build_report(draft, account, names),
            actor=actor_of(account),
            county=current_county(),
            idempotency=intent,
        )
    except ReportRejected as err:
        discard_photos()
        draft.errors.update(err.errors)
        return refuse()
    except KeyReused:  # the back button, a change, the same form sent again: a new token
        discard_photos()
        draft.errors[TOKEN_FIELD] = RESUBMITTED
        fresh = secrets.token_urlsafe(18)
        if token is not None:
            keep_pending(uploads_dir, token, photos)
            move_pending(uploads_dir, token, fresh)
        return _page(
            choices,
            draft,
            status=409,
            photos_lost=chosen and token is None,
            token=fresh,
            kept=pending_photos(uploads_dir, fresh),
        )
    if submitted.replayed:  # the first request's report (and photos) stand
        discard_photos()
    if token is not None:
        drop_pending(uploads_dir, token)
    if place := draft.notes.get("place"):
        flash(f"{place}。")
    return redirect(url_for("report.submitted", code=submitted.tracking_code))


@bp.get("/pending/<token>/<name>")
def pending(token: str, name: str):
    """A photo of a refused form, for the page that carries its token (the secret)."""
    path = pending_photo(current_platform().uploads_dir, token, name)
    if path is None:
        abort(404)
    return send_photo(path)


@bp.get("/submitted/<code>")
def submitted(code: str):
    complaint = report_by_code(current_platform().host, code, county=current_county())
    if complaint is None:
        abort(404, description="未找到该诉求编号")
    return render_template("report/submitted.html", complaint=complaint)
