"""``juhaoban backup`` runs beside a serving county: a step in the middle of its transaction
neither blocks the backup nor leaks into it, and the manifest counts what the dump holds."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.core.persistence.backup import create_backup
from engine.core.persistence.backup_verify import verify
from engine.core.persistence.models import AuditEvent


def _audit(at) -> AuditEvent:
    return AuditEvent(county="julu", at=at, actor="staff", action="test")


def test_a_backup_taken_during_an_open_write_holds_only_what_was_committed(db, clock, tmp_path):
    with Session(db) as session, session.begin():
        session.add(_audit(clock.now()))
    writer = Session(db)
    try:
        writer.begin()
        writer.add(_audit(clock.now() + timedelta(minutes=1)))
        writer.flush()  # the row is written but not committed; the writer holds its lock

        archive = tmp_path / "during.tar"
        summary = create_backup(
            db.url.render_as_string(hide_password=False),
            tmp_path / "uploads",
            archive,
            now=clock.now(),
        )
        writer.commit()
    finally:
        writer.close()

    assert summary.manifest.tables["audit_event"] == 1
    assert verify(archive).tables["audit_event"] == 1
    with Session(db) as session:
        assert session.scalar(select(func.count(AuditEvent.id))) == 2  # the writer went on
