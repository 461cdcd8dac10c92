"""Database housekeeping the scheduler runs (SQLite needs statistics for its query planner)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from engine.complaints.idempotency import purge_expired


def optimize_database(engine: Engine) -> None:
    """Refresh planner statistics: without them SQLite picks indexes by their shape alone
    (e.g. scans every open complaint to count a few likely duplicates). ``analysis_limit``
    keeps ANALYZE to a sample, so the job stays cheap on a big database. PostgreSQL's
    autovacuum already keeps statistics, so nothing is done there."""
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA analysis_limit=1000")
        connection.execute(text("ANALYZE"))


def forget_expired_keys(session_factory: sessionmaker[Session], *, now: datetime) -> int:
    """Delete idempotency keys past their time (ADR 0015); intake already ignores them, this
    keeps the table small. Returns how many were deleted."""
    with session_factory.begin() as session:
        return purge_expired(now=now, session=session)
