"""Published figures that never change: monthly red/black lists and analysis reports.

A snapshot is written once per ``(county, kind, period_key)`` with the case ids behind each
of its figures; database triggers refuse UPDATE and DELETE on both tables (as for the audit
log), so what a unit was told on publication day is what anyone reads later. See ADR 0007.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DDL, ForeignKey, Index, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from engine.core.persistence.base import Base, CountyKey
from engine.core.persistence.types import UtcDateTime


class AnalyticsSnapshot(Base):
    __tablename__ = "analytics_snapshot"
    __table_args__ = (UniqueConstraint("county", "kind", "period_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    kind: Mapped[str] = mapped_column(String(16))  # "ranking" or "report"
    period_key: Mapped[str] = mapped_column(String(32))
    period_start: Mapped[datetime] = mapped_column(UtcDateTime)
    period_end: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(128))
    data: Mapped[dict[str, Any]]


class SnapshotCase(Base):
    """One case behind one figure of one unit: ``hit`` says whether it counted for the unit
    (closed, on time, satisfied ...) or only in the denominator."""

    __tablename__ = "analytics_snapshot_case"
    __table_args__ = (Index("ix_snapshot_case_figure", "snapshot_id", "unit", "figure"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("analytics_snapshot.id"))
    unit: Mapped[str] = mapped_column(String(64))
    figure: Mapped[str] = mapped_column(String(16))
    complaint_id: Mapped[int]
    hit: Mapped[int]  # 1 or 0 (an integer so INSERT … SELECT works on every database)


def _freeze(table_name: str) -> None:
    table = Base.metadata.tables[table_name]
    for op in ("UPDATE", "DELETE"):
        event.listen(
            table,
            "after_create",
            DDL(
                f"CREATE TRIGGER {table_name}_no_{op.lower()} BEFORE {op} ON {table_name} "
                "BEGIN SELECT RAISE(ABORT, 'published snapshots never change'); END"
            ).execute_if(dialect="sqlite"),
        )
    event.listen(
        table,
        "after_create",
        DDL(
            f"CREATE OR REPLACE FUNCTION {table_name}_frozen() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'published snapshots never change'; END $$ LANGUAGE plpgsql; "
            f"CREATE TRIGGER {table_name}_frozen BEFORE UPDATE OR DELETE ON {table_name} "
            f"FOR EACH ROW EXECUTE FUNCTION {table_name}_frozen()"
        ).execute_if(dialect="postgresql"),
    )


_freeze("analytics_snapshot")
_freeze("analytics_snapshot_case")
