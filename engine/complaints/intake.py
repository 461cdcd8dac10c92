"""Intake: check a report field by field, store it, and start its workflow — one step.

Routing happens inside the workflow at once; intake only flags a likely duplicate (same
matter, same village, an open case within the last few days) for the dispatcher.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.catalog_store import CatalogRegistry
from engine.complaints.models import Complaint
from engine.core.errors import FieldErrors
from engine.core.row_processes import start_for_row
from engine.core.runtime import Runtime
from responsibility_catalog import select_in_force
from rules import CHINA_TZ

PROCESS_KEY = "complaint"
CHANNELS = {
    "app": "手机客户端",
    "grid": "网格员代报",
    "hotline": "热线",
    "web": "网页",
    "open311": "Open311 接口",
}
DUPLICATE_WINDOW = timedelta(days=3)
MAX_DESCRIPTION = 4000  # GeoReport v2's limit; one limit for every channel
MAX_REPORTER_NAME = 64  # the column's width (PostgreSQL refuses longer, SQLite would not)
_SURROGATE = re.compile("[\ud800-\udfff]")
_PHONE = re.compile(r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")


class ReportRejected(FieldErrors):
    """A report with bad fields; nothing was stored."""


@dataclass(frozen=True)
class ComplaintReport:
    """What a resident (or a grid worker on their behalf) submits."""

    channel: str
    village_id: str
    description: str
    matter_id: str | None = None
    grid_id: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    photos: tuple[str, ...] = field(default_factory=tuple)
    reporter_name: str | None = None
    reporter_phone: str | None = None
    reporter_account: str | None = None
    grid_worker: str | None = None
    consent: bool = False


def text_problem(value: str) -> str | None:
    """Why a piece of text cannot be stored, or ``None``: the one rule every channel (report
    page, JSON API, Open311) applies before anything reaches the database.

    PostgreSQL refuses a NUL character in text and JSON columns, and a lone UTF-16 surrogate
    (``"\\ud800"`` in JSON) cannot be encoded as UTF-8 by either database driver; both would
    otherwise surface as a server error instead of a message naming the field.
    """
    if "\x00" in value:
        return "含有不允许的空字符（\\u0000）"
    if _SURROGATE.search(value):
        return "含有无法识别的字符（孤立的 UTF-16 代理项）"
    return None


def new_tracking_code(now: datetime) -> str:
    """Short, unguessable, readable aloud: JL-2603-7KQ9M2XD."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    tail = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"JL-{now.astimezone(CHINA_TZ):%y%m}-{tail}"


_TEXT_FIELDS = (
    "channel",
    "village_id",
    "description",
    "matter_id",
    "grid_id",
    "reporter_name",
    "reporter_phone",
    "reporter_account",
    "grid_worker",
)


