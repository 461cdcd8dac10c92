"""Intake: check a report field by field, store it, and start its workflow — one step.

Routing happens inside the workflow at once; intake only flags a likely duplicate (same
matter, same village, an open case within the last few days) for the dispatcher.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.catalog_store import CatalogRegistry
from engine.complaints.models import Complaint
from engine.complaints.report_rules import (  # noqa: F401  (the names callers know intake by)
    CHANNELS,
    MAX_DESCRIPTION,
    MAX_REPORTER_NAME,
    check_report,
    text_problem,
)
from engine.core.errors import FieldErrors
from engine.core.row_processes import start_for_row
from engine.core.runtime import Runtime
from responsibility_catalog import select_in_force
from rules import CHINA_TZ

PROCESS_KEY = "complaint"
DUPLICATE_WINDOW = timedelta(days=3)


class ReportRejected(FieldErrors):
    """A report with bad fields; nothing was stored."""


@dataclass(frozen=True)
class ComplaintReport:
    """What a resident (or a grid worker on their behalf) submits."""

    channel: str
    village_id: str
    description: str
    #: ``None``: the dispatcher decides; ``""``: none chosen on a page that asks for one.
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
    #: The township the person chose, if any: the village must lie in it.
    township_id: str | None = None


def new_tracking_code(now: datetime) -> str:
    """Short, unguessable, readable aloud: JL-2603-7KQ9M2XD."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    tail = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"JL-{now.astimezone(CHINA_TZ):%y%m}-{tail}"


def _check(
    report: ComplaintReport,
    registry: CatalogRegistry,
    *,
    county: str,
    now: datetime,
    session: Session,
) -> dict[str, str]:
    catalog = select_in_force(
        registry.in_force(county=county, session=session), now.astimezone(CHINA_TZ).date()
    )
    return check_report(report, catalog)


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
