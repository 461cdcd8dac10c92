"""Loading published snapshots for pages, with the rule on who may see which."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from typing import Any

from flask import abort, flash, redirect, send_file, url_for

from analytics import NoCatalog, SnapshotView, publish_snapshot, snapshot_view, snapshot_views
from web.analytics.blueprint import UNITS
from web.auth.access import current_account
from web.platform import current_desks
from web.tenancy import current_county

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def publish_and_show(
    kind: str,
    period: Any,
    *,
    now: datetime,
    endpoint: str,
    created: str,
    existing: str,
) -> Any:
    """Publish a period's ``kind`` of snapshot (once: a second time finds the first) and
    open it."""
    try:
        published = publish_snapshot(
            current_desks().host,
            kind,
            county=current_county(),
            period=period,
            now=now,
            # Behind login_required, an account is signed in
            actor=f"user:{current_account().username}",  # type: ignore[union-attr]
        )
    except NoCatalog as err:
        abort(409, description=str(err))
    flash(created if published.created else existing)
    return redirect(url_for(endpoint, snapshot_id=published.snapshot_id))


def workbook_download(workbook: bytes, name: str) -> Any:
    return send_file(BytesIO(workbook), mimetype=XLSX, as_attachment=True, download_name=name)


def snapshot_or_404(snapshot_id: int, kind: str) -> SnapshotView:
    snapshot = snapshot_view(current_desks().host, snapshot_id)
    if snapshot is None or snapshot.kind != kind or snapshot.county != current_county():
        abort(404, description="该期榜单或报告不存在")
    return snapshot


def listing(kind: str) -> list[SnapshotView]:
    return snapshot_views(current_desks().host, county=current_county(), kind=kind)


def own_unit_only() -> str | None:
    """The unit a unit account is limited to; None for county-wide readers."""
    account = current_account()
    if account is not None and account.role in UNITS:
        return account.unit_id or ""
    return None


def require_unit(unit: str) -> None:
    mine = own_unit_only()
    if mine is not None and mine != unit:
        abort(403, description="只能查看本单位的明细")
