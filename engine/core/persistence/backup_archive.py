"""The backup file: one tar archive holding ``manifest.json``, the database dump and uploads.

The manifest lists every other member with its size and SHA-256, so a damaged or edited
archive is caught (naming the member) before anything is restored. A name ending in ``.gz``
is written gzip-compressed; reading detects the compression itself.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

FORMAT = "juhaoban-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/juhaoban.sqlite"
PG_MEMBER = "database/juhaoban.pgdump"
UPLOADS_PREFIX = "uploads/"
_CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Chinese)."""


@dataclass
class Manifest:
    created_at: str
    dialect: str
    schema_revision: str | None
    tables: dict[str, int]
    members: dict[str, dict[str, object]] = field(default_factory=dict)
    database_schema: str | None = None  # PostgreSQL: the schema that was dumped
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    @property
    def database_member(self) -> str:
        return SQLITE_MEMBER if self.dialect == "sqlite" else PG_MEMBER

    @property
    def upload_members(self) -> list[str]:
        return sorted(m for m in self.members if m.startswith(UPLOADS_PREFIX))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_archive(
    target: Path, manifest: Manifest, files: dict[str, Path], *, compress: bool = False
) -> None:
    """Write ``files`` (member name → file on disk) and the manifest that checks them."""
    for name, path in files.items():
        manifest.members[name] = {"size": path.stat().st_size, "sha256": sha256_of(path)}
    with (
        tarfile.open(target, "w:gz", format=tarfile.PAX_FORMAT)
        if compress
        else tarfile.open(target, "w", format=tarfile.PAX_FORMAT)
    ) as archive:
        body = json.dumps(asdict(manifest), ensure_ascii=False, indent=2).encode("utf-8")
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(body)
        info.mode = 0o600
        info.mtime = int(datetime.fromisoformat(manifest.created_at).timestamp())
        archive.addfile(info, _BytesReader(body))
        for name in sorted(files):
            archive.add(str(files[name]), arcname=name, recursive=False)


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self._data, self._pos = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._pos + size
        chunk, self._pos = self._data[self._pos : end], min(end, len(self._data))
        return chunk


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == str(path)


def _open(path: Path) -> tarfile.TarFile:
    if not path.is_file():
        raise BackupError(f"备份文件不存在：{path}")
    try:
        return tarfile.open(path, "r:*")
    except (tarfile.TarError, OSError, EOFError) as err:
        raise BackupError(f"{path.name} 不是巨好办备份文件（不是可读取的 tar 归档）") from err


def read_manifest(path: Path) -> Manifest:
    with _open(path) as archive:
        try:
            member = archive.next()
        except (tarfile.TarError, OSError, EOFError) as err:
            raise BackupError(f"{path.name} 不是巨好办备份文件（归档已损坏：{err}）") from err
        if member is None or member.name != MANIFEST or not member.isfile():
            raise BackupError(f"{path.name} 不是巨好办备份文件（开头没有 {MANIFEST}）")
        try:
            stream = archive.extractfile(member)
            if stream is None:  # cannot happen for the regular file checked above
                raise tarfile.TarError(f"{MANIFEST} has no data")
            data = json.loads(stream.read().decode("utf-8"))
        except (ValueError, tarfile.TarError, OSError, EOFError) as err:
            raise BackupError(f"{path.name} 的 {MANIFEST} 无法读取：{err}") from err
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{path.name} 不是巨好办备份文件（{MANIFEST} 不是巨好办的备份清单）")
    version = data.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"{path.name} 的备份格式版本 {version} 不是本程序支持的（至多 {FORMAT_VERSION}）："
            "请用更新的巨好办恢复"
        )
    try:
        manifest = Manifest(**data)
    except TypeError as err:
        raise BackupError(f"{path.name} 的 {MANIFEST} 缺少或多出字段：{err}") from err
    if manifest.dialect not in ("sqlite", "postgresql"):
        raise BackupError(f"{path.name} 的数据库类型 {manifest.dialect!r} 无法识别")
    return manifest


def iter_members(path: Path) -> Iterator[tuple[str, tarfile.TarFile, tarfile.TarInfo]]:
    """Every member after the manifest, in archive order; read errors name the member."""
    with _open(path) as archive:
        previous = MANIFEST
        while True:
            try:
                member = archive.next()
            except (tarfile.TarError, OSError, EOFError) as err:
                raise BackupError(f"备份已损坏：“{previous}”之后的内容无法读取（{err}）") from err
            if member is None:
                return
            if member.name == MANIFEST:
                continue
            if not member.isfile() or not _safe_name(member.name):
                raise BackupError(f"备份中有不允许的成员“{member.name}”")
            previous = member.name
            yield member.name, archive, member


def copy_member(
    archive: tarfile.TarFile, member: tarfile.TarInfo, target: Path | None
) -> tuple[str, int]:
    """Stream one member (to ``target`` if given); return its SHA-256 and size."""
    digest, size = hashlib.sha256(), 0
    try:
        source = archive.extractfile(member)
        if source is None:  # iter_members lets regular files only through
            raise BackupError(f"备份中的成员“{member.name}”不是普通文件")
        out = target.open("wb") if target is not None else None
        try:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                if out is not None:
                    out.write(chunk)
        finally:
            if out is not None:
                out.close()
    except (tarfile.TarError, OSError, EOFError) as err:
        raise BackupError(f"备份已损坏：成员“{member.name}”无法读取（{err}）") from err
    return digest.hexdigest(), size


def check_member(manifest: Manifest, name: str, digest: str, size: int) -> None:
    expected = manifest.members.get(name)
    if expected is None:
        raise BackupError(f"备份中有清单未列出的成员“{name}”")
    if expected.get("sha256") != digest or expected.get("size") != size:
        raise BackupError(f"备份已损坏：成员“{name}”的 SHA-256 校验和与清单不符")
