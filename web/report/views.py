"""The report page (事项 → 地点 → 描述和照片 → 联系方式) and its result page."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from engine.complaints.intake import ReportRejected
from engine.complaints.report_queries import by_tracking_code
from web.auth.access import current_account
from web.platform import current_platform
from web.report.blueprint import bp
from web.report.choices import Choices, current_choices
from web.report.forms import ReportDraft, actor_of, build_report, mode_of, read_report
from web.uploads import UploadRejected, save_photos


def _choices() -> Choices:
    choices = current_choices()
    if choices is None:
        abort(503, description="当前没有生效的责任清单，暂时无法受理，请拨打热线反映")
    return choices


def _page(choices: Choices, draft: ReportDraft, *, status: int = 200, photos_lost: bool = False):  # type: ignore[no-untyped-def]
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
    if draft.errors:
        return _page(choices, draft, status=400, photos_lost=chosen)
    platform = current_platform()
    try:
        photos = save_photos(uploads, platform.uploads_dir)
    except UploadRejected as err:
        draft.errors.update(err.errors)
        return _page(choices, draft, status=400, photos_lost=chosen)
    try:
        submitted = platform.desk.submit(
            build_report(draft, account, photos), actor=actor_of(account)
        )
    except ReportRejected as err:
        for name in photos:  # nothing stored: the files go with the refused report
            (platform.uploads_dir / name).unlink(missing_ok=True)
        draft.errors.update(err.errors)
        return _page(choices, draft, status=400, photos_lost=chosen)
    return redirect(url_for("report.submitted", code=submitted.tracking_code))


@bp.get("/submitted/<code>")
def submitted(code: str):  # type: ignore[no-untyped-def]
    with current_platform().host.session_factory() as db:
        complaint = by_tracking_code(code, county="julu", session=db)
    if complaint is None:
        abort(404, description="未找到该诉求编号")
    return render_template("report/submitted.html", complaint=complaint)
