"""Schema migrations (ADR 0016): the revisions build the same schema as create_all, and a
database behind the code is refused with a message naming the command that fixes it."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from cli.main import main
from engine.bootstrap import build_host
from engine.core.config import EngineConfig
from engine.core.persistence import Base, make_engine
from engine.core.persistence.database import create_schema, load_models
from engine.core.persistence.migrations import (
    SchemaBehind,
    current_revision,
    head_revision,
    pending_revisions,
    upgrade,
)
from tests.conftest import PG_URL, _pg_schema_url


@pytest.fixture
def another_database(database_url: str, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """More empty databases of the same kind as ``database_url`` (files or PG schemas)."""
    schemas: list[str] = []

    def make() -> str:
        if database_url.startswith("sqlite"):
            return f"sqlite:///{tmp_path / f'{uuid.uuid4().hex[:8]}.sqlite'}"
        schema = f"t_{uuid.uuid4().hex[:12]}"
        admin = create_engine(make_url(PG_URL).set(drivername="postgresql+psycopg"))
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        admin.dispose()
        schemas.append(schema)
        return _pg_schema_url(schema)

    yield make
    if schemas:
        admin = create_engine(make_url(PG_URL).set(drivername="postgresql+psycopg"))
        with admin.begin() as conn:
            for schema in schemas:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _clauses(sql: str | None) -> list[str]:
    """A CREATE statement's top-level clauses, sorted: create_table and create_all may list a
    table's constraints in another order, and SQLite's ADD COLUMN appends to the text."""
    clauses, depth, start = [], 0, 0
    text_ = " ".join((sql or "").split())
    for at, char in enumerate(text_):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 1:
            clauses.append(text_[start:at].strip())
            start = at + 1
    clauses.append(text_[start:].strip().removesuffix(")").strip())
    return sorted(clauses)


def _structure(engine: Engine) -> dict[str, set[tuple[str, ...]]]:
    """Indexes (with their WHERE), triggers, constraints and columns, as the database has them."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.execute(
                text(
                    "SELECT type, name, tbl_name, sql FROM sqlite_master "
                    "WHERE tbl_name != 'alembic_version'"
                )
            ).all()
            return {
                kind: {(name, table, *_clauses(sql)) for k, name, table, sql in rows if k == kind}
                for kind in ("table", "index", "trigger")
            }
        schema = conn.scalar(text("SELECT current_schema()"))
        queries = {
            "index": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = :s",
            "trigger": "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) "
            "FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN "
            "(SELECT oid FROM pg_class WHERE relnamespace = CAST(:s AS regnamespace))",
            "constraint": "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE connamespace = CAST(:s AS regnamespace)",
            "column": "SELECT table_name, column_name, data_type, is_nullable, "
            "coalesce(column_default, ''), coalesce(character_maximum_length, 0)::text "
            "FROM information_schema.columns WHERE table_schema = :s",
            "function": "SELECT proname, prosrc FROM pg_proc WHERE pronamespace = CAST(:s AS regnamespace)",
        }
        return {
            kind: {
                tuple(str(value).replace(f"{schema}.", "") for value in row)
                for row in conn.execute(text(query), {"s": schema})
                if "alembic_version" not in row[0] and "alembic_version" not in row[1]
            }
            for kind, query in queries.items()
        }


def test_upgrade_from_empty_builds_what_create_all_builds(
    database_url: str, another_database: Callable[[], str]
) -> None:
    """The shortcut for empty databases (create_all + stamp head) stays honest."""
    by_create_all = make_engine(database_url)
    by_revisions = make_engine(another_database())
    create_schema(by_create_all)
    upgrade(by_revisions)

    assert current_revision(by_create_all) == current_revision(by_revisions) == head_revision()
    load_models()
    with by_revisions.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    built, migrated = _structure(by_create_all), _structure(by_revisions)
    assert built == migrated
    # The partial indexes and the append-only triggers are among what was compared.
    names = {row[0] for row in built["index"]} | {row[1] for row in built["index"]}
    assert "ix_complaint_overdue" in names
    assert any("audit_event" in " ".join(row) for row in built["trigger"])
    by_create_all.dispose()
    by_revisions.dispose()


def _config(url: str, tmp_path: Path) -> EngineConfig:
    return EngineConfig.from_env(
        {"JUHAOBAN_INSTANCE_DIR": str(tmp_path / "instance"), "JUHAOBAN_DATABASE_URL": url}
    )


