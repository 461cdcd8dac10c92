"""Schema migrations (ADR 0016): Alembic revisions in ``engine/core/persistence/alembic``.

A database is at a revision when its ``alembic_version`` row says so. The code refuses to work on
a database behind :func:`head_revision` (:class:`SchemaBehind`), so a county that installs a new
release runs ``juhaoban db upgrade`` once, not a half-matching schema for months.

Alembic is configured here in code (no ``alembic.ini`` at run time): the scripts ship inside the
package, and the caller's engine is handed to ``env.py`` through ``Config.attributes``.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

SCRIPTS = Path(__file__).resolve().parent / "alembic"
BASELINE = "0001"
VERSION_TABLE = "alembic_version"
UPGRADE_COMMAND = "juhaoban db upgrade"

# Alembic says "Context impl SQLiteImpl." at INFO each time a context is opened, which every
# process start and every /readyz probe does; the db commands print their own summary.
logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)


class SchemaBehind(Exception):
    """The database is older than the code: nothing may run on it until it is upgraded."""

    def __init__(
        self, current: str | None, head: str, *, unstamped: bool = False, looks_like: str = ""
    ) -> None:
        self.current = current
        self.head = head
        self.unstamped = unstamped
        if unstamped:
            looks_like = looks_like or BASELINE
            then = (
                f"，然后运行 {UPGRADE_COMMAND} 升级到最新版本 {head}" if looks_like != head else ""
            )
            message = (
                "数据库里已有表，但没有迁移版本记录（引入迁移之前用 juhaoban init-db 建的库）。"
                f"它的表与版本 {looks_like} 相符：请先备份数据库，再运行 "
                f"juhaoban db stamp {looks_like} 标记版本{then}"
            )
        else:
            message = (
                f"数据库结构版本 {current} 落后于程序所需的版本 {head}："
                f"请先备份数据库，再运行 {UPGRADE_COMMAND}，然后重新启动"
            )
        super().__init__(message)


class SchemaAhead(Exception):
    """The database was upgraded by a newer release than the code now running."""

    def __init__(self, current: str, head: str) -> None:
        self.current = current
        self.head = head
        super().__init__(
            f"数据库结构版本 {current} 是更新的程序写入的，本程序只认识到 {head}："
            "请安装与数据库相同或更新的版本再启动"
        )


def _writing(engine: Engine) -> Engine:
    """The engine asking SQLite for ``BEGIN IMMEDIATE`` (a web and a worker process starting
    together queue for the write lock instead of both creating tables)."""
    from engine.core.persistence.database import WRITE_INTENT

    return engine.execution_options(**{WRITE_INTENT: True})


# PostgreSQL: processes that create or upgrade the schema at the same moment take turns
# (SQLite's BEGIN IMMEDIATE already does that). Any constant; this one spells "juhaoban".
_SCHEMA_LOCK = 0x6A7568616F62616E


def _serialize(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_SCHEMA_LOCK})")


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.attributes["connection"] = connection
    return config


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    """The revision this code needs (the newest script)."""
    head = _scripts().get_current_head()
    assert head is not None
    return head


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def current_revision(engine: Engine) -> str | None:
    """The revision stamped in the database; ``None`` for an empty or never stamped one."""
    with engine.connect() as connection:
        return _current(connection)


def pending_revisions(engine: Engine) -> list[str]:
    """Revisions between the database and head, oldest first (all of them when unstamped)."""
    current = current_revision(engine)
    scripts = _scripts()
    if current is not None and scripts.get_revision(current) is None:
        raise SchemaAhead(current, head_revision())
    pending = [script.revision for script in scripts.iterate_revisions("head", current)]
    return list(reversed(pending))


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the revisions up to ``revision`` in one transaction (PostgreSQL and SQLite both
    have transactional DDL, so a failed upgrade leaves the database as it was)."""
    with _writing(engine).begin() as connection:
        _serialize(connection)
        command.upgrade(_config(connection), revision)


def stamp(engine: Engine, revision: str) -> None:
    """Record ``revision`` as the database's version without running anything."""
    with _writing(engine).begin() as connection:
        _serialize(connection)
        command.stamp(_config(connection), revision)


def history() -> list[tuple[str, str | None, str]]:
    """Every revision, oldest first: (revision, its parent, its Chinese summary)."""
    return [
        (
            script.revision,
            script.down_revision,  # type: ignore[misc]  # history is linear: one parent or none
            getattr(script.module, "summary", None) or script.doc or "",
        )
        for script in reversed(list(_scripts().walk_revisions()))
    ]


def has_tables(connection: Connection) -> bool:
    return bool(set(inspect(connection).get_table_names()) - {VERSION_TABLE})


def check_at_head(engine: Engine) -> None:
    """Raise :class:`SchemaBehind` (or :class:`SchemaAhead`) unless the database is at head."""
    with engine.connect() as connection:
        current = _current(connection)
        unstamped = current is None and has_tables(connection)
    head = head_revision()
    if current == head:
        return
    if current is not None and _scripts().get_revision(current) is None:
        raise SchemaAhead(current, head)
    if unstamped:
        raise SchemaBehind(None, head, unstamped=True, looks_like=_looks_like(engine))
    raise SchemaBehind(current, head)


def _looks_like(engine: Engine) -> str:
    """Which revision unstamped tables match: head when nothing differs from the models
    (built by ``init-db`` after the last revision), else the baseline."""
    from alembic.autogenerate import compare_metadata

    from engine.core.persistence.base import Base
    from engine.core.persistence.database import load_models

    load_models()
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    return head_revision() if not differences else BASELINE


def prepare(engine: Engine) -> None:
    """Make a database ready for this code: an empty one is created at head; one at head is
    left alone; anything else raises :class:`SchemaBehind` naming ``juhaoban db upgrade``.

    An empty database is built by ``create_all`` and stamped head (Alembic's recipe for new
    databases; fast, which the tests need). tests/engine/test_migrations.py keeps that honest:
    ``upgrade head`` from empty builds the same schema on SQLite and PostgreSQL.
    """
    from engine.core.persistence.database import create_all

    with _writing(engine).begin() as connection:
        _serialize(connection)
        if _current(connection) is None and not has_tables(connection):
            create_all(connection)
            MigrationContext.configure(connection).stamp(_scripts(), "head")
            return
    check_at_head(engine)
