"""Reads for reporters: a complaint by tracking code, my reports, and the public steps of a
case (what anyone holding the tracking code may see: no names, phones or staff accounts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.complaints.models import Complaint, ComplaintStage
from engine.people import Account

MINE_LIMIT = 200


@dataclass(frozen=True)
class PublicStep:
    """One step of a case as the public tracking page tells it.

    :param unit: a unit id (or ``dispatcher``) the page turns into a name; never a person.
    """

    at: datetime
    label: str
    unit: str | None = None


def normalise_code(code: str) -> str:
    return "".join(code.split()).upper()


def by_tracking_code(code: str, *, county: str, session: Session) -> Complaint | None:
    """The complaint with this tracking code in this county, or ``None`` (same answer for a
    code that exists elsewhere)."""
    code = normalise_code(code)
    if not code:
        return None
    return session.scalar(
        select(Complaint).where(Complaint.county == county, Complaint.tracking_code == code)
    )


def reports_of(account: Account, *, session: Session, limit: int = MINE_LIMIT) -> list[Complaint]:
    """A resident's own reports; a grid worker's reports of their grids and those they made."""
    if account.role == "resident":
        condition = Complaint.reporter_group == f"reporter:{account.username}"
    elif account.role == "grid_worker":
        mine = f"grid:{account.username}"
        parts = [Complaint.reporter_group == mine, Complaint.reported_by == mine]
        if account.grids:
            parts.append(Complaint.grid_id.in_(list(account.grids)))
        condition = or_(*parts)
    else:
        return []
    return list(
        session.scalars(
            select(Complaint)
            .where(Complaint.county == account.county, condition)
            .order_by(Complaint.received_at.desc(), Complaint.id.desc())
            .limit(limit)
        )
    )


def stages_of(complaint_id: int, *, session: Session) -> list[ComplaintStage]:
    return list(
        session.scalars(
            select(ComplaintStage)
            .where(ComplaintStage.complaint_id == complaint_id)
            .order_by(ComplaintStage.started_at, ComplaintStage.id)
        )
    )


def public_steps(complaint: Complaint, stages: list[ComplaintStage]) -> list[PublicStep]:
    """Received, routed to which unit, signed for, replied, closed — with their dates.

    Return reasons, staff accounts and reporter groups stay out: only unit ids are kept.
    """
    steps = [PublicStep(complaint.received_at, "诉求已受理")]
    seen_consultation = False
    last_unit: str | None = None
    for stage in stages:
        if stage.stage == "jurisdiction":
            steps.append(PublicStep(stage.started_at, "调度中心正在确定承办单位", "dispatcher"))
        elif stage.stage == "sign_for":
            last_unit = stage.unit
            steps.append(PublicStep(stage.started_at, "已派至承办单位", stage.unit))
        elif stage.stage == "handle":
            last_unit = stage.unit
            steps.append(PublicStep(stage.started_at, "承办单位已签收，正在办理", stage.unit))
        elif stage.stage == "contested":
            steps.append(PublicStep(stage.started_at, "调度中心复核管辖", "dispatcher"))
        elif stage.stage == "consultation" and not seen_consultation:
            seen_consultation = True
            steps.append(PublicStep(stage.started_at, "提请联席会商确定承办单位"))
        elif stage.stage == "listed":
            steps.append(PublicStep(stage.started_at, "纳入挂账督办，定期跟进", stage.unit))
        elif stage.stage == "callback":
            steps.append(PublicStep(stage.started_at, "承办单位已答复，等待评价", last_unit))
            if stage.ended_at and stage.outcome == "completed":
                steps.append(PublicStep(stage.ended_at, "诉求人已评价"))
    if complaint.closed_at is not None:
        label = {"merged": "已与同一问题合并办理", "invalid": "已作废"}.get(
            complaint.closure_kind or "", "已办结"
        )
        steps.append(PublicStep(complaint.closed_at, label))
    return steps