def _check(
    report: ComplaintReport,
    registry: CatalogRegistry,
    *,
    county: str,
    now: datetime,
    session: Session,
) -> dict[str, str]:
    errors: dict[str, str] = {
        name: problem
        for name in _TEXT_FIELDS
        if isinstance(value := getattr(report, name), str)
        and (problem := text_problem(value)) is not None
    }
    if errors:  # the other checks would quote the unstorable text back
        return errors
    if report.channel not in CHANNELS:
        errors["channel"] = f"渠道“{report.channel}”无效，应为 {'、'.join(CHANNELS)} 之一"
    description = (report.description or "").strip()
    if not description:
        errors["description"] = "请描述遇到的问题"
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = f"问题描述不能超过 {MAX_DESCRIPTION} 字"
    catalog = select_in_force(
        registry.in_force(county=county, session=session), now.astimezone(CHINA_TZ).date()
    )
    if catalog is None:
        errors["matter_id"] = "当前没有生效的责任清单，请联系管理员"
        return errors
    villages = catalog.organisation.villages_by_id
    village = villages.get(report.village_id)
    if village is None:
        errors["village_id"] = f"村（社区）“{report.village_id}”不存在"
    elif report.grid_id and report.grid_id not in {g.id for g in village.grids}:
        errors["grid_id"] = f"网格“{report.grid_id}”不属于{village.name}"
    if report.matter_id is not None and report.matter_id not in catalog.matters_by_id:
        errors["matter_id"] = f"事项“{report.matter_id}”不在现行清单中"
    if report.latitude is not None and not -90 <= report.latitude <= 90:
        errors["latitude"] = "纬度应在 -90 到 90 之间"
    if report.longitude is not None and not -180 <= report.longitude <= 180:
        errors["longitude"] = "经度应在 -180 到 180 之间"
    if report.reporter_name and len(report.reporter_name) > MAX_REPORTER_NAME:
        errors["reporter_name"] = f"姓名不能超过 {MAX_REPORTER_NAME} 字"
    if report.reporter_phone and not _PHONE.match(report.reporter_phone):
        errors["reporter_phone"] = "电话号码格式不正确"
    if report.channel == "grid":
        if not report.grid_worker:
            errors["grid_worker"] = "网格员代报须注明代报网格员"
        if not (report.reporter_name or "").strip():
            errors["reporter_name"] = "代报须填写群众姓名"
        if not report.consent:
            errors["consent"] = "代报须取得群众同意"
    return errors


def _likely_duplicate(
    report: ComplaintReport, *, county: str, now: datetime, session: Session
) -> int | None:
    if report.matter_id is None:
        return None
    return session.scalar(
        select(Complaint.id)
        .where(
            Complaint.county == county,
            Complaint.matter_id == report.matter_id,
            Complaint.village_id == report.village_id,
            Complaint.status == "open",
            Complaint.received_at >= now - DUPLICATE_WINDOW,
        )
        .order_by(Complaint.received_at.desc(), Complaint.id.desc())
        .limit(1)
    )


def submit_report(
    report: ComplaintReport,
    *,
    runtime: Runtime,
    registry: CatalogRegistry,
    county: str,
    actor: str,
    now: datetime,
    session: Session,
) -> Complaint:
    """Store the report and start its complaint process (routing runs at once).

    :raises ReportRejected: naming each bad field; nothing is stored.
    """
    errors = _check(report, registry, county=county, now=now, session=session)
    if errors:
        raise ReportRejected(errors)
    village = select_in_force(
        registry.in_force(county=county, session=session), now.astimezone(CHINA_TZ).date()
    ).organisation.villages_by_id[report.village_id]
    tracking_code = new_tracking_code(now)
    if report.channel == "grid":
        reporter_group = f"grid:{report.grid_worker}"
    elif report.reporter_account:
        reporter_group = f"reporter:{report.reporter_account}"
    else:
        reporter_group = f"reporter:{tracking_code}"
    complaint = Complaint(
        county=county,
        tracking_code=tracking_code,
        channel=report.channel,
        matter_id=report.matter_id,
        township_id=village.township_id,
        village_id=village.id,
        grid_id=report.grid_id,
        latitude=report.latitude,
        longitude=report.longitude,
        description=report.description.strip(),
        photos=list(report.photos),
        reporter_name=report.reporter_name,
        reporter_phone=report.reporter_phone,
        reporter_group=reporter_group,
        reported_by=actor,
        on_behalf=report.channel == "grid",
        received_at=now,
        duplicate_of=_likely_duplicate(report, county=county, now=now, session=session),
        supporting_units=[],
        updated_at=now,
    )
    start_for_row(
        complaint,
        PROCESS_KEY,
        lambda row: {
            "complaint_id": row.id,
            "tracking_code": tracking_code,
            "matter_id": report.matter_id,
            "village_id": village.id,
            "received_at": now.isoformat(),
            "reporter_group": reporter_group,
            "duplicate_of": row.duplicate_of,
            "county": county,
            "text": row.description,
        },
        runtime=runtime,
        now=now,
        actor=actor,
        county=county,
        business_key=tracking_code,
        session=session,
    )
    return complaint
