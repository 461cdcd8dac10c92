"""Service requests as Open311 sees them: lists by id, code, dates and status; public updates.
Each read opens its own session and returns frozen copies (complaints as ComplaintRecord)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.complaints.models import Complaint, ComplaintStage
from engine.complaints.read_models.records import ComplaintRecord
from engine.complaints.report_queries import PublicStep, public_steps
from engine.core.host import WorkflowHost
from engine.open311.models import Open311Submission

MAX_RESULTS = 1000


@dataclass(frozen=True)
class RequestRecord:
    complaint: ComplaintRecord
    media_url: str | None
    steps: list[PublicStep]


def _records(complaints: Sequence[Complaint], session: Session) -> list[RequestRecord]:
    ids = [c.id for c in complaints]
    if not ids:
        return []
    media = dict(
        session.execute(
            select(Open311Submission.complaint_id, Open311Submission.media_url).where(
                Open311Submission.complaint_id.in_(ids)
            )
        ).all()
    )
    stages: dict[int, list[ComplaintStage]] = {i: [] for i in ids}
    for stage in session.scalars(
        select(ComplaintStage)
        .where(ComplaintStage.complaint_id.in_(ids))
        .order_by(ComplaintStage.started_at, ComplaintStage.id)
    ):
        stages[stage.complaint_id].append(stage)
    return [
        RequestRecord(ComplaintRecord.of(c), media.get(c.id), public_steps(c, stages[c.id]))
        for c in complaints
    ]


def by_codes(host: WorkflowHost, codes: Sequence[str], *, county: str) -> list[RequestRecord]:
    """The requests with these tracking codes in ``county``, in the order asked."""
    with host.session_factory() as session:
        found = session.scalars(
            select(Complaint).where(
                Complaint.county == county, Complaint.tracking_code.in_(list(codes)[:MAX_RESULTS])
            )
        ).all()
        order = {code: i for i, code in enumerate(codes)}
        return _records(sorted(found, key=lambda c: order[c.tracking_code]), session)


def search(
    host: WorkflowHost,
    *,
    county: str,
    start: datetime,
    end: datetime,
    service_codes: Sequence[str] = (),
    statuses: Sequence[str] = (),
) -> list[RequestRecord]:
    """Requests received in [start, end], newest first, at most ``MAX_RESULTS``."""
    stmt = select(Complaint).where(
        Complaint.county == county,
        Complaint.received_at >= start,
        Complaint.received_at <= end,
    )
    if service_codes:
        stmt = stmt.where(Complaint.matter_id.in_(list(service_codes)))
    if statuses:
        stmt = stmt.where(Complaint.status.in_(list(statuses)))
    with host.session_factory() as session:
        rows = session.scalars(
            stmt.order_by(Complaint.received_at.desc(), Complaint.id.desc()).limit(MAX_RESULTS)
        ).all()
        return _records(rows, session)


@dataclass(frozen=True)
class RequestUpdate:
    update_id: str
    record: RequestRecord
    step: PublicStep
    status: str


def updates(
    host: WorkflowHost, *, county: str, start: datetime, end: datetime
) -> list[RequestUpdate]:
    """Public steps that happened in [start, end], oldest first (the servicerequestupdates
    extension). A step's status is "closed" only for the closing step."""
    with host.session_factory() as session:
        touched = session.scalars(
            select(Complaint)
            .where(Complaint.county == county, Complaint.updated_at >= start)
            .order_by(Complaint.updated_at)
            .limit(MAX_RESULTS)
        ).all()
        records = _records(touched, session)
    found: list[RequestUpdate] = []
    for record in records:
        for index, step in enumerate(record.steps):
            if start <= step.at <= end:
                closing = record.complaint.closed_at is not None and index == len(record.steps) - 1
                found.append(
                    RequestUpdate(
                        f"{record.complaint.tracking_code}-{index + 1}",
                        record,
                        step,
                        "closed" if closing else "open",
                    )
                )
    found.sort(key=lambda u: (u.step.at, u.update_id))
    return found[:MAX_RESULTS]