def test_a_database_behind_head_is_refused_naming_the_command(
    database_url: str, tmp_path: Path
) -> None:
    from web import create_app

    engine = make_engine(database_url)
    upgrade(engine, "0001")
    assert (
        pending_revisions(engine)[0] == "0002" and pending_revisions(engine)[-1] == head_revision()
    )
    config = _config(database_url, tmp_path)

    with pytest.raises(SchemaBehind) as refused:
        create_app({"ENGINE_CONFIG": config, "TESTING": True, "SECRET_KEY": "test"})
    message = str(refused.value)
    assert "juhaoban db upgrade" in message
    assert "0001" in message and head_revision() in message
    with pytest.raises(SchemaBehind):
        build_host(config)  # a host without create_tables checks too
    with pytest.raises(SchemaBehind):
        build_host(config, create_tables=True)  # and never creates the missing table itself
    assert current_revision(engine) == "0001"
    engine.dispose()


def _cli(url: str, tmp_path: Path, *args: str):
    env = {"JUHAOBAN_INSTANCE_DIR": str(tmp_path / "instance"), "JUHAOBAN_DATABASE_URL": url}
    return CliRunner().invoke(main, list(args), env=env)


def test_cli_refuses_then_upgrades(database_url: str, tmp_path: Path) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0001")

    for command in (["sweep"], ["serve"], ["worker"]):
        result = _cli(database_url, tmp_path, *command)
        assert result.exit_code == 1, result.output
        assert "juhaoban db upgrade" in result.output
        assert "Traceback" not in result.output

    current = _cli(database_url, tmp_path, "db", "current")
    assert "当前：版本 0001" in current.output and "待执行的升级：0002、" in current.output
    history = _cli(database_url, tmp_path, "db", "history")
    assert "0001  基线" in history.output and "← 当前" in history.output

    result = _cli(database_url, tmp_path, "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert f"数据库已从版本 0001升级到版本 {head_revision()}" in result.output
    assert current_revision(engine) == head_revision()
    assert "（最新）" in _cli(database_url, tmp_path, "db", "current").output
    assert "无需升级" in _cli(database_url, tmp_path, "db", "upgrade").output

    unknown = _cli(database_url, tmp_path, "db", "upgrade", "--revision", "9999")
    assert unknown.exit_code == 1 and "没有版本 9999" in unknown.output
    engine.dispose()


def test_init_db_upgrades_an_empty_database_to_head(database_url: str, tmp_path: Path) -> None:
    result = _cli(database_url, tmp_path, "init-db")
    assert result.exit_code == 0, result.output
    assert "数据库已从空库（或未标记版本）升级到版本 " + head_revision() in result.output
    engine = make_engine(database_url)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_tables_without_a_revision_need_an_explicit_stamp(
    database_url: str, tmp_path: Path
) -> None:
    """A county that ran init-db before migrations existed: its tables are the baseline, but
    nothing says so; guessing could skip or repeat a revision, so the operator stamps it."""
    engine = make_engine(database_url)
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
    assert current_revision(engine) is None

    refused = _cli(database_url, tmp_path, "sweep")
    assert refused.exit_code == 1
    assert "juhaoban db stamp 0001" in refused.output
    upgrade_refused = _cli(database_url, tmp_path, "db", "upgrade")
    assert upgrade_refused.exit_code == 1 and "db stamp 0001" in upgrade_refused.output

    assert _cli(database_url, tmp_path, "db", "stamp", "0001").exit_code == 0
    assert _cli(database_url, tmp_path, "db", "upgrade").exit_code == 0
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_tables_at_head_without_a_revision_are_told_to_stamp_head(
    database_url: str, tmp_path: Path
) -> None:
    """A county that ran init-db after issue 18 but before migrations has the head schema."""
    engine = make_engine(database_url)
    create_schema(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))

    refused = _cli(database_url, tmp_path, "db", "upgrade")
    assert refused.exit_code == 1
    assert f"juhaoban db stamp {head_revision()}" in refused.output
    assert "db stamp 0001" not in refused.output
    assert _cli(database_url, tmp_path, "db", "stamp", "head").exit_code == 0
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_processes_starting_together_on_an_empty_database_both_start(database_url: str) -> None:
    """A web process and a worker started at once: one creates the schema, the other waits
    for it and finds it at head (instead of failing on a table that already exists)."""
    engines = [make_engine(database_url) for _ in range(4)]
    barrier = threading.Barrier(len(engines))
    errors: list[BaseException] = []

    def start(engine: Engine) -> None:
        barrier.wait()
        try:
            create_schema(engine)
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=start, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert current_revision(engines[0]) == head_revision()
    for engine in engines:
        engine.dispose()
