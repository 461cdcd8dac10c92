"""SQLite's write-ahead log: checkpointed every ~40 MB rather than SQLite's ~4 MB (a step
rewrites the same pages; ADR 0023), and never left larger than its size limit."""

from __future__ import annotations

import os

from sqlalchemy import text

from engine.core.persistence import make_engine
from engine.core.persistence.database import WAL_CHECKPOINT_PAGES, WAL_SIZE_LIMIT_BYTES


def test_the_log_grows_to_the_checkpoint_size_and_no_further(tmp_path):
    path = tmp_path / "wal.sqlite"
    db = make_engine(f"sqlite:///{path}")
    wal = f"{path}-wal"
    with db.begin() as connection:
        connection.execute(text("CREATE TABLE payload (id INTEGER PRIMARY KEY, body BLOB)"))
        page_size = connection.execute(text("PRAGMA page_size")).scalar()
    checkpoint_bytes = WAL_CHECKPOINT_PAGES * page_size
    sizes = []
    body = os.urandom(3000)
    for batch in range(0, 2 * WAL_CHECKPOINT_PAGES, 200):  # ~two checkpoints' worth of pages
        with db.begin() as connection:
            connection.execute(
                text("INSERT INTO payload (id, body) VALUES (:id, :body)"),
                [{"id": batch + n, "body": body} for n in range(200)],
            )
        sizes.append(os.path.getsize(wal))
    db.dispose()
    assert max(sizes) > 4 * 1000 * page_size  # SQLite's default would have checkpointed
    # Twice that was written: the log was checkpointed and reused, one batch past the mark.
    assert max(sizes) <= checkpoint_bytes + 300 * page_size
    assert max(sizes) <= WAL_SIZE_LIMIT_BYTES
