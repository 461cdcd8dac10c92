"""Backup and restore (issue 19): a small county — cases at three stages, audit rows, a
photo, open timers — backed up with ``juhaoban backup`` and restored with ``juhaoban restore``
into an empty database and a fresh instance folder keeps every row, the photo's bytes and
the open timers, and the next sweep fires on the restored county exactly what it fires on
the original. Damaged or foreign files and non-empty targets are refused, changing nothing."""

from __future__ import annotations

import io
import json
import tarfile
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from cli.main import main
from engine import VirtualClock
from engine.bootstrap import build_host
from engine.complaints.models import Complaint
from engine.core.config import EngineConfig
from engine.core.persistence import make_engine, pg_client
from engine.core.persistence.backup import table_counts
from engine.core.persistence.backup_archive import BackupError
from engine.core.persistence.models import AuditEvent, ProcessInstance
from engine.desks import wire_desks
from tests.conftest import PG_URL
from tests.engine.complaints.helpers import do
from tests.web.county_app import county_app
from tests.web.test_report_helpers import code_of, complaints, photo, post_report, reply


def _config(database_url: str, instance_dir: Path) -> EngineConfig:
    return EngineConfig(database_url=database_url, instance_dir=instance_dir, sweep_interval_s=30)


@pytest.fixture
def county(database_url, tmp_path, clock, shipped_catalogs) -> Iterator[Flask]:
    """Three reports through the web form (one with a photo): one waiting to be signed for,
    one signed for and in handling, one replied and waiting for the callback."""
    config = _config(database_url, tmp_path / "original")
    app = county_app(config, clock, shipped_catalogs)
    host = app.extensions["juhaoban.host"]
    client = app.test_client()
    code_of(post_report(client, photos=[photo("road.png")]))
    clock.advance(timedelta(minutes=20))
    signed = code_of(post_report(client, description="路灯不亮，晚上看不见路"))
    clock.advance(timedelta(minutes=20))
    replied = code_of(post_report(client, description="自来水浑浊发黄"))
    clock.advance(timedelta(hours=1))
    reply(app, replied)
    complaint = next(c for c in complaints(app) if c.tracking_code == signed)

    class Ref:
        instance_id = complaint.instance_id

    desk = app.extensions["juhaoban"].desk
    do(desk, Ref, "sign_for", {"decision": "accept"}, actor="water", group="water_supply")
    yield app
    host.session_factory.kw["bind"].dispose()


@pytest.fixture
def empty_target(database_url, tmp_path) -> Iterator[str]:
    """A second empty database: a SQLite file, or on PostgreSQL a new database whose private
    schema has another name than the original's (the restore renames the dumped schema)."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored' / 'juhaoban.sqlite'}"
        return
    name, schema = f"restore_{uuid.uuid4().hex[:10]}", f"r_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(PG_URL).set(drivername="postgresql+psycopg"))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    url = make_url(PG_URL).set(drivername="postgresql+psycopg", database=name)
    created = create_engine(url)
    with created.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    created.dispose()
    try:
        yield url.set(query={**url.query, "options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()


def _cli(database_url: str, instance_dir: Path, *args: str):
    env = {"JUHAOBAN_DATABASE_URL": database_url, "JUHAOBAN_INSTANCE_DIR": str(instance_dir)}
    return CliRunner().invoke(main, list(args), env=env)


def _snapshot(database_url: str) -> dict[str, object]:
    """What a restore must keep: rows per table, every audit row, every open timer."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return {
                "counts": table_counts(conn),
                "audit": [
                    tuple(r)
                    for r in conn.execute(select(AuditEvent.__table__).order_by(AuditEvent.id))
                ],
                "timers": [
                    tuple(r)
                    for r in conn.execute(
                        select(
                            ProcessInstance.id, ProcessInstance.next_due_at, ProcessInstance.version
                        )
                        .where(ProcessInstance.next_due_at.is_not(None))
                        .order_by(ProcessInstance.id)
                    )
                ],
                "stages": sorted(
                    conn.execute(select(Complaint.tracking_code, Complaint.stage)).all()
                ),
            }
    finally:
        engine.dispose()


