"""The cases behind a figure, a page at a time: behind a heat-map filter, or behind one
unit's figure of a published list (with whether each case counted for the unit)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from analytics.heatmap import HeatFilter
from engine.complaints import ComplaintRecord
from engine.complaints.models import Complaint
from engine.core import WorkflowHost
from engine.snapshots import SnapshotCase


@dataclass(frozen=True)
class CasePage:
    total: int
    rows: list[ComplaintRecord]
    hits: dict[int, bool] = field(default_factory=dict)  # complaint id → counted for the unit


def heat_cases(
    host: WorkflowHost, *, county: str, heat: HeatFilter, page: int, per_page: int
) -> CasePage:
    """The filter's cases, the latest received first."""
    conditions = heat.conditions(county)
    with host.session_factory() as session:
        total = session.scalar(select(func.count()).select_from(Complaint).where(*conditions))
        rows = session.scalars(
            select(Complaint)
            .where(*conditions)
            .order_by(Complaint.received_at.desc(), Complaint.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        return CasePage(int(total or 0), [ComplaintRecord.of(row) for row in rows])


def figure_cases(
    host: WorkflowHost,
    *,
    snapshot_id: int,
    unit: str,
    figure: str,
    only: str | None,
    page: int,
    per_page: int,
) -> CasePage:
    """The cases behind one unit's figure, in the order received; ``only`` "hit" or "miss"
    keeps those that counted for the unit or those that did not."""
    where = [
        SnapshotCase.snapshot_id == snapshot_id,
        SnapshotCase.unit == unit,
        SnapshotCase.figure == figure,
    ]
    if only in ("hit", "miss"):
        where.append(SnapshotCase.hit == (1 if only == "hit" else 0))
    with host.session_factory() as session:
        total = session.scalar(
            select(func.count(func.distinct(SnapshotCase.complaint_id))).where(*where)
        )
        found = session.execute(
            select(Complaint, func.max(SnapshotCase.hit))
            .join(SnapshotCase, SnapshotCase.complaint_id == Complaint.id)
            .where(*where)
            .group_by(Complaint.id)
            .order_by(Complaint.received_at, Complaint.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).all()
        return CasePage(
            int(total or 0),
            [ComplaintRecord.of(c) for c, _ in found],
            {c.id: bool(h) for c, h in found},
        )
