from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from engine.core.persistence.locking import with_row_locks
from engine.core.persistence.models import ProcessInstance


class _FakeBind:
    def __init__(self, dialect):
        self.dialect = dialect


@pytest.mark.parametrize(
    ("dialect", "expected", "absent"),
    [
        (postgresql.dialect(), "FOR UPDATE SKIP LOCKED", None),
        (sqlite.dialect(), None, "FOR UPDATE"),
    ],
)
def test_row_lock_clause_per_dialect(dialect, expected, absent):
    stmt = select(ProcessInstance.id).order_by(ProcessInstance.next_due_at, ProcessInstance.id)
    session = Session(bind=create_engine("sqlite://"))
    session.get_bind = lambda *a, **k: _FakeBind(dialect)  # only the dialect name is read
    sql = str(with_row_locks(stmt, session=session).compile(dialect=dialect))
    if expected:
        assert expected in sql
    if absent:
        assert absent not in sql