def _files(directory: Path) -> dict[str, bytes]:
    return (
        {p.name: p.read_bytes() for p in sorted(directory.iterdir())} if directory.exists() else {}
    )


def _sweep_after_earliest_due(config: EngineConfig) -> tuple[list[int], list[tuple]]:
    """Sweep a second after the earliest open timer; what fired and the audit rows it wrote."""
    engine = make_engine(config.database_url)
    with engine.connect() as conn:
        earliest = conn.scalar(select(func.min(ProcessInstance.next_due_at)))
        last_audit = conn.scalar(select(func.max(AuditEvent.id)))
    engine.dispose()
    instant = earliest + timedelta(seconds=1)
    host = build_host(config, clock=VirtualClock(instant))
    wire_desks(host)
    try:
        result = host.sweep(instant, worker_id="after-restore")
        with host.session_factory() as session:
            written = session.execute(
                select(
                    AuditEvent.id, AuditEvent.action, AuditEvent.instance_id, AuditEvent.task_name
                )
                .where(AuditEvent.id > last_audit)
                .order_by(AuditEvent.id)
            ).all()
    finally:
        host.session_factory.kw["bind"].dispose()
    return sorted(result.instance_ids), [tuple(r) for r in written]


def test_a_county_restored_from_its_backup_has_every_row_photo_and_timer_and_fires_them_the_same(
    county, database_url, empty_target, tmp_path
):
    original = _config(database_url, tmp_path / "original")
    restored = _config(empty_target, tmp_path / "restored")
    archive = tmp_path / "county.tar.gz"

    made = _cli(original.database_url, original.instance_dir, "backup", str(archive))
    assert made.exit_code == 0, made.output
    assert "已校验" in made.output and "1 个上传文件" in made.output
    checked = _cli(original.database_url, original.instance_dir, "backup", "--verify", str(archive))
    assert checked.exit_code == 0 and "校验通过" in checked.output, checked.output

    back = _cli(restored.database_url, restored.instance_dir, "restore", str(archive))
    assert back.exit_code == 0, back.output
    assert "各表行数与备份清单一致" in back.output and "上传文件：1 个" in back.output

    before, after = _snapshot(original.database_url), _snapshot(restored.database_url)
    assert after["counts"] == before["counts"] and before["counts"]["audit_event"] > 0
    assert after["audit"] == before["audit"]
    assert after["timers"] == before["timers"] and len(before["timers"]) == 3
    assert {stage for _code, stage in before["stages"]} == {"sign_for", "handling", "callback"}
    assert after["stages"] == before["stages"]
    photos = _files(original.instance_dir / "uploads")
    assert len(photos) == 1 and _files(restored.instance_dir / "uploads") == photos

    restored_engine = make_engine(restored.database_url)
    try:  # the audit log's append-only trigger came back with the tables
        with pytest.raises(DBAPIError, match="append-only"), restored_engine.begin() as conn:
            conn.execute(text("UPDATE audit_event SET actor = 'forger'"))
    finally:
        restored_engine.dispose()

    fired_original = _sweep_after_earliest_due(original)
    fired_restored = _sweep_after_earliest_due(restored)
    assert fired_original[0], "the earliest timer fires"
    assert fired_restored == fired_original


@pytest.fixture
def backed_up(county, database_url, tmp_path) -> Path:
    archive = tmp_path / "county.tar"
    made = _cli(database_url, tmp_path / "original", "backup", str(archive))
    assert made.exit_code == 0, made.output
    return archive


