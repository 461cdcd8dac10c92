"""The report page (事项 → 地点 → 描述和照片 → 联系方式) and its result page.

The form carries a one-time submission token (ADR 0015): a double click or a browser that
sends the form again after a timeout gets the first report's page, not a second report.
"""

from __future__ import annotations

import re
import secrets

from flask import abort, redirect, render_template, request, url_for

from engine.complaints.idempotency import Intent, KeyReused
from engine.complaints.intake import ReportRejected
from engine.complaints.report_queries import by_tracking_code
from web.auth.access import current_account
from web.idempotency import form_fingerprint
from web.platform import current_platform
from web.report.blueprint import bp
from web.report.choices import Choices, current_choices
from web.report.forms import ReportDraft, actor_of, build_report, mode_of, read_report
from web.uploads import UploadRejected, save_photos

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


def _page(  # type: ignore[no-untyped-def]
    choices: Choices,
    draft: ReportDraft,
    *,
    status: int = 200,
    photos_lost: bool = False,
    token: str | None = None,
):
    query = (request.args.get("q") or "").strip()[:50]
    domain = request.args.get("domain") or ""
    return (
        render_template(
            "report/new.html",
            choices=choices,
            draft=draft,
            query=query,
            hits=choices.search(query),
            domain=domain if any(d.id == domain for d in choices.catalog.domains) else "",
            photos_lost=photos_lost,
            submission_token=token or secrets.token_urlsafe(18),
        ),
        status,
    )


@bp.get("/new")
def new():  # type: ignore[no-untyped-def]
    choices = _choices()
    account = current_account()
    values = {"matter_id": request.args.get("matter") or ""}
    if values["matter_id"] and not choices.matter_name(values["matter_id"]):
        values["matter_id"] = ""
    return _page(choices, ReportDraft(values, mode=mode_of(account)))


@bp.post("/new")
def submit():  # type: ignore[no-untyped-def]
    choices = _choices()
    account = current_account()
    draft = read_report(request.form, account, choices)
    uploads = request.files.getlist("photos")
    chosen = any(u.filename for u in uploads)
    # Nothing is stored until the desk commits, so a refused form keeps its token.
    token = request.form.get(TOKEN_FIELD, "")
    token = token if _TOKEN.match(token) else None
    if draft.errors:
        return _page(choices, draft, status=400, photos_lost=chosen, token=token)
    intent = None
    if token is not None:
        fingerprint = form_fingerprint(ignore=("csrf_token", TOKEN_FIELD))
        intent = Intent("report.form", actor_of(account), token, fingerprint)
    platform = current_platform()
    try:
        photos = save_photos(uploads, platform.uploads_dir)
    except UploadRejected as err:
        draft.errors.update(err.errors)
        return _page(choices, draft, status=400, photos_lost=chosen, token=token)

    def discard_photos() -> None:  # nothing of this request stored: its files go too
        for name in photos:
            (platform.uploads_dir / name).unlink(missing_ok=True)

    try:
        submitted = platform.desk.submit(
            build_report(draft, account, photos), actor=actor_of(account), idempotency=intent
        )
    except ReportRejected as err:
        discard_photos()
        draft.errors.update(err.errors)
        return _page(choices, draft, status=400, photos_lost=chosen, token=token)
    except KeyReused:  # the back button, a change, the same form sent again: a new token
        discard_photos()
        draft.errors[TOKEN_FIELD] = RESUBMITTED
        return _page(choices, draft, status=409, photos_lost=chosen)
    if submitted.replayed:  # the first request's report (and photos) stand
        discard_photos()
    return redirect(url_for("report.submitted", code=submitted.tracking_code))


@bp.get("/submitted/<code>")
def submitted(code: str):  # type: ignore[no-untyped-def]
    with current_platform().host.session_factory() as db:
        complaint = by_tracking_code(code, county="julu", session=db)
    if complaint is None:
        abort(404, description="未找到该诉求编号")
    return render_template("report/submitted.html", complaint=complaint)
