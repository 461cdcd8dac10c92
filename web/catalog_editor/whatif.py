"""What-if from a draft (issue 22): the recent months' requests replayed under the list in
force and under the draft in a background job (ADR 0022), a status page that refreshes until
the report is there, and the same report as Excel."""

from __future__ import annotations

import io
import logging
from functools import partial
from pathlib import Path
from typing import Any

from flask import abort, current_app, redirect, render_template, request, send_file, url_for

from engine.catalog_store import CatalogVersionNotFound
from engine.core import EngineConfig
from responsibility_catalog import Catalog, Status
from rules import CHINA_TZ
from simulation.whatif import (
    DEFAULT_MONTHS,
    DEFAULT_SCALE,
    MEASURES,
    Measure,
    check_request,
    compare_catalogs,
    difference,
    months_before,
    verdict,
)
from simulation.whatif_excel import write_xlsx
from web.auth.access import current_account, roles_required
from web.catalog_editor.blueprint import bp
from web.catalog_editor.common import EDITORS, READERS, catalog_desk
from web.catalog_editor.whatif_jobs import AlreadyRunning, Job, JobStore, new_job_id, thread_runner
from web.tenancy import current_county

log = logging.getLogger(__name__)

# What the draft page offers: a small sample answers in minutes, the whole county in hours.
SCALES = ((0.01, "1%（最快）"), (0.05, "5%（默认）"), (0.2, "20%"), (1.0, "全部诉求（最慢）"))
REPLAYABLE = (Status.DRAFT, Status.CONSULTATION)


def _config() -> EngineConfig:
    return current_app.config.get("ENGINE_CONFIG") or EngineConfig.from_env()


def job_store() -> JobStore:
    store = current_app.extensions.get("juhaoban.whatif")
    if store is None:
        store = current_app.extensions["juhaoban.whatif"] = JobStore(
            _config().instance_dir / "whatif-jobs"
        )
    return store


def _refused(message: str, status: int, job: Job | None = None) -> Any:
    """Nothing started: the reason in Chinese, and the way back."""
    return render_template("catalog_editor/whatif_refused.html", message=message, job=job), status


def _number(raw: str | None, default: float, kind: type, name: str) -> Any:
    if raw is None or not raw.strip():
        return default
    try:
        return kind(raw.strip())
    except ValueError:
        raise ValueError(f"{name}应为数字（收到“{raw.strip()[:20]}”）") from None


def _run(store: JobStore, job_id: str, **replay: Any) -> None:
    """The job itself, in the worker thread: no request context, only what it was given."""
    store.update(job_id, status="running", message="读取时段内的诉求")

    def progress(fraction: float, message: str) -> None:
        store.update(job_id, progress=round(fraction, 4), message=message)

    try:
        report = compare_catalogs(progress=progress, **replay)
    except ValueError as err:
        store.update(job_id, status="failed", error=str(err))
    except Exception:
        log.exception("what-if job %s failed", job_id)
        store.update(job_id, status="failed", error="回放失败：系统内部错误，详情见服务日志")
    else:
        store.update(job_id, status="done", progress=1.0, message="完成", report=report)


@bp.post("/v/<label>/whatif")
@roles_required(*EDITORS)
def start_whatif(label: str):
    desk, county = catalog_desk(), current_county()
    try:
        draft: Catalog = desk.catalog(label, county=county)
    except CatalogVersionNotFound:
        return _refused(f"没有清单草稿“{label[:40]}”，无法回放", 404)
    if draft.status not in REPLAYABLE:
        return _refused(f"版本 {label} 为“{draft.status.label}”，只有草稿可以回放比较", 400)
    try:
        months = _number(request.form.get("months"), DEFAULT_MONTHS, int, "回放月数")
        scale = _number(request.form.get("scale"), DEFAULT_SCALE, float, "规模")
        check_request(months, scale)
    except ValueError as err:
        return _refused(str(err), 400)
    base = desk.published(county=county)
    if base is None:
        return _refused("尚无已公布的清单，无法与草稿比较", 400)
    today = desk.today()
    start = months_before(today, months)
    account = current_account()
    job = Job(
        id=new_job_id(),
        county=county,
        label=draft.label,
        base_label=base.label,
        start=start.isoformat(),
        end=today.isoformat(),
        months=months,
        scale=scale,
        requested_by=account.username if account else "?",
        # Beijing time: the page shows it as it is stored.
        requested_at=desk.host.clock.now().astimezone(CHINA_TZ).isoformat(),
    )
    store = job_store()
    try:
        store.create(job)
    except AlreadyRunning as err:
        return _refused(
            f"草稿 {label} 已有一次回放在进行（{err.job.status_label}，{err.job.percent}%），"
            "请等它结束后再开始",
            409,
            job=err.job,
        )
    config = _config()
    runner = current_app.config.get("WHATIF_RUNNER") or thread_runner
    runner(
        partial(
            _run,
            store,
            job.id,
            source_url=config.database_url,
            base=base,
            draft=draft,
            start=start,
            end=today,
            scale=scale,
            county=county,
            workdir=Path(store.folder),
        )
    )
    return redirect(url_for("catalog_editor.whatif_status", job_id=job.id), 303)


def _job_or_404(job_id: str) -> Job:
    job = job_store().get(job_id)
    if job is None or job.county != current_county():
        abort(404, description="没有这次回放（编号有误或已清理）")
    return job


def _shown(measure: Measure, value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    sign = "+" if signed and value > 0 else ""
    if measure.kind == "rate":
        return f"{sign}{value * 100:.1f}%"
    if measure.kind == "days":
        return f"{sign}{value:.2f}"
    return f"{sign}{int(value)}"


@bp.get("/whatif/<job_id>")
@roles_required(*READERS)
def whatif_status(job_id: str):
    job = _job_or_404(job_id)
    return render_template(
        "catalog_editor/whatif.html",
        job=job,
        report=job.report,
        measures=MEASURES,
        shown=_shown,
        difference=difference,
        verdict=verdict,
    )


@bp.get("/whatif/<job_id>/report.xlsx")
@roles_required(*READERS)
def whatif_excel(job_id: str):
    job = _job_or_404(job_id)
    if job.report is None:
        abort(404, description="回放尚未完成，完成后才能下载报告")
    buffer = io.BytesIO()
    write_xlsx(job.report, buffer)
    buffer.seek(0)
    return send_file(
        buffer,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=f"清单回放比较-{job.label}-{job.start}.xlsx",
    )


def whatif_context(label: str) -> dict[str, Any]:
    """For the draft page: the scale choices and the draft's latest replays."""
    return {
        "scales": SCALES,
        "default_scale": DEFAULT_SCALE,
        "jobs": job_store().of_label(current_county(), label),
    }
