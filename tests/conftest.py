"""Shared fixtures: a database per test (SQLite always, PostgreSQL when configured), a clock."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from engine import VirtualClock, WorkflowHost
from engine.core.persistence import create_schema, make_engine, make_session_factory

# Every step that reuses a live workflow also restores it from its row and compares the two
# (engine/core/live_workflows.py); child processes the tests start inherit it.
os.environ.setdefault("JUHAOBAN_CHECK_LIVE_WORKFLOWS", "1")
PG_URL = os.environ.get("JUHAOBAN_TEST_DATABASE_URL")
DIAGRAMS = Path(__file__).parent / "engine" / "diagrams"
# A Monday morning in Beijing (08:00 +08:00), far from public holidays.
START = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)


def _pg_schema_url(schema: str) -> str:
    url = make_url(PG_URL)
    return url.set(
        drivername="postgresql+psycopg", query={**url.query, "options": f"-csearch_path={schema}"}
    ).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file, or a private PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite'}"
        return
    if not PG_URL:
        pytest.skip("JUHAOBAN_TEST_DATABASE_URL is not set (CI sets it)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(PG_URL).set(drivername="postgresql+psycopg"))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield _pg_schema_url(schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def db(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    create_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(START)


@pytest.fixture
def host(db: Engine, clock: VirtualClock) -> WorkflowHost:
    return WorkflowHost(make_session_factory(db), clock)


@pytest.fixture(scope="session")
def shipped_catalogs():
    """The shipped catalog versions, loaded and validated once per test session."""
    from tests.responsibility_catalog.helpers import shipped

    return shipped()


@pytest.fixture
def diagram() -> callable:
    def read(name: str) -> str:
        return (DIAGRAMS / name).read_text(encoding="utf-8")

    return read
