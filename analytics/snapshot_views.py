"""Published snapshots (red/black lists, analysis reports) as pages read them: frozen
copies, so a page never holds a database row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from engine.core import WorkflowHost
from engine.snapshots import AnalyticsSnapshot


@dataclass(frozen=True)
class SnapshotView:
    id: int
    county: str
    kind: str  # "ranking" or "report"
    period_key: str
    period_start: datetime
    period_end: datetime
    created_at: datetime
    created_by: str
    data: dict[str, Any]

    @classmethod
    def of(cls, row: AnalyticsSnapshot) -> SnapshotView:
        return cls(
            id=row.id,
            county=row.county,
            kind=row.kind,
            period_key=row.period_key,
            period_start=row.period_start,
            period_end=row.period_end,
            created_at=row.created_at,
            created_by=row.created_by,
            data=row.data,
        )


def _newest_first(county: str, kind: str) -> Any:
    return (
        select(AnalyticsSnapshot)
        .where(AnalyticsSnapshot.county == county, AnalyticsSnapshot.kind == kind)
        .order_by(AnalyticsSnapshot.period_start.desc(), AnalyticsSnapshot.id.desc())
    )


def snapshot_view(host: WorkflowHost, snapshot_id: int) -> SnapshotView | None:
    with host.session_factory() as session:
        row = session.get(AnalyticsSnapshot, snapshot_id)
        return SnapshotView.of(row) if row is not None else None


def snapshot_views(host: WorkflowHost, *, county: str, kind: str) -> list[SnapshotView]:
    """The county's published snapshots of a kind, the latest period first."""
    with host.session_factory() as session:
        return [SnapshotView.of(row) for row in session.scalars(_newest_first(county, kind))]


def latest_snapshot(host: WorkflowHost, *, county: str, kind: str) -> SnapshotView | None:
    with host.session_factory() as session:
        row = session.scalar(_newest_first(county, kind).limit(1))
        return SnapshotView.of(row) if row is not None else None
