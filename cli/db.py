"""Schema commands (ADR 0016): ``juhaoban db upgrade|current|history|stamp``, and the group
class that turns a database behind the code into a one-line message instead of a traceback."""

from __future__ import annotations

import sys
from typing import Any

import click
from alembic.util.exc import CommandError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from engine.bootstrap import open_database
from engine.core import EngineConfig
from engine.core.persistence.migrations import (
    SchemaAhead,
    SchemaBehind,
    check_at_head,
    current_revision,
    has_tables,
    head_revision,
    history,
    pending_revisions,
    stamp,
    upgrade,
)


class SchemaCheckedGroup(click.Group):
    """Every command that opens the platform refuses a database behind head; print why."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (SchemaBehind, SchemaAhead) as err:
            click.echo(str(err), err=True)
            sys.exit(1)


def _known(revision: str) -> str:
    """``head`` or a revision this code ships; anything else exits with a clear message."""
    known = [rev for rev, _parent, _doc in history()]
    if revision != "head" and revision not in known:
        click.echo(
            f"没有版本 {revision}：可用的版本为 {'、'.join(known)}（或 head，即最新版本）",
            err=True,
        )
        sys.exit(1)
    return revision


def _describe(revision: str | None) -> str:
    return f"版本 {revision}" if revision else "空库（或未标记版本）"


@click.group("db")
def db_group() -> None:
    """Database schema: upgrade, current revision, history."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Upgrade up to this revision.")
def upgrade_command(revision: str) -> None:
    """Run the schema revisions the database has not had yet (back it up first)."""
    target = _known(revision)
    engine = open_database(EngineConfig.from_env())
    try:
        run_upgrade(engine, target)
    finally:
        engine.dispose()


def run_upgrade(engine: Engine, target: str = "head") -> None:
    """Upgrade to ``target`` and say from which revision to which (``init-db`` too)."""
    before = current_revision(engine)
    try:
        pending = pending_revisions(engine)
    except SchemaAhead as err:
        click.echo(str(err), err=True)
        sys.exit(1)
    if before is None and pending and _has_tables(engine):
        try:
            check_at_head(engine)
        except SchemaBehind as err:
            click.echo(str(err), err=True)
            sys.exit(1)
    try:
        upgrade(engine, target)
    except (CommandError, SQLAlchemyError) as err:
        detail = getattr(err, "orig", None) or err
        click.echo(f"升级失败，数据库未改动：{detail}", err=True)
        sys.exit(1)
    after = current_revision(engine)
    if after == before:
        click.echo(f"数据库已是{_describe(after)}，无需升级")
    else:
        click.echo(f"数据库已从{_describe(before)}升级到版本 {after}")


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as connection:
        return has_tables(connection)


@db_group.command("current")
def current_command() -> None:
    """Print the database's schema revision and whether it is the newest."""
    engine = open_database(EngineConfig.from_env())
    current = current_revision(engine)
    head = head_revision()
    engine.dispose()
    if current == head:
        click.echo(f"当前版本：{current}（最新）")
        return
    click.echo(f"当前：{_describe(current)}；最新版本：{head}")
    try:
        pending = pending_revisions(engine)
    except SchemaAhead as err:
        click.echo(str(err), err=True)
        sys.exit(1)
    finally:
        engine.dispose()
    click.echo(f"待执行的升级：{'、'.join(pending)}；请运行 juhaoban db upgrade")


@db_group.command("history")
def history_command() -> None:
    """List every schema revision, oldest first, marking the database's one."""
    engine = open_database(EngineConfig.from_env())
    current = current_revision(engine)
    engine.dispose()
    for revision, _parent, doc in history():
        mark = "  ← 当前" if revision == current else ""
        click.echo(f"{revision}  {doc}{mark}")


@db_group.command("stamp")
@click.argument("revision")
def stamp_command(revision: str) -> None:
    """Record REVISION as the database's version without changing any table.

    For a database built by ``juhaoban init-db`` before migrations existed: ``stamp 0001``,
    then ``db upgrade``.
    """
    target = _known(revision)
    engine = open_database(EngineConfig.from_env())
    try:
        stamp(engine, target)
        click.echo(f"已将数据库标记为版本 {current_revision(engine)}（表未改动）")
    finally:
        engine.dispose()
