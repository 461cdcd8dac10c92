"""``juhaoban restore``: a verified backup into an empty database and an empty uploads folder.

Restoring over a county that has data would destroy it, so a target with any row (or any
upload) is refused; there is no ``--force``: point the configuration at a new database.
The archive is verified completely before anything is written, and the row counts are
compared with the manifest afterwards. Restoring across database kinds (SQLite backup into
PostgreSQL or back) is not supported.

PostgreSQL: the dump holds one schema (``public`` in production, a private one in tests). If
the target's schema has another name, the dump is restored under its own name and then
renamed, which needs that name to be free in the target database.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from engine.core.persistence import pg_client
from engine.core.persistence.backup import sqlite_path, table_counts
from engine.core.persistence.backup_archive import UPLOADS_PREFIX, BackupError, Manifest
from engine.core.persistence.backup_verify import unpack
from engine.core.persistence.database import make_engine
from engine.core.persistence.migrations import VERSION_TABLE, head_revision, history

_DIALECTS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass(frozen=True)
class RestoreSummary:
    manifest: Manifest
    tables: dict[str, int]
    uploads: int


def restore_backup(archive: Path, database_url: str, uploads_dir: Path) -> RestoreSummary:
    dialect = make_url(database_url).get_backend_name()
    with tempfile.TemporaryDirectory(prefix="juhaoban-restore-") as work:
        workdir = Path(work)
        manifest = unpack(archive, workdir)
        if manifest.dialect != dialect:
            raise BackupError(
                f"这是 {_DIALECTS.get(manifest.dialect, manifest.dialect)} 数据库的备份，"
                f"目标是 {_DIALECTS.get(dialect, dialect)}：不支持跨数据库类型恢复"
            )
        _refuse_newer_schema(manifest)
        dump = workdir / manifest.database_member
        if dialect == "sqlite":
            _check_sqlite(database_url)
            _refuse_uploads(uploads_dir)
            tables = _restore_sqlite(dump, database_url)
        else:
            target = _check_postgresql(database_url, manifest)
            _refuse_uploads(uploads_dir)
            tables = _restore_postgresql(dump, database_url, manifest, target)
        uploads = _restore_uploads(workdir, manifest, uploads_dir)
    wrong = {t: (tables.get(t), n) for t, n in manifest.tables.items() if tables.get(t) != n}
    if wrong:
        table, (got, expected) = next(iter(sorted(wrong.items())))
        raise BackupError(
            f"恢复后的行数与清单不符：表 {table} 恢复了 {got} 行，清单记录 {expected} 行"
        )
    return RestoreSummary(manifest, tables, uploads)


def _refuse_newer_schema(manifest: Manifest) -> None:
    """A backup made by a newer release would restore a schema this code cannot run on."""
    known = {revision for revision, _parent, _doc in history()}
    if manifest.schema_revision is not None and manifest.schema_revision not in known:
        raise BackupError(
            f"备份的数据库结构版本 {manifest.schema_revision} 来自更新的巨好办，本程序只认识到 "
            f"{head_revision()}：请用与备份时相同或更新的版本恢复"
        )


def _refuse_rows(counts: dict[str, int]) -> None:
    filled = {t: n for t, n in counts.items() if n and t != VERSION_TABLE}
    if filled:
        listed = "、".join(f"{t}（{n} 行）" for t, n in sorted(filled.items())[:3])
        raise BackupError(
            f"目标数据库不是空的：{listed}{'等' if len(filled) > 3 else ''}。"
            "恢复只写入空数据库，以免覆盖现有数据：请新建一个空数据库并指向它"
        )


def _refuse_uploads(uploads_dir: Path) -> None:
    if uploads_dir.exists() and any(uploads_dir.iterdir()):
        raise BackupError(
            f"上传文件目录 {uploads_dir} 不是空的：恢复只写入空目录，以免混入或覆盖照片"
        )


def _check_sqlite(database_url: str) -> None:
    if sqlite_path(database_url).exists():
        engine = make_engine(database_url)
        try:
            with engine.connect() as connection:
                _refuse_rows(table_counts(connection))
        finally:
            engine.dispose()


def _restore_sqlite(dump: Path, database_url: str) -> dict[str, int]:
    path = sqlite_path(database_url)
    path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    target = sqlite3.connect(path)
    try:
        source.backup(target)  # replaces every page of the (empty) target in one step
    except sqlite3.Error as err:
        raise BackupError(f"写入 SQLite 数据库 {path} 失败：{err}") from err
    finally:
        target.close()
        source.close()
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return table_counts(connection)
    finally:
        engine.dispose()


def _current_schema(connection: Connection) -> str:
    schema: str | None = connection.execute(text("SELECT current_schema()")).scalar_one()
    if schema is None:
        raise BackupError("目标数据库连接的 search_path 中没有存在的 schema：请先创建它")
    return schema


def _check_postgresql(database_url: str, manifest: Manifest) -> str:
    """The target schema's name, once it is known to be empty and the restore can go there."""
    source = manifest.database_schema or "public"
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            target = _current_schema(connection)
            counts = table_counts(connection, target)
            _refuse_rows(counts)
            if counts:
                raise BackupError(
                    f"目标 schema {target} 已有 {len(counts)} 张（空）表：pg_restore 需要完全空的"
                    "数据库，请新建数据库后直接恢复（不要先运行 init-db 或 db upgrade）"
                )
            source_taken: int = connection.execute(
                text("SELECT count(*) FROM pg_namespace WHERE nspname = :name"), {"name": source}
            ).scalar_one()
    finally:
        engine.dispose()
    if source != target and source_taken:
        raise BackupError(
            f"备份来自 schema {source}，目标是 {target}；目标数据库中已有名为 {source} 的 "
            "schema，无法在恢复后改名：请恢复到另一个数据库"
        )
    return target


def _restore_postgresql(
    dump: Path, database_url: str, manifest: Manifest, target: str
) -> dict[str, int]:
    source = manifest.database_schema or "public"
    engine = make_engine(database_url)
    try:
        if source == target:
            pg_client.restore(database_url, dump, skip_schema=target)
        else:
            pg_client.restore(database_url, dump, skip_schema=None)
            try:
                with engine.begin() as connection:
                    quote = connection.dialect.identifier_preparer.quote_schema
                    connection.execute(text(f"DROP SCHEMA {quote(target)} RESTRICT"))
                    connection.execute(
                        text(f"ALTER SCHEMA {quote(source)} RENAME TO {quote(target)}")
                    )
            except Exception:
                with engine.begin() as connection:  # leave the target as it was: empty
                    quote = connection.dialect.identifier_preparer.quote_schema
                    connection.execute(text(f"DROP SCHEMA IF EXISTS {quote(source)} CASCADE"))
                raise
        with engine.connect() as connection:
            return table_counts(connection, _current_schema(connection))
    finally:
        engine.dispose()


def _restore_uploads(workdir: Path, manifest: Manifest, uploads_dir: Path) -> int:
    for member in manifest.upload_members:
        target = uploads_dir / member.removeprefix(UPLOADS_PREFIX)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(workdir / member, target)
    return len(manifest.upload_members)
