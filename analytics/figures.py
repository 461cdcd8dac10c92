"""The facts behind each red/black list figure, as SQL.

Each figure is one query yielding ``(unit, complaint_id, hit)`` rows for a period. The same
query is aggregated (``GROUP BY unit``) for the list and copied (``INSERT … SELECT``) into the
snapshot's drill-down, so a figure and the cases shown behind it cannot disagree (ADR 0007).
Definitions, for a period ``[start, end)``:

- reporting: valid reports located in a township (not merged, not invalid); the list divides
  them by the township's grid workers.
- completion: cases received in the period whose primary unit is the unit; hit = closed as
  done before the period ended (办结率).
- response: sign-for stages of the unit that ended in the period, plus those still open when
  the list is computed that were already due before the period ended; hit = signed for (or
  returned) in time — the frozen ``on_time`` flag.
- on_time: the same over handling stages.
- satisfaction: ratings of the unit's cases closed in the period (no answer is not a rating);
  hit = satisfied or basically satisfied.
- overturned: the unit's returns the dispatcher ruled on in the period; hit = the ruling sent
  the case back to the same unit (the return was wrong).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, and_, case, exists, literal, or_, select
from sqlalchemy.orm import aliased

from engine.complaints.models import Complaint, ComplaintStage

VALID_CLOSURES = ("merged", "invalid")
GOOD_RATINGS = ("satisfied", "basic")
RATINGS = ("satisfied", "basic", "unsatisfied")


def _one(condition) -> object:
    return case((condition, 1), else_=0)


def valid_complaint(county: str) -> object:
    return and_(
        Complaint.county == county,
        Complaint.valid.is_(True),
        or_(Complaint.closure_kind.is_(None), Complaint.closure_kind.not_in(VALID_CLOSURES)),
    )


def received_in(start: datetime, end: datetime) -> object:
    return and_(Complaint.received_at >= start, Complaint.received_at < end)


def reporting(county: str, start: datetime, end: datetime) -> Select:
    return select(
        Complaint.township_id.label("unit"),
        Complaint.id.label("complaint_id"),
        literal(1).label("hit"),
    ).where(valid_complaint(county), received_in(start, end))


def completion(county: str, start: datetime, end: datetime) -> Select:
    closed = and_(
        Complaint.status == "closed",
        Complaint.closure_kind == "done",
        Complaint.closed_at < end,
    )
    return select(
        Complaint.primary_unit.label("unit"),
        Complaint.id.label("complaint_id"),
        _one(closed).label("hit"),
    ).where(valid_complaint(county), received_in(start, end), Complaint.primary_unit.is_not(None))


def _stages(stage: str, county: str, start: datetime, end: datetime) -> Select:
    s = ComplaintStage
    ended_in = and_(s.outcome == "completed", s.ended_at >= start, s.ended_at < end)
    still_open_late = and_(s.ended_at.is_(None), s.started_at < end, s.due_at < end)
    return select(
        s.unit.label("unit"),
        s.complaint_id.label("complaint_id"),
        _one(and_(ended_in, s.on_time.is_(True))).label("hit"),
    ).where(
        s.county == county,
        s.stage == stage,
        s.unit.is_not(None),
        or_(ended_in, still_open_late),
    )


def response(county: str, start: datetime, end: datetime) -> Select:
    return _stages("sign_for", county, start, end)


def on_time(county: str, start: datetime, end: datetime) -> Select:
    return _stages("handle", county, start, end)


def satisfaction(county: str, start: datetime, end: datetime) -> Select:
    return select(
        Complaint.primary_unit.label("unit"),
        Complaint.id.label("complaint_id"),
        _one(Complaint.satisfaction.in_(GOOD_RATINGS)).label("hit"),
    ).where(
        Complaint.county == county,
        Complaint.closed_at >= start,
        Complaint.closed_at < end,
        Complaint.satisfaction.in_(RATINGS),
        Complaint.primary_unit.is_not(None),
    )


def overturned(county: str, start: datetime, end: datetime) -> Select:
    """A return is the unit's sign-for stage completed in the same step that opened the
    dispatcher's ruling; the ruling sent it back when the next sign-for stage, opened in the
    step that ended the ruling, is the same unit's."""
    returned, ruling, again = (aliased(ComplaintStage) for _ in range(3))
    # Stage ids grow with time: they order stages opened in the same instant.
    sent_back = exists().where(
        again.complaint_id == returned.complaint_id,
        again.stage == "sign_for",
        again.unit == returned.unit,
        again.started_at == ruling.ended_at,
        again.id > ruling.id,
    )
    return (
        select(
            returned.unit.label("unit"),
            returned.complaint_id.label("complaint_id"),
            _one(sent_back).label("hit"),
        )
        .join(
            ruling,
            and_(
                ruling.complaint_id == returned.complaint_id,
                ruling.stage == "contested",
                ruling.started_at == returned.ended_at,
                ruling.id > returned.id,
            ),
        )
        .where(
            # Rulings of the period first (a range of the stage index), then their returns:
            # without this the planner may walk every sign-for stage of the county.
            returned.complaint_id.in_(
                select(ComplaintStage.complaint_id).where(
                    ComplaintStage.county == county,
                    ComplaintStage.stage == "contested",
                    ComplaintStage.ended_at >= start,
                    ComplaintStage.ended_at < end,
                )
            ),
            returned.county == county,
            returned.stage == "sign_for",
            returned.outcome == "completed",
            returned.unit.is_not(None),
            ruling.outcome == "completed",
            ruling.ended_at >= start,
            ruling.ended_at < end,
        )
    )


FACTS = {
    "reporting": reporting,
    "completion": completion,
    "response": response,
    "on_time": on_time,
    "satisfaction": satisfaction,
    "overturned": overturned,
}
