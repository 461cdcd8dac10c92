"""The cases behind a figure, a page at a time: behind a heat-map filter, or behind one
unit's figure of a published list (with whether each case counted for the unit)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from analytics.heatmap import HeatFilter
from engine.complaints.models import Complaint
from engine.core import WorkflowHost
from engine.snapshots import SnapshotCase


@dataclass(frozen=True)
class CaseRow:
    """What a case list shows of a complaint (its row's field names)."""

    id: int
    tracking_code: str
    matter_id: str | None
    matter_name: str | None
    description: str
    village_id: str
    received_at: datetime
    primary_unit: str | None
    stage: str
    status: str
    overdue: bool
    extension_count: int
    return_count: int
    reopen_count: int

    @classmethod
    def of(cls, row: Complaint) -> CaseRow:
        return cls(
            id=row.id,
            tracking_code=row.tracking_code,
            matter_id=row.matter_id,
            matter_name=row.matter_name,
            description=row.description,
            village_id=row.village_id,
            received_at=row.received_at,
            primary_unit=row.primary_unit,
            stage=row.stage,
            status=row.status,
            overdue=row.overdue,
            extension_count=row.extension_count,
            return_count=row.return_count,
            reopen_count=row.reopen_count,
        )


@dataclass(frozen=True)
class CasePage:
    total: int
    rows: list[CaseRow]
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
        return CasePage(int(total or 0), [CaseRow.of(row) for row in rows])


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
            [CaseRow.of(c) for c, _ in found],
            {c.id: bool(h) for c, h in found},
        )
