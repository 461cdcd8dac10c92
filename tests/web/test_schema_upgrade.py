"""The upgrade test of issue 19: a county at the baseline revision, full of cases at every
stage and waiting timers, upgraded to head keeps every row and timer, and the next sweep fires
them (SQLite and PostgreSQL).

The baseline database is filled without old code: the demo county (built by today's code) is
copied, row by row and only the baseline's columns, into a database made by ``upgrade 0001``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Column, Engine, Integer, MetaData, Table, func, inspect, select, text

from engine import VirtualClock
from engine.core.host import WorkflowHost
from engine.core.persistence import Base, ProcessInstance, make_engine, make_session_factory
from engine.core.persistence.database import load_models
from engine.core.persistence.migrations import current_revision, head_revision, upgrade
from engine.desks import wire_desks

pytestmark = pytest.mark.slow


def _copy_baseline_rows(source: Engine, target: Engine) -> dict[str, int]:
    """Every row of every baseline table, its baseline columns only; rows per table."""
    load_models()
    baseline = inspect(target)
    tables = [t for t in Base.metadata.sorted_tables if baseline.has_table(t.name)]
    counts: dict[str, int] = {}
    with source.connect() as read, target.begin() as write:
        for table in tables:
            names = {column["name"] for column in baseline.get_columns(table.name)}
            columns = [column for column in table.columns if column.name in names]
            assert len(columns) == len(names), f"{table.name}: a baseline column vanished"
            rows = [dict(row._mapping) for row in read.execute(select(*columns))]
            # Only these columns, same types, no Python-side defaults for newer columns.
            into = Table(table.name, MetaData(), *(Column(c.name, c.type) for c in columns))
            if rows:
                write.execute(into.insert(), rows)
            counts[table.name] = len(rows)
        if target.dialect.name == "postgresql":  # ids were given: move the sequences on
            for table in tables:
                id_ = table.columns.get("id")
                if id_ is not None and isinstance(id_.type, Integer) and counts[table.name]:
                    write.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"(SELECT max(id) FROM {table.name}))"
                        )
                    )
    return counts


def _counts(engine: Engine, names: list[str]) -> dict[str, int]:
    load_models()
    with engine.connect() as conn:
        return {
            name: conn.scalar(select(func.count()).select_from(Base.metadata.tables[name]))
            for name in names
        }


def _timers(engine: Engine) -> dict[int, object]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(ProcessInstance.id, ProcessInstance.next_due_at).where(
                ProcessInstance.next_due_at.is_not(None)
            )
        )
        return dict(rows.all())


def test_a_baseline_county_upgraded_to_head_keeps_every_row_and_timer(demo_county, database_url):
    source = make_engine(demo_county.config.database_url)
    target = make_engine(database_url)
    upgrade(target, "0001")
    copied = _copy_baseline_rows(source, target)
    assert copied["complaint"] > 0 and copied["audit_event"] > 0
    timers_before = _timers(target)
    assert timers_before, "the demo county has waiting timers"
    assert "idempotency_key" not in inspect(target).get_table_names()

    upgrade(target)

    assert current_revision(target) == head_revision()
    assert _counts(target, list(copied)) == copied == _counts(source, list(copied))
    assert _timers(target) == timers_before == _timers(source)
    with target.connect() as conn:  # the new column starts at 0 for every existing account
        versions = conn.execute(text("SELECT DISTINCT session_version FROM user_account"))
        assert versions.scalars().all() == [0]

    # The next sweep, just after the earliest timer, fires it and moves its case on.
    earliest_id, earliest = min(timers_before.items(), key=lambda item: item[1])
    clock = VirtualClock(max(earliest, demo_county.now) + timedelta(seconds=1))
    host = WorkflowHost(make_session_factory(target), clock)
    wire_desks(host)
    result = host.sweep(worker_id="after-upgrade")
    assert result.fired >= 1 and result.failed == 0 and result.incidents == 0
    timers_after = _timers(target)
    assert timers_after.get(earliest_id) != earliest
    # A sweep after the last of them fires every other timer the county had waiting.
    latest = max(timers_before.values())
    rest = host.sweep(latest + timedelta(seconds=1), worker_id="after-upgrade")
    assert rest.failed == 0 and rest.incidents == 0
    timers_after = _timers(target)
    unchanged = [iid for iid, due in timers_before.items() if timers_after.get(iid) == due]
    assert unchanged == []
    with target.connect() as conn:
        audit_after = conn.scalar(text("SELECT count(*) FROM audit_event"))
    assert audit_after > copied["audit_event"]  # the fired timers were recorded
    source.dispose()
    target.dispose()
