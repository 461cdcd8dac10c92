"""Today's numbers for the leaders' dashboard (Beijing day)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analytics.figures import received_in, valid_complaint
from analytics.periods import Period, local_date
from engine.complaints.console_queries import count_overdue
from engine.complaints.models import Complaint, ComplaintStage


@dataclass(frozen=True)
class Today:
    received: int
    routed_auto: int  # by the catalog, no dispatcher involved
    routed_by_hand: int  # decided by the dispatcher (a jurisdiction stage)
    unrouted: int  # still waiting for the dispatcher
    open: int
    overdue: int
    contested: int
    avg_dispatch_minutes: float | None  # received → first sign-for task, today's reports


def today(*, county: str, now: datetime, session: Session) -> Today:
    day = local_date(now)
    start = Period(day, day).start
    c, s = Complaint, ComplaintStage
    todays = (c.county == county, c.received_at >= start, c.received_at <= now)
    by_hand_ids = select(s.complaint_id).where(s.county == county, s.stage == "jurisdiction")
    received, routed, by_hand = session.execute(
        select(
            func.count(),
            func.count(c.primary_unit),
            func.count(c.primary_unit).filter(c.id.in_(by_hand_ids)),
        ).where(*todays)
    ).one()
    open_count = session.scalar(
        select(func.count()).select_from(c).where(c.county == county, c.status == "open")
    )
    contested = session.scalar(
        select(func.count())
        .select_from(c)
        .where(c.county == county, c.status == "open", c.stage.in_(("contested", "consultation")))
    )
    # Today's reports only (a few hundred rows): the first sign-for task of each.
    first_dispatch = session.execute(
        select(c.received_at, func.min(s.started_at))
        .join(s, (s.complaint_id == c.id) & (s.stage == "sign_for"))
        .where(*todays)
        .group_by(c.id, c.received_at)
    ).all()
    waits = [(dispatched - received_at) for received_at, dispatched in first_dispatch]
    average = round(sum(waits, timedelta()).total_seconds() / 60 / len(waits), 1) if waits else None
    return Today(
        received=int(received),
        routed_auto=int(routed) - int(by_hand),
        routed_by_hand=int(by_hand),
        unrouted=int(received) - int(routed),
        open=int(open_count),
        overdue=count_overdue(county=county, now=now, session=session),
        contested=int(contested),
        avg_dispatch_minutes=average,
    )


def recent_days(
    *, county: str, now: datetime, session: Session, days: int = 14
) -> list[dict[str, object]]:
    """Valid reports received and cases closed on each of the last ``days`` Beijing days
    (today so far included): two counts per day over the period indexes."""
    today = local_date(now)
    out = []
    for back in range(days - 1, -1, -1):
        day = today - timedelta(days=back)
        span = Period(day, day)
        received = session.scalar(
            select(func.count())
            .select_from(Complaint)
            .where(valid_complaint(county), received_in(span.start, span.end))
        )
        closed = session.scalar(
            select(func.count())
            .select_from(Complaint)
            .where(
                Complaint.county == county,
                Complaint.closed_at >= span.start,
                Complaint.closed_at < span.end,
                Complaint.closure_kind == "done",
            )
        )
        out.append({"day": f"{day:%m-%d}", "received": int(received), "closed": int(closed)})
    return out
