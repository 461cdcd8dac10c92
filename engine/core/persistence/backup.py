"""``juhaoban backup``: the database and the uploads, consistent and checkable, in one file.

SQLite is copied with its online backup API (a consistent copy while the server writes);
PostgreSQL is dumped by ``pg_dump --format=custom`` reading a snapshot exported from a
repeatable-read transaction, and the row counts in the manifest are taken in that same
snapshot, so they describe exactly the dump. The archive is written beside the target and
renamed into place: a failed backup never leaves a half file under the name asked for.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.engine import make_url

from engine.core.persistence import pg_client
from engine.core.persistence.backup_archive import (
    PG_MEMBER,
    SQLITE_MEMBER,
    UPLOADS_PREFIX,
    BackupError,
    Manifest,
    write_archive,
)
from engine.core.persistence.database import make_engine
from engine.core.persistence.migrations import current_revision


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    manifest: Manifest
    size: int


def table_counts(connection: Connection, schema: str | None = None) -> dict[str, int]:
    """Rows per table (every table the database has, not only the ones this code knows)."""
    preparer = connection.dialect.identifier_preparer
    counts = {}
    for table in sorted(inspect(connection).get_table_names(schema=schema)):
        name = preparer.quote(table)
        if schema is not None:
            name = f"{preparer.quote_schema(schema)}.{name}"
        counts[table] = int(connection.execute(text(f"SELECT count(*) FROM {name}")).scalar_one())
    return counts


def sqlite_path(database_url: str) -> Path:
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise BackupError("内存中的 SQLite 数据库无法备份或恢复：请配置数据库文件")
    return Path(database)


def create_backup(
    database_url: str, uploads_dir: Path, target: Path, *, now: datetime
) -> BackupSummary:
    """Write the backup archive ``target`` (refusing to overwrite an existing file)."""
    if target.exists():
        raise BackupError(f"备份文件 {target} 已存在：请换一个文件名（不会覆盖已有备份）")
    if not target.parent.is_dir():
        raise BackupError(f"备份目录 {target.parent} 不存在")
    with tempfile.TemporaryDirectory(prefix=".juhaoban-backup-", dir=target.parent) as work:
        workdir = Path(work)
        engine = make_engine(database_url)
        try:
            if engine.dialect.name == "sqlite":
                manifest, dump, member = _sqlite(engine, database_url, workdir, now=now)
            elif engine.dialect.name == "postgresql":
                manifest, dump, member = _postgresql(engine, database_url, workdir, now=now)
            else:
                raise BackupError(f"不支持备份 {engine.dialect.name} 数据库")
        finally:
            engine.dispose()
        # Uploads are listed after the database copy: a photo is stored before its report
        # commits, so every photo the copy names exists by now.
        files = {member: dump, **_uploads(uploads_dir)}
        partial = workdir / "archive.partial"
        write_archive(partial, manifest, files, compress=target.name.endswith(".gz"))
        os.replace(partial, target)
    return BackupSummary(target, manifest, target.stat().st_size)


def _uploads(uploads_dir: Path) -> dict[str, Path]:
    if not uploads_dir.is_dir():
        return {}
    return {
        UPLOADS_PREFIX + path.relative_to(uploads_dir).as_posix(): path
        for path in sorted(uploads_dir.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def _sqlite(
    engine: Engine, database_url: str, workdir: Path, *, now: datetime
) -> tuple[Manifest, Path, str]:
    source_path = sqlite_path(database_url)
    if not source_path.is_file():
        raise BackupError(f"数据库文件 {source_path} 不存在")
    copy = workdir / "juhaoban.sqlite"
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    target = sqlite3.connect(copy)
    try:
        source.backup(target)  # pages copied under SQLite's own locking: safe while serving
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    except sqlite3.Error as err:
        raise BackupError(f"SQLite 在线备份失败：{err}") from err
    finally:
        target.close()
        source.close()
    copied = make_engine(f"sqlite:///{copy}")
    try:
        with copied.connect() as connection:
            counts = table_counts(connection)
        revision = current_revision(copied)
    finally:
        copied.dispose()
    manifest = Manifest(
        created_at=now.isoformat(), dialect="sqlite", schema_revision=revision, tables=counts
    )
    return manifest, copy, SQLITE_MEMBER


def _postgresql(
    engine: Engine, database_url: str, workdir: Path, *, now: datetime
) -> tuple[Manifest, Path, str]:
    pg_client.find_program("pg_dump")  # before any work: a clear message if it is missing
    dump = workdir / "juhaoban.pgdump"
    repeatable = engine.connect().execution_options(isolation_level="REPEATABLE READ")
    with repeatable as connection, connection.begin():
        snapshot: str = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        schema: str | None = connection.execute(text("SELECT current_schema()")).scalar_one()
        if schema is None:
            raise BackupError("数据库连接的 search_path 中没有存在的 schema：无法确定要备份什么")
        counts = table_counts(connection, schema)
        # pg_dump reads the exported snapshot while this transaction holds it open.
        pg_client.dump(database_url, schema=schema, snapshot=snapshot, target=dump)
    manifest = Manifest(
        created_at=now.isoformat(),
        dialect="postgresql",
        # Outside the snapshot: only a `juhaoban db upgrade` run during the backup could differ.
        schema_revision=current_revision(engine),
        tables=counts,
        database_schema=schema,
    )
    return manifest, dump, PG_MEMBER
