"""Check a backup before trusting it: every checksum, every member present, a readable dump.

``unpack`` is what ``restore`` uses too, so a restore never starts from an archive that
would not pass ``verify``.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from engine.core.persistence import pg_client
from engine.core.persistence.backup_archive import (
    BackupError,
    Manifest,
    check_member,
    copy_member,
    iter_members,
    read_manifest,
)


def verify(path: Path) -> Manifest:
    """Raise :class:`BackupError` (naming the member) unless the archive is whole and readable."""
    with tempfile.TemporaryDirectory(prefix="juhaoban-verify-") as work:
        return unpack(path, Path(work), keep_uploads=False)


def unpack(path: Path, workdir: Path, *, keep_uploads: bool = True) -> Manifest:
    """Verify the archive while writing its members under ``workdir`` (uploads only if asked)."""
    manifest = read_manifest(path)
    seen: set[str] = set()
    for name, archive, member in iter_members(path):
        if name in seen:
            raise BackupError(f"备份中成员“{name}”出现了两次")
        seen.add(name)
        keep = name == manifest.database_member or keep_uploads
        target = workdir / name if keep else None
        if target is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
        digest, size = copy_member(archive, member, target)
        check_member(manifest, name, digest, size)
    missing = sorted(set(manifest.members) - seen)
    if missing:
        raise BackupError(
            f"备份不完整：缺少成员“{missing[0]}”"
            + (f"等 {len(missing)} 个" if len(missing) > 1 else "")
        )
    if manifest.database_member not in seen:
        raise BackupError(f"备份中没有数据库转储“{manifest.database_member}”")
    check_dump(manifest, workdir / manifest.database_member)
    return manifest


def check_dump(manifest: Manifest, dump: Path) -> None:
    """The dump opens: SQLite passes ``integrity_check`` with the manifest's row counts;
    a PostgreSQL dump lists its contents with ``pg_restore --list``."""
    if manifest.dialect == "postgresql":
        pg_client.toc(dump)
        return
    try:
        conn = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchall()
            counts = {
                t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                for t in manifest.tables
            }
        finally:
            conn.close()
    except sqlite3.Error as err:
        raise BackupError(f"备份中的 SQLite 数据库无法读取：{err}") from err
    if result != [("ok",)]:
        raise BackupError(f"备份中的 SQLite 数据库未通过完整性检查：{result[0][0]}")
    for table, count in counts.items():
        if count != manifest.tables[table]:
            raise BackupError(
                f"备份中的表 {table} 有 {count} 行，清单记录为 {manifest.tables[table]} 行"
            )
