"""Database housekeeping the scheduler runs (SQLite needs statistics for its query planner)."""

from __future__ import annotations

from sqlalchemy import Engine, text


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
