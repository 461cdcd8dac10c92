"""GET requests (a list, or one), and the servicerequestupdates extension. Nothing a
reporter typed or gave about themselves is returned: no description, name, phone or email."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Response, request

from engine.complaints import ComplaintRecord
from engine.open311 import RequestRecord, by_codes, search, updates
from rules import CHINA_TZ
from web.labels import STAGES, place_name, unit_name
from web.open311 import bp
from web.open311.checks import check_jurisdiction, fail, open311_county
from web.open311.formats import respond, w3c
from web.platform import current_platform
from web.reference_data import current_catalog
from web.throttling import open311_reads

MAX_SPAN = timedelta(days=90)
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=CHINA_TZ), datetime(2101, 1, 1, tzinfo=CHINA_TZ)
STATUSES = ("open", "closed")
MAX_CODES = 500


def _instant(fmt: str, name: str) -> datetime | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        fail(fmt, 400, f"{name} 应为 W3C 日期时间，如 2026-03-01T00:00:00+08:00，收到“{raw[:40]}”")
    value = value if value.tzinfo else value.replace(tzinfo=CHINA_TZ)
    # The window is computed from it (± 90 days): year 1 or 9999 would overflow (a 500).
    if not EARLIEST <= value < LATEST:
        fail(fmt, 400, f"{name} 应在 {EARLIEST.year} 年到 {LATEST.year - 1} 年之间")
    return value


def _window(fmt: str) -> tuple[datetime, datetime]:
    now = current_platform().host.clock.now()
    start, end = _instant(fmt, "start_date"), _instant(fmt, "end_date")
    if start is None and end is None:
        end = now
    if start is None:
        start = end - MAX_SPAN  # type: ignore[operator]  # end is set whenever start is missing
    if end is None:
        end = start + MAX_SPAN
    if end < start:
        fail(fmt, 400, "end_date 早于 start_date")
    if end - start > MAX_SPAN:
        fail(fmt, 400, "start_date 与 end_date 相隔不能超过 90 天")
    return start, end


def _codes(fmt: str, name: str) -> list[str]:
    codes = [part.strip() for part in request.args.get(name, "").split(",") if part.strip()]
    # One bound parameter each: PostgreSQL takes at most 65,535 in a statement.
    if len(codes) > MAX_CODES:
        fail(fmt, 400, f"{name} 一次最多 {MAX_CODES} 个，收到 {len(codes)} 个")
    return codes


def _service_notice(c: ComplaintRecord) -> str | None:
    if c.status == "closed":
        return None
    if c.handle_due:
        return (
            "办理时限至 "
            + c.handle_due.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
            + ("（暂定）" if c.due_provisional else "")
        )
    if c.sign_for_due:
        return "签收时限至 " + c.sign_for_due.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
    return "调度中心正在确定承办单位"


def _position(c: ComplaintRecord) -> tuple[float | None, float | None]:
    if c.latitude is not None and c.longitude is not None:
        return c.latitude, c.longitude
    catalog = current_catalog(open311_county())
    village = catalog.organisation.villages_by_id.get(c.village_id) if catalog else None
    return (village.lat, village.lon) if village else (None, None)


def request_view(record: RequestRecord, extensions: bool) -> dict[str, Any]:
    c = record.complaint
    lat, lon = _position(c)
    view: dict[str, Any] = {
        "service_request_id": c.tracking_code,
        "status": "closed" if c.status == "closed" else "open",
        "status_notes": c.reply_text,
        "service_name": c.matter_name,
        "service_code": c.matter_id,
        "agency_responsible": unit_name(c.primary_unit) if c.primary_unit else None,
        "service_notice": _service_notice(c),
        "requested_datetime": w3c(c.received_at),
        "updated_datetime": w3c(c.updated_at),
        "expected_datetime": w3c(c.handle_due or c.sign_for_due),
        "address": place_name(c.village_id),
        "address_id": c.village_id,
        "zipcode": None,
        "lat": lat,
        "long": lon,
        "media_url": record.media_url,
    }
    if extensions:
        view["extended_attributes"] = {
            "stage": c.stage,
            "stage_label": STAGES.get(c.stage, c.stage),
            "supporting_units": [unit_name(u) for u in c.supporting_units or []],
            "overdue": c.overdue,
            "extensions": c.extension_count,
        }
        view["notes"] = [
            {
                "datetime": w3c(step.at),
                "summary": step.label,
                "unit": unit_name(step.unit) if step.unit else None,
            }
            for step in record.steps
        ]
    return view


def _extensions() -> bool:
    return request.args.get("extensions", "").lower() in ("true", "1")


@bp.get("/requests.<any(json, xml):fmt>")
@open311_reads
def request_list(fmt: str) -> Response:
    check_jurisdiction(fmt)
    statuses = _codes(fmt, "status")
    wrong = [s for s in statuses if s not in STATUSES]
    if wrong:
        fail(fmt, 400, f"status 只能是 open 或 closed，收到 {'、'.join(wrong)[:80]}")
    ids = _codes(fmt, "service_request_id")
    host, county = current_platform().host, open311_county()
    if ids:
        records = by_codes(host, ids, county=county)
    else:
        start, end = _window(fmt)
        records = search(
            host,
            county=county,
            start=start,
            end=end,
            service_codes=_codes(fmt, "service_code"),
            statuses=[{"open": "open", "closed": "closed"}[s] for s in statuses],
        )
    data = [request_view(r, _extensions()) for r in records]
    return respond(fmt, "service_requests", "request", data)


@bp.get("/requests/<request_id>.<any(json, xml):fmt>")
@open311_reads
def single_request(request_id: str, fmt: str) -> Response:
    check_jurisdiction(fmt)
    records = by_codes(
        current_platform().host, [request_id.strip().upper()], county=open311_county()
    )
    if not records:
        fail(fmt, 404, f"service_request_id {request_id[:40]} 不存在")
    data = [request_view(records[0], _extensions())]
    return respond(fmt, "service_requests", "request", data)


@bp.get("/servicerequestupdates.<any(json, xml):fmt>")
@open311_reads
def request_updates(fmt: str) -> Response:
    check_jurisdiction(fmt)
    start, end = _window(fmt)
    found = updates(current_platform().host, county=open311_county(), start=start, end=end)
    data = [
        {
            "update_id": u.update_id,
            "service_request_id": u.record.complaint.tracking_code,
            "status": u.status,
            "updated_datetime": w3c(u.step.at),
            "description": u.step.label + (f"（{unit_name(u.step.unit)}）" if u.step.unit else ""),
            "media_url": None,
        }
        for u in found
    ]
    return respond(fmt, "service_request_updates", "request_update", data)
