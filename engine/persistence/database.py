"""Engine and session factory: one ``sessionmaker`` beside the engine; callers own transactions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from engine.persistence.base import Base

WRITE_INTENT = "juhaoban_write_intent"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and single-writer transactions.

    SQLite has no row locks: a transaction that will write asks for ``BEGIN IMMEDIATE``
    (execution option :data:`WRITE_INTENT`, set by :func:`engine.transactions.run_step`) so
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
            if ":memory:" not in url and url != "sqlite://":
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            immediate = conn.get_execution_options().get(WRITE_INTENT)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def load_models() -> None:
    """Import every module that declares tables, so ``Base.metadata`` holds the whole schema."""
    from engine import snapshots  # noqa: F401
    from engine.agri import models as agri_models  # noqa: F401
    from engine.catalog_revision import models as revision_models  # noqa: F401
    from engine.complaints import idempotency  # noqa: F401
    from engine.complaints import models as complaint_models  # noqa: F401
    from engine.intake import tables as intake_tables  # noqa: F401
    from engine.open311 import models as open311_models  # noqa: F401
    from engine.people import models as people_models  # noqa: F401
    from engine.persistence import models  # noqa: F401  (registers the tables)


def create_all(connection: Connection) -> None:
    """The head schema by ``create_all`` (with the triggers of the ``after_create`` hooks).
    Only for an empty database that is stamped head at once: see :func:`create_schema`."""
    load_models()
    Base.metadata.create_all(connection)


def create_schema(engine: Engine) -> None:
    """Make the database ready for this code (idempotent): an empty one gets the head schema
    (stamped head); one at head is left alone; one behind head raises
    :class:`engine.persistence.migrations.SchemaBehind` (``juhaoban db upgrade`` fixes it)."""
    from engine.persistence.migrations import prepare

    prepare(engine)


def drop_schema(engine: Engine) -> None:
    load_models()
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP FUNCTION IF EXISTS audit_event_append_only() CASCADE"))
            conn.execute(text("DROP FUNCTION IF EXISTS catalog_version_frozen() CASCADE"))
