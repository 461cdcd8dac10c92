"""Engine and session factory: one ``sessionmaker`` beside the engine; callers own transactions."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from engine.core.persistence.base import Base

WRITE_INTENT = "juhaoban_write_intent"
# Execution options of a transaction that will write. Typed as a plain mapping because
# SQLAlchemy's typed options know only SQLAlchemy's own keys.
WRITE_INTENT_OPTIONS: Mapping[str, Any] = {WRITE_INTENT: True}


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and single-writer transactions.

    SQLite has no row locks: a transaction that will write asks for ``BEGIN IMMEDIATE``
    (execution option :data:`WRITE_INTENT`, set by :func:`engine.core.transactions.run_step`) so
    writers queue instead of failing half-way with a stale snapshot; readers use a plain
    ``BEGIN`` and never block behind a writer (WAL).
    """
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {}).update({"timeout": 30, "check_same_thread": False})
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA busy_timeout=30000")
            if ":memory:" not in url and url != "sqlite://":
                _wal(cursor)
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
            cursor.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT_BYTES}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            immediate = conn.get_execution_options().get(WRITE_INTENT)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


WAL_ATTEMPTS = 50
# A step rewrites the same pages again and again (its instance's state, the indexes' upper
# levels); each checkpoint copies a page once however often it changed since the last, and
# syncs the file once. SQLite's default (1,000 pages, ~4 MB) checkpointed every ~100 steps;
# at 10,000 pages a step costs ~15 % less (ADR 0023), and a checkpoint, when it comes, copies
# up to ~40 MB. The WAL file is cut back to the size limit after each checkpoint.
WAL_CHECKPOINT_PAGES = 10_000
WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024


def _wal(cursor: Any) -> None:
    """Switch a database file to WAL (it stays so). Switching needs the file to itself, and
    SQLite answers "database is locked" at once, without its busy handler, while another
    connection holds a transaction — as when a web process and a worker start together on a
    new database and one is already creating the tables. Such a switch is waited out."""
    for attempt in range(WAL_ATTEMPTS):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or attempt == WAL_ATTEMPTS - 1:
                raise
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                return  # the other connection switched it already
            time.sleep(0.02 * (attempt + 1))


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def load_models() -> None:
    """Import every module that declares tables, so ``Base.metadata`` holds the whole schema.
    The core's own tables are here; the domains' tables are known only by the module names they
    registered (:func:`engine.core.persistence.table_registry.register_tables`), so the core
    imports no domain."""
    from engine.core.persistence import models  # noqa: F401  (registers the tables)
    from engine.core.persistence.table_registry import import_registered

    import_registered()


def create_all(connection: Connection) -> None:
    """The head schema by ``create_all`` (with the triggers of the ``after_create`` hooks).
    Only for an empty database that is stamped head at once: see :func:`create_schema`."""
    load_models()
    Base.metadata.create_all(connection)


def create_schema(engine: Engine) -> None:
    """Make the database ready for this code (idempotent): an empty one gets the head schema
    (stamped head); one at head is left alone; one behind head raises
    :class:`engine.core.persistence.migrations.SchemaBehind` (``juhaoban db upgrade`` fixes it)."""
    from engine.core.persistence.migrations import prepare

    prepare(engine)


def drop_schema(engine: Engine) -> None:
    load_models()
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP FUNCTION IF EXISTS audit_event_append_only() CASCADE"))
            conn.execute(text("DROP FUNCTION IF EXISTS catalog_version_frozen() CASCADE"))