def _flip_a_byte_of(archive: Path, prefix: str) -> str:
    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.startswith(prefix))
    data = bytearray(archive.read_bytes())
    data[member.offset_data + member.size // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    return member.name


@pytest.mark.parametrize("prefix", ["uploads/", "database/"])
def test_a_damaged_backup_fails_verification_naming_the_member_and_restores_nothing(
    backed_up, prefix, empty_target, tmp_path
):
    name = _flip_a_byte_of(backed_up, prefix)
    checked = _cli(empty_target, tmp_path / "restored", "backup", "--verify", str(backed_up))
    assert checked.exit_code == 1
    assert f"成员“{name}”的 SHA-256 校验和与清单不符" in checked.output

    refused = _cli(empty_target, tmp_path / "restored", "restore", str(backed_up))
    assert refused.exit_code == 1 and name in refused.output
    assert _is_empty(empty_target) and not (tmp_path / "restored" / "uploads").exists()


def _is_empty(database_url: str) -> bool:
    if database_url.startswith("sqlite"):
        path = Path(make_url(database_url).database)
        if not path.exists():
            return True
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return not table_counts(conn)
    finally:
        engine.dispose()


def test_a_file_that_is_not_a_backup_is_named_and_changes_nothing(empty_target, tmp_path):
    photo_file = tmp_path / "photo.png"
    photo_file.write_bytes(b"\x89PNG not really")
    plain_tar = tmp_path / "other.tar"
    with tarfile.open(plain_tar, "w") as tar:
        tar.add(str(photo_file), arcname="photo.png")
    foreign_manifest = tmp_path / "manifest.json"
    foreign_manifest.write_text('{"format": "something-else", "format_version": 1}')
    foreign_tar = tmp_path / "foreign.tar"
    with tarfile.open(foreign_tar, "w") as tar:
        tar.add(str(foreign_manifest), arcname="manifest.json")
    for path, why in (
        (photo_file, "不是可读取的 tar 归档"),
        (plain_tar, "开头没有 manifest.json"),
        (foreign_tar, "manifest.json 不是巨好办的备份清单"),
        (tmp_path / "missing.tar", "备份文件不存在"),
    ):
        refused = _cli(empty_target, tmp_path / "restored", "restore", str(path))
        assert refused.exit_code == 1, refused.output
        assert why in refused.output and "Traceback" not in refused.output
    assert _is_empty(empty_target) and not (tmp_path / "restored").exists()


def test_restoring_into_a_county_that_has_data_is_refused(backed_up, database_url, tmp_path):
    before = _snapshot(database_url)
    refused = _cli(database_url, tmp_path / "elsewhere", "restore", str(backed_up))
    assert refused.exit_code == 1
    assert "目标数据库不是空的" in refused.output and "audit_event" in refused.output
    assert _snapshot(database_url) == before and not (tmp_path / "elsewhere").exists()


def test_backup_does_not_overwrite_an_existing_file(backed_up, database_url, tmp_path):
    kept = backed_up.read_bytes()
    again = _cli(database_url, tmp_path / "original", "backup", str(backed_up))
    assert again.exit_code == 1 and "已存在" in again.output
    assert backed_up.read_bytes() == kept


def test_a_missing_pg_dump_is_named_with_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without the PostgreSQL client programs
    with pytest.raises(
        BackupError, match="找不到 PostgreSQL 客户端程序 pg_dump.*postgresql-client"
    ):
        pg_client.find_program("pg_dump")


def test_a_backup_from_a_newer_release_is_refused_before_anything_is_written(
    backed_up, empty_target, tmp_path
):
    newer = tmp_path / "newer.tar"
    with tarfile.open(backed_up) as source, tarfile.open(newer, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "manifest.json":
                data = json.dumps({**json.loads(data), "schema_revision": "9999"}).encode()
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    refused = _cli(empty_target, tmp_path / "restored", "restore", str(newer))
    assert refused.exit_code == 1
    assert "数据库结构版本 9999 来自更新的巨好办" in refused.output
    assert _is_empty(empty_target) and not (tmp_path / "restored").exists()
