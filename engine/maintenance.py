"""Database housekeeping the scheduler runs (SQLite needs statistics for its query planner)."""

from __future__ import annotations

import shutil
import time
from datetime import datetime
from pathlib import Path

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


PENDING_PHOTOS_DIR = "pending"  # web.uploads.PENDING_DIR: the engine does not import the web
PENDING_PHOTOS_MAX_AGE_S = 24 * 3600


def forget_pending_photos(
    uploads_dir: Path, *, now: float | None = None, max_age_s: float = PENDING_PHOTOS_MAX_AGE_S
) -> int:
    """Remove the photos of refused report forms nobody came back to within ``max_age_s``
    (a folder per form, its age that of its newest file). Wall-clock time: the files carry
    it. Returns how many folders were removed."""
    root = uploads_dir / PENDING_PHOTOS_DIR
    if not root.is_dir():
        return 0
    now = time.time() if now is None else now
    removed = 0
    for folder in root.iterdir():
        if not folder.is_dir() or folder.is_symlink():
            continue
        newest = max((p.stat().st_mtime for p in folder.iterdir()), default=folder.stat().st_mtime)
        if now - newest > max_age_s:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
